import { AgreementSchema, isInForce, type Agreement } from '../domain/agreement.js';
import { localDateOf } from '../domain/calendar.js';
import { scopeOf, scopesOf } from '../domain/scope.js';
import {
  buildRollover,
  laterPeriodsOf,
  nextPeriod,
  type RolloverError,
  type RolloverInput,
} from '../domain/rollover.js';
import { TRANAS_2023_2024 } from '../domain/tranas-2023-2024.js';
import { withUnitSingulars } from '../domain/units.js';
import type { Actor } from './actor.js';
import { noAudit, recordRefusal, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';
import { adoptUnscoped } from './scopes.js';

export type ImportResult = { kind: 'added' | 'replaced' | 'exists' | 'forbidden'; id: string };

type Refused = { kind: 'forbidden' } | { kind: 'notFound' };

/** The rollover card before anything is typed: the old agreement, the proposed period, periods already added after it. */
export type RolloverProposal =
  Refused | { kind: 'form'; from: Agreement; proposed: { periodStart: string; periodEnd: string }; later: Agreement[] };

export type RolloverResult =
  | Refused
  | { kind: 'invalid'; from: Agreement; input: RolloverInput; errors: RolloverError[] }
  /** `inForce`: the new period has started (by the bot's clock), so it is the current one already. */
  | { kind: 'saved'; from: Agreement; agreement: Agreement; inForce: boolean };

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

  /** What the rollover card proposes for the agreement `fromAgreementId`: coordinators only. */
  async rolloverProposal(actor: Actor, fromAgreementId: string, correlationId?: string): Promise<RolloverProposal> {
    if (!actor.isCoordinator) return this.refuse(actor, fromAgreementId, correlationId);
    const from = await this.ofActor(actor, fromAgreementId);
    if (!from) return { kind: 'notFound' };
    return { kind: 'form', from, proposed: nextPeriod(from), later: laterPeriodsOf(from, await this.list()) };
  }

  /**
   * The next period of `fromAgreementId` as a new agreement (new id and period, the same pledges and
   * activities with the targets as edited, some left out), chosen in chat by a coordinator. The old
   * agreement is not touched: its reports and the questions about it stay as they were. The new one
   * becomes the current agreement on its start date. Overlapping periods of the same municipality
   * and an id that exists are refused. Audited as agreement.changed, detail agreement.rolledOver.
   */
  async rollOver(
    actor: Actor,
    fromAgreementId: string,
    input: RolloverInput,
    correlationId?: string,
  ): Promise<RolloverResult> {
    if (!actor.isCoordinator) return this.refuse(actor, fromAgreementId, correlationId);
    const from = await this.ofActor(actor, fromAgreementId);
    if (!from) return { kind: 'notFound' };
    const today = localDateOf(this.clock.now(), from.timeZone);
    const built = buildRollover(from, input, { all: await this.list(), today });
    if (!built.ok) return { kind: 'invalid', from, input, errors: built.errors };
    const agreement = built.agreement;
    // Another coordinator may have saved the same period a moment ago: the store decides.
    if (!(await this.store.agreements.addIfAbsent(agreement)))
      return { kind: 'invalid', from, input, errors: [{ field: 'period', code: 'idExists', id: agreement.id }] };
    await recordStored(this.audit, {
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'agreement.changed',
      objectId: agreement.id,
      outcome: 'ok',
      correlationId,
      detail: 'agreement.rolledOver',
    });
    return { kind: 'saved', from, agreement, inForce: isInForce(agreement, today) };
  }

  /**
   * An agreement of the actor's municipality (another municipality's id is not found). An actor
   * without a scope acts for the deployment (the CLI, tests of the use case): any agreement.
   */
  private async ofActor(actor: Actor, agreementId: string): Promise<Agreement | undefined> {
    if (actor.scope === undefined) return this.store.agreements.get(agreementId);
    return (await this.ofScope(actor.scope)).find((a) => a.id === agreementId);
  }

  private async refuse(actor: Actor, agreementId: string, correlationId?: string): Promise<Refused> {
    // The id may come from card data: it is named in the audit only when it is a stored agreement's.
    const objectId = (await this.store.agreements.get(agreementId)) ? agreementId : undefined;
    await recordRefusal(this.audit, this.clock.now(), actor, 'agreement.rollOver', objectId, correlationId);
    return { kind: 'forbidden' };
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
