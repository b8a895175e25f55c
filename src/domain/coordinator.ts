import { z } from 'zod';

/** A coordinator added in chat by another coordinator (those from COORDINATOR_IDS are not stored). */
export const StoredCoordinatorSchema = z.object({
  aadObjectId: z.string().min(1),
  addedBy: z.string(),
  addedAt: z.string(),
  removedAt: z.string().optional(),
  removedBy: z.string().optional(),
});
export type StoredCoordinator = z.infer<typeof StoredCoordinatorSchema>;
