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

/** "Tranås kommun" → "tranas-kommun": the municipality's name, folded to a slug. */
export function scopeKeyOf(municipality: string): string {
  return fold(municipality).replace(/\s+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/** The scope an agreement belongs to: its `scope` when set, else derived from the municipality. */
export function scopeOf(agreement: Pick<Agreement, 'municipality' | 'scope'>): string {
  return agreement.scope ?? scopeKeyOf(agreement.municipality);
}

/** The distinct scopes of the agreements, sorted by municipality name (sv collation). */
export function scopesOf(agreements: readonly Agreement[]): ScopeInfo[] {
  const newest = new Map<string, Agreement>();
  for (const a of agreements) {
    const key = scopeOf(a);
    const seen = newest.get(key);
    if (!seen || seen.periodStart < a.periodStart) newest.set(key, a);
  }
  return [...newest.entries()]
    .map(([key, a]) => ({ key, municipality: a.municipality }))
    .sort((x, y) => x.municipality.localeCompare(y.municipality, 'sv'));
}

/**
 * Whether a stored record (a rapportör, a coordinator's scopes) belongs to `scope`. Records written
 * before scopes existed carry none: they belong to the deployment's scope while it has only one
 * (an import of a second municipality stamps them first: AgreementService.importAgreement).
 */
export function belongsTo(recordScope: string | undefined, scope: string, scopeCount: number): boolean {
  return recordScope === undefined ? scopeCount <= 1 : recordScope === scope;
}
