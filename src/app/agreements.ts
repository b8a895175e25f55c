import { AgreementSchema, isInForce, type Agreement } from '../domain/agreement.js';
import { localDateOf } from '../domain/calendar.js';
import { scopeOf, scopesOf } from '../domain/scope.js';
import { TRANAS_2023_2024 } from '../domain/tranas-2023-2024.js';
import { withUnitSingulars } from '../domain/units.js';
import type { Actor } from './actor.js';
import { noAudit, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';
import { adoptUnscoped } from './scopes.js';

export type ImportResult = { kind: 'added' | 'replaced' | 'exists' | 'forbidden'; id: string };

/** Use cases around agreements (medborgarlöften). */
export class AgreementService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog = noAudit,
  ) {}

  /**
   * Adds a validated agreement (the next period, another municipality); with `replace` it
   * overwrites one with the same id. Audited as agreement.changed, like a change made in the chat.
   */
  async importAgreement(
    actor: Actor,
    agreement: Agreement,
    options: { replace?: boolean } = {},
  ): Promise<ImportResult> {
    if (!actor.isCoordinator) return { kind: 'forbidden', id: agreement.id };
    const parsed = AgreementSchema.parse(agreement);
    // A second municipality: what was stored without a scope belonged to the first one, and stays there.
    const before = scopesOf(await this.store.agreements.list());
    if (before.length === 1 && before[0]!.key !== scopeOf(parsed)) await adoptUnscoped(this.store, before[0]!.key);
    let kind: ImportResult['kind'];
    if (options.replace) {
      await this.store.agreements.save(parsed);
      kind = 'replaced';
    } else {
      kind = (await this.store.agreements.addIfAbsent(parsed)) ? 'added' : 'exists';
    }
    if (kind !== 'exists') {
      await recordStored(this.audit, {
        at: this.clock.now().toISOString(),
        actor: { id: actor.id, tenantId: actor.tenantId },
        action: 'agreement.changed',
        objectId: parsed.id,
        outcome: 'ok',
        detail: kind === 'added' ? 'agreement.imported' : 'agreement.replaced',
      });
    }
    return { kind, id: parsed.id };
  }

  /** First start: write the Tranås 2023–2024 agreement, never overwriting what is stored. */
  async seedDefaults(): Promise<boolean> {
    const existing = await this.store.agreements.list();
    if (existing.length > 0) return false;
    return this.store.agreements.addIfAbsent(AgreementSchema.parse(TRANAS_2023_2024));
  }

  /**
   * Data migration at start: agreements stored before units had a singular get `unitSingular` for
   * the Swedish plurals the domain knows ("kontroller" → "kontroll"); unknown units keep the plural
   * for a count of one. Idempotent: what is filled (or unknown) is left alone the next time.
   * Returns the activities filled, as "agreementId/activityId".
   */
  async fillUnitSingulars(): Promise<string[]> {
    const done: string[] = [];
    for (const stored of await this.store.agreements.list()) {
      const { agreement, filled } = withUnitSingulars(stored);
      if (filled.length === 0) continue;
      await this.store.agreements.save(AgreementSchema.parse(agreement));
      done.push(...filled.map((id) => `${stored.id}/${id}`));
    }
    return done;
  }

  list(): Promise<Agreement[]> {
    return this.store.agreements.list();
  }

  /**
   * The agreement a conversation about `scope` (a municipality, src/domain/scope.ts) talks about:
   * the one in force today, else the most recent one (so that after a period ends the final outcome
   * is still shown). Without a scope: the deployment's only municipality; with two or more, none
   * (a use case never picks any municipality's agreement).
   */
  async current(scope?: string): Promise<{ agreement: Agreement; inForce: boolean } | undefined> {
    return currentOf(await this.store.agreements.list(), scope, localDateOf(this.clock.now(), 'Europe/Stockholm'));
  }

  /** The agreements of one municipality (all when the deployment has only one). */
  async ofScope(scope: string | undefined): Promise<Agreement[]> {
    const stored = await this.store.agreements.list();
    if (scope === undefined) return scopesOf(stored).length === 1 ? stored : [];
    return stored.filter((a) => scopeOf(a) === scope);
  }
}

/**
 * Among stored agreements, the current one of `scope` on the local date `today`: the newest in
 * force, else the most recent. Without a scope: the only municipality's, if there is only one.
 */
export function currentOf(
  stored: readonly Agreement[],
  scope: string | undefined,
  today: string,
): { agreement: Agreement; inForce: boolean } | undefined {
  const all =
    scope === undefined
      ? scopesOf(stored).length === 1
        ? [...stored]
        : []
      : stored.filter((a) => scopeOf(a) === scope);
  if (all.length === 0) return undefined;
  const inForce = all.filter((a) => isInForce(a, today)).sort((a, b) => b.periodStart.localeCompare(a.periodStart));
  if (inForce[0]) return { agreement: inForce[0], inForce: true };
  const past = all.filter((a) => a.periodStart <= today).sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
  const chosen = past[0] ?? [...all].sort((a, b) => a.periodStart.localeCompare(b.periodStart))[0]!;
  return { agreement: chosen, inForce: false };
}
