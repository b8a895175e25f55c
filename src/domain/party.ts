import { z } from 'zod';

/**
 * The two parties of a medborgarlöfte: the local police area and the municipality. An activity
 * may belong to both ('Båda'); a report is always filed by one of them.
 */

/** The parties that file reports and are reminded: each person reports for exactly one. */
export const REPORTING_PARTIES = ['Polisen', 'Kommunen'] as const;
export const ReportingPartySchema = z.enum(REPORTING_PARTIES);
export type ReportingParty = z.infer<typeof ReportingPartySchema>;

/** Who owns an activity in the agreement: one party or both. */
export const PARTIES = [...REPORTING_PARTIES, 'Båda'] as const;
export const PartySchema = z.enum(PARTIES, { errorMap: () => ({ message: 'ska vara Polisen, Kommunen eller Båda' }) });
export type Party = z.infer<typeof PartySchema>;

export const isParty = (value: string): value is Party => (PARTIES as readonly string[]).includes(value);
export const isReportingParty = (value: string): value is ReportingParty =>
  (REPORTING_PARTIES as readonly string[]).includes(value);

/** The reporting party spelled in any letter case ('polisen', 'KOMMUNEN'), as written; undefined otherwise. */
export function reportingPartyOf(text: string): ReportingParty | undefined {
  const folded = text.trim().toLowerCase();
  return REPORTING_PARTIES.find((p) => p.toLowerCase() === folded);
}
