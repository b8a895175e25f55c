import { z } from 'zod';
import { PartySchema, ReportingPartySchema } from './party.js';
import { personalDataKinds } from './privacy.js';

/**
 * A medborgarlöfte: the public agreement a municipality and a local police area sign for a period.
 * It holds numbered pledges (löften), each with the activities the parties agreed on.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'ska vara ett datum på formen ÅÅÅÅ-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'är inget giltigt datum',
  );

const slug = z
  .string()
  .min(1, 'får inte vara tomt')
  .max(80, 'får vara högst 80 tecken')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'får bara innehålla a–z, 0–9 och bindestreck');

export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('perYear'), count: z.number().int().positive('ska vara ett positivt heltal') }),
  z.object({ kind: z.literal('perPeriod'), count: z.number().int().positive('ska vara ett positivt heltal') }),
  z.object({ kind: z.literal('none') }),
]);
export type Target = z.infer<typeof TargetSchema>;

/**
 * A sub-category of an activity (trafikkontroller: hastighet, nykterhet, mobil): reports may say how
 * many of their count were of each, and the follow-up shows "12 kontroller, 5 av dessa hastighet".
 */
export const SubcategorySchema = z.object({
  id: slug,
  name: z.string().min(1, 'får inte vara tomt').max(60, 'får vara högst 60 tecken'),
});
export type Subcategory = z.infer<typeof SubcategorySchema>;

/** How often the agreement is followed up and signed: per tertial unless the agreement says otherwise. */
export const FOLLOW_UP_CADENCES = ['tertial', 'quarter', 'half-year'] as const;
export type FollowUpCadence = (typeof FOLLOW_UP_CADENCES)[number];

export const ActivitySchema = z.object({
  id: slug,
  pledgeNumber: z.number().int().positive(),
  owner: PartySchema,
  wording: z.string().min(3, 'ska beskriva aktiviteten').max(300),
  /** The unit in the plural, as counts are mostly spoken of: "kontroller". */
  unit: z.string().min(1).max(40),
  /** The unit in the singular ("kontroll"), for a count of exactly one; the plural when absent. */
  unitSingular: z.string().min(1).max(40).optional(),
  target: TargetSchema,
  /** Activities about young people ask for counts by age band on the report card. */
  youthFocus: z.boolean().default(false),
  /** Optional sub-categories whose counts a report may give (each at most the report's count). */
  subcategories: z.array(SubcategorySchema).max(10, 'får ha högst 10 underkategorier').optional(),
});
export type Activity = z.infer<typeof ActivitySchema>;

export const PledgeSchema = z.object({
  number: z.number().int().positive(),
  wording: z.string().min(3).max(500),
  /** Short subject words users say about this pledge ("trafiken", "narkotikan"). */
  keywords: z.array(z.string().min(2).max(40)).default([]),
});
export type Pledge = z.infer<typeof PledgeSchema>;

