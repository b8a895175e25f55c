import { z } from 'zod';
import { StatusLevelSchema } from './status.js';

/** A coordinator's override of a computed status: kept with who, when and why; never hides the figure. */
export const StoredOverrideSchema = z.object({
  id: z.string().min(1),
  agreementId: z.string().min(1),
  pledgeNumber: z.number().int().positive().optional(),
  activityId: z.string().optional(),
  level: StatusLevelSchema,
  reason: z.string(),
  by: z.string(),
  /** The coordinator's display name as Teams gave it, shown with the override. */
  byName: z.string().optional(),
  at: z.string(),
  /** Set when a coordinator lifts the override. */
  clearedAt: z.string().optional(),
  clearedBy: z.string().optional(),
});
export type StoredOverride = z.infer<typeof StoredOverrideSchema>;
