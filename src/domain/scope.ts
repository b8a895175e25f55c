import type { Agreement } from './agreement.js';
import { fold } from './text-match.js';

/**
 * A scope is one municipality's series of agreements (its periods). Every conversation, coordinator
 * and rapportör belongs to one scope; within a scope the current agreement is the one in force
 * (else the most recent), so a new period needs no re-binding.
 */
export interface ScopeInfo {
  key: string;
  /** The municipality's name as the newest agreement of the scope spells it. */
  municipality: string;
}

/**
 * Every turn resolves its scope among all agreements (290 for the whole country), and folding a
 * name (Unicode normalisation, four regular expressions) is the costly part: the slug of each name
 * is kept. Bounded: municipality names are few; the map is cleared should it ever grow large.
 */
const slugs = new Map<string, string>();
const MAX_SLUGS = 10_000;

/** "Tranås kommun" → "tranas-kommun": the municipality's name, folded to a slug. */
export function scopeKeyOf(municipality: string): string {
  const known = slugs.get(municipality);
  if (known !== undefined) return known;
  const slug = fold(municipality).replace(/\s+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (slugs.size >= MAX_SLUGS) slugs.clear();
  slugs.set(municipality, slug);
  return slug;
}

/** The scope an agreement belongs to: its `scope` when set, else derived from the municipality. */
export function scopeOf(agreement: Pick<Agreement, 'municipality' | 'scope'>): string {
  return agreement.scope ?? scopeKeyOf(agreement.municipality);
}

/**
 * One collator for every sort: `localeCompare(…, 'sv')` builds one per comparison (sorting 290
 * municipalities took about 2 ms that way).
 */
const SWEDISH = new Intl.Collator('sv');

/**
 * The last answer of scopesOf with what it was computed from (each agreement's scope, name and
 * period start): the agreements change rarely, and every turn asks.
 */
let lastScopes: { input: string; scopes: readonly ScopeInfo[] } | undefined;

/** The distinct scopes of the agreements, sorted by municipality name (sv collation). */
export function scopesOf(agreements: readonly Agreement[]): ScopeInfo[] {
  const input = agreements.map((a) => `${scopeOf(a)}\u0000${a.municipality}\u0000${a.periodStart}`).join('\u0001');
  if (lastScopes?.input === input) return lastScopes.scopes.map((s) => ({ ...s }));
  const newest = new Map<string, Agreement>();
  for (const a of agreements) {
    const key = scopeOf(a);
    const seen = newest.get(key);
    if (!seen || seen.periodStart < a.periodStart) newest.set(key, a);
  }
  const scopes = [...newest.entries()]
    .map(([key, a]) => ({ key, municipality: a.municipality }))
    .sort((x, y) => SWEDISH.compare(x.municipality, y.municipality));
  lastScopes = { input, scopes: scopes.map((s) => ({ ...s })) };
  return scopes;
}

/**
 * Whether a stored record (a rapportör, a coordinator's scopes) belongs to `scope`. Records written
 * before scopes existed carry none: they belong to the deployment's scope while it has only one
 * (an import of a second municipality stamps them first: AgreementService.importAgreement).
 */
export function belongsTo(recordScope: string | undefined, scope: string, scopeCount: number): boolean {
  return recordScope === undefined ? scopeCount <= 1 : recordScope === scope;
}