export const AgreementSchema = z
  .object({
    id: slug,
    municipality: z.string().min(2).max(100),
    policeArea: z.string().min(2).max(100),
    periodStart: isoDate,
    periodEnd: isoDate,
    timeZone: z.literal('Europe/Stockholm').default('Europe/Stockholm'),
    signedOn: isoDate.optional(),
    pledges: z.array(PledgeSchema).min(1, 'måste ha minst ett löfte'),
    activities: z.array(ActivitySchema),
    source: z.string().max(500).optional(),
    /**
     * The municipality's series of agreements this one belongs to (src/domain/scope.ts); derived
     * from `municipality` when absent ("Tranås kommun" → "tranas-kommun").
     */
    scope: slug.optional(),
    /** The areas on this municipality's report card; REPORT_AREAS when absent. */
    areas: z.array(z.string().min(1).max(40)).max(50).optional(),
    /** Tenant id → the party pre-selected on the report card; PARTY_BY_TENANT when a tenant is absent. */
    partyByTenant: z.record(z.string().min(1).max(64), ReportingPartySchema).optional(),
    /** The follow-up points (issue #15): tertial when absent. */
    followUpCadence: z.enum(FOLLOW_UP_CADENCES).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.periodEnd < a.periodStart) {
      ctx.addIssue({
        code: 'custom',
        path: ['periodEnd'],
        message: 'måste vara samma dag som eller efter periodStart',
      });
    }
    const numbers = new Set<number>();
    a.pledges.forEach((p, i) => {
      if (numbers.has(p.number))
        ctx.addIssue({ code: 'custom', path: ['pledges', i, 'number'], message: `löfte ${p.number} finns redan` });
      numbers.add(p.number);
    });
    const ids = new Set<string>();
    a.activities.forEach((act, i) => {
      if (!numbers.has(act.pledgeNumber)) {
        ctx.addIssue({
          code: 'custom',
          path: ['activities', i, 'pledgeNumber'],
          message: `det finns inget löfte ${act.pledgeNumber}`,
        });
      }
      if (ids.has(act.id))
        ctx.addIssue({ code: 'custom', path: ['activities', i, 'id'], message: `id ${act.id} finns redan` });
      ids.add(act.id);
      const subIds = new Set<string>();
      (act.subcategories ?? []).forEach((sub, j) => {
        if (subIds.has(sub.id))
          ctx.addIssue({
            code: 'custom',
            path: ['activities', i, 'subcategories', j, 'id'],
            message: `underkategorin ${sub.id} finns redan`,
          });
        subIds.add(sub.id);
      });
    });
  });
export type Agreement = z.infer<typeof AgreementSchema>;
export type AgreementInput = z.input<typeof AgreementSchema>;

export interface FieldError {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * The texts of an agreement that fail the privacy guard, by field (the kinds, never the value). An
 * activity's id, wording and units are checked together, as are a pledge's wording and keywords.
 */
export function agreementPersonalData(a: Agreement): FieldError[] {
  const errors: FieldError[] = [];
  const check = (path: string, texts: (string | undefined)[]) => {
    const kinds = personalDataKinds(texts);
    if (kinds.length > 0) errors.push({ path, message: `innehåller något som ser ut som ${kinds.join(' eller ')}` });
  };
  check('id', [a.id]);
  check('municipality', [a.municipality]);
  check('policeArea', [a.policeArea]);
  check('source', [a.source]);
  a.pledges.forEach((p, i) => check(`pledges.${i}.wording`, [p.wording, ...p.keywords]));
  a.activities.forEach((act, i) => {
    check(`activities.${i}.wording`, [act.id, act.wording, act.unit, act.unitSingular]);
    (act.subcategories ?? []).forEach((sub, j) => check(`activities.${i}.subcategories.${j}.name`, [sub.id, sub.name]));
  });
  return errors;
}

/** Validates an agreement definition and names every failing field; its texts must pass the privacy guard. */
export function parseAgreement(input: unknown): ParseResult<Agreement> {
  const result = AgreementSchema.safeParse(input);
  if (result.success) {
    const personal = agreementPersonalData(result.data);
    return personal.length > 0 ? { ok: false, errors: personal } : { ok: true, value: result.data };
  }
  return {
    ok: false,
    errors: result.error.issues.map((i) => ({ path: i.path.join('.') || '(roten)', message: i.message })),
  };
}

/** An agreement is in force on a local date when that date lies within its period. */
export function isInForce(agreement: Agreement, localDate: string): boolean {
  return agreement.periodStart <= localDate && localDate <= agreement.periodEnd;
}

/** The sub-categories of an activity (none when it defines none). */
export function subcategoriesOf(agreement: Agreement, activityId: string): Subcategory[] {
  return agreement.activities.find((a) => a.id === activityId)?.subcategories ?? [];
}

export function activitiesOfPledge(agreement: Agreement, pledgeNumber: number): Activity[] {
  return agreement.activities.filter((a) => a.pledgeNumber === pledgeNumber);
}

export function periodLabel(agreement: Agreement): string {
  const from = agreement.periodStart.slice(0, 4);
  const to = agreement.periodEnd.slice(0, 4);
  return from === to ? from : `${from}–${to}`;
}
