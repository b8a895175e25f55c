import { z } from 'zod';

/** A coordinator added in chat by another coordinator (those from COORDINATOR_IDS are not stored). */
export const StoredCoordinatorSchema = z.object({
  aadObjectId: z.string().min(1),
  addedBy: z.string(),
  addedAt: z.string(),
  removedAt: z.string().optional(),
  removedBy: z.string().optional(),
  /**
   * The municipalities (src/domain/scope.ts) the person coordinates. Absent on records from before
   * scopes: then the deployment's only scope (belongsTo).
   */
  scopes: z.array(z.string().min(1)).optional(),
});
export type StoredCoordinator = z.infer<typeof StoredCoordinatorSchema>;
