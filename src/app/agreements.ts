import { AgreementSchema, isInForce, type Agreement } from '../domain/agreement.js';
import { localDateOf } from '../domain/calendar.js';
import { TRANAS_2023_2024 } from '../domain/tranas-2023-2024.js';
import { withUnitSingulars } from '../domain/units.js';
import type { Actor } from './actor.js';
import { noAudit, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';

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
   * The agreement a conversation talks about: the one in force today, else the most recent one
   * (so that after a period ends the final outcome is still shown). Several municipalities per
   * deployment are routed by conversation later; today the newest in force wins.
   */
  async current(): Promise<{ agreement: Agreement; inForce: boolean } | undefined> {
    const all = await this.store.agreements.list();
    if (all.length === 0) return undefined;
    const today = localDateOf(this.clock.now(), 'Europe/Stockholm');
    const inForce = all.filter((a) => isInForce(a, today)).sort((a, b) => b.periodStart.localeCompare(a.periodStart));
    if (inForce[0]) return { agreement: inForce[0], inForce: true };
    const past = all.filter((a) => a.periodStart <= today).sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
    const chosen = past[0] ?? [...all].sort((a, b) => a.periodStart.localeCompare(b.periodStart))[0]!;
    return { agreement: chosen, inForce: false };
  }
}
