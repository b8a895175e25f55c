import type { Activity, Agreement } from './agreement.js';

/**
 * An activity's unit in both numbers: "1 kontroll", "2 kontroller". Agreements name the unit in the
 * plural (`unit`); the singular (`unitSingular`) is given in the definition, written as
 * "kontroll/kontroller" in a coordinator command or an import, or found in the table below. A unit
 * the table does not know keeps its plural for a count of one ("1 st" reads fine, "1 ronder" not:
 * write "rond/ronder" to fix it).
 */

/**
 * Swedish plurals and their singulars. Matched on the end of the unit's last word, the longest
 * first, so compounds follow their last part: "trafikkontroller" → "trafikkontroll",
 * "informationsträffar" → "informationsträff".
 */
const SINGULAR_OF: Readonly<Record<string, string>> = Object.freeze({
  kontroller: 'kontroll',
  insatser: 'insats',
  ingripanden: 'ingripande',
  möten: 'möte',
  gånger: 'gång',
  tillfällen: 'tillfälle',
  besök: 'besök',
  träffar: 'träff',
  aktiviteter: 'aktivitet',
  kampanjer: 'kampanj',
  // -ingar → -ing: vandringar, utbildningar, satsningar, övningar, patrulleringar …
  ingar: 'ing',
  samtal: 'samtal',
  rapporter: 'rapport',
  ärenden: 'ärende',
  händelser: 'händelse',
  åtgärder: 'åtgärd',
  personer: 'person',
  platser: 'plats',
  tillslag: 'tillslag',
  beslag: 'beslag',
  anmälningar: 'anmälan',
  kvällar: 'kväll',
  nätter: 'natt',
  dagar: 'dag',
  timmar: 'timme',
  veckor: 'vecka',
  ronder: 'rond',
  utskick: 'utskick',
});

const SUFFIXES = Object.keys(SINGULAR_OF).sort((a, b) => b.length - a.length);

/** The singular of a plural unit from the table ("kontroller" → "kontroll"); undefined when unknown. */
export function singularOf(plural: string): string | undefined {
  const trimmed = plural.trim();
  const lastSpace = trimmed.lastIndexOf(' ');
  const head = trimmed.slice(0, lastSpace + 1);
  const word = trimmed.slice(lastSpace + 1);
  const lower = word.toLocaleLowerCase('sv');
  const suffix = SUFFIXES.find((s) => lower.endsWith(s));
  if (suffix === undefined) return undefined;
  const stem = word.slice(0, word.length - suffix.length);
  const singular = SINGULAR_OF[suffix]!;
  // "Kontroller" → "Kontroll": a capital stays when the whole word is the table's.
  const cased =
    stem === '' && word[0] !== lower[0] ? singular[0]!.toLocaleUpperCase('sv') + singular.slice(1) : singular;
  return `${head}${stem}${cased}`;
}

/**
 * A unit as a person writes it: "kontroll/kontroller" (singular/plural) or just the plural
 * "kontroller", whose singular then comes from the table when it is known.
 */
export function parseUnitForms(text: string): { unit: string; unitSingular?: string } {
  const parts = text.split('/').map((p) => p.trim());
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { unit: parts[1]!, unitSingular: parts[0]! };
  const unit = text.trim();
  const singular = singularOf(unit);
  return singular === undefined ? { unit } : { unit, unitSingular: singular };
}

/**
 * The agreement with `unitSingular` filled in from the table where it is missing (agreements stored
 * before units had a singular); the same object when nothing was missing or known.
 */
export function withUnitSingulars(agreement: Agreement): { agreement: Agreement; filled: string[] } {
  const filled: string[] = [];
  const activities = agreement.activities.map((a): Activity => {
    if (a.unitSingular !== undefined) return a;
    const singular = singularOf(a.unit);
    if (singular === undefined) return a;
    filled.push(a.id);
    return { ...a, unitSingular: singular };
  });
  return filled.length === 0 ? { agreement, filled } : { agreement: { ...agreement, activities }, filled };
}

/**
 * An agreement definition as read from a file, with every "singular/plural" unit split into `unit`
 * and `unitSingular`. Anything that is not such a unit is left for validation to judge.
 */
export function splitUnitForms(input: unknown): unknown {
  if (!input || typeof input !== 'object' || !Array.isArray((input as { activities?: unknown }).activities))
    return input;
  const agreement = input as { activities: unknown[] };
  return {
    ...agreement,
    activities: agreement.activities.map((a) => {
      if (!a || typeof a !== 'object') return a;
      const act = a as { unit?: unknown; unitSingular?: unknown };
      if (typeof act.unit !== 'string' || !act.unit.includes('/') || act.unitSingular !== undefined) return a;
      const forms = parseUnitForms(act.unit);
      return forms.unitSingular === undefined || forms.unit.includes('/')
        ? a
        : { ...act, unit: forms.unit, unitSingular: forms.unitSingular };
    }),
  };
}
