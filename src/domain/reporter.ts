import { z } from 'zod';
import { ReportingPartySchema } from './party.js';

/** A registered rapportör: a person (AAD object id) who is reminded to report. */
export const ReporterSchema = z.object({
  aadObjectId: z.string().min(1),
  party: ReportingPartySchema,
  /** Display name as Teams gave it, for @mentions in the shared channel only. */
  name: z.string().optional(),
  tenantId: z.string().optional(),
  /** The personal chat with the bot, when known (1:1 reminders). */
  personalConversationId: z.string().optional(),
  registeredAt: z.string(),
  absentUntil: z.string().optional(),
  active: z.boolean(),
  /** The municipality (src/domain/scope.ts) the person reports for; absent on records from before scopes. */
  scope: z.string().min(1).optional(),
  /**
   * The party of the person's latest report: pre-selected on their next card. A person who reports
   * before registering gets an inactive record holding it (never reminded: `active` is false).
   */
  lastParty: ReportingPartySchema.optional(),
  /**
   * A record made only to keep `lastParty` for someone who never registered (inactive, never
   * reminded, no `reporter.registered` audit line to expect). Registering clears it.
   */
  partyOnly: z.literal(true).optional(),
  /**
   * "Påminn mig i morgon / kl. 15" on the weekly reminder: one reminder for `week` at `at` (an ISO
   * instant), sent once through the delivery ledger (key snoozeKey) unless the week is reported by then.
   */
  snooze: z.object({ at: z.string(), week: z.string(), agreementId: z.string() }).optional(),
});
export type Reporter = z.infer<typeof ReporterSchema>;
