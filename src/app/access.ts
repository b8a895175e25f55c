import type { Actor } from './actor.js';
import { recordRefusal, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { StoredCoordinator } from '../domain/coordinator.js';
import type { Store } from './ports.js';

/** Who asked, as far as an activity tells (strings only, bounded: activities are untrusted input). */
export interface Caller {
  id: string;
  tenantId?: string;
}

/** Why a turn was refused at the door: a fixed code, never text from the activity. */
export type RefusalKind = 'message' | 'invoke' | 'conversationUpdate' | 'installationUpdate' | 'other';

export type AddCoordinatorResult =
  { kind: 'added' } | { kind: 'alreadyCoordinator' } | { kind: 'configured' } | { kind: 'forbidden' };
export type RemoveCoordinatorResult =
  { kind: 'removed' } | { kind: 'notCoordinator' } | { kind: 'configured' } | { kind: 'forbidden' };

const MAX_ID = 128;

/** Keeps an identifier from an activity fit for the audit trail: a bounded string or nothing. */
export function boundedId(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, MAX_ID) : undefined;
}

/**
 * Access to the bot: which tenants may use it (ALLOWED_TENANT_IDS) and who are coordinators.
 *
 * The tenant check is a first gate only: in a cross-tenant shared channel the conversation's tenant
 * is the host's for everyone, so it says nothing about a person. People are authorised by AAD object
 * id (RoleService): COORDINATOR_IDS, plus coordinators added in chat by a coordinator.
 */
export class AccessService {
  private readonly allowed: Set<string>;
  private readonly configured: Set<string>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    options: { allowedTenantIds: string[]; coordinatorIds: string[] },
  ) {
    this.allowed = new Set(options.allowedTenantIds.map((t) => t.toLowerCase()));
    this.configured = new Set(options.coordinatorIds.map((id) => id.toLowerCase()));
  }

  /** True when every tenant id the activity names is allowed (any tenant when the list is empty). */
  tenantsAllowed(tenantIds: unknown[]): boolean {
    if (this.allowed.size === 0) return true;
    const named = tenantIds.filter((t) => t !== undefined && t !== null);
    if (named.length === 0) return false;
    return named.every((t) => typeof t === 'string' && this.allowed.has(t.toLowerCase()));
  }

  get restrictsTenants(): boolean {
    return this.allowed.size > 0;
  }

  /** Records a turn refused because of its tenant. Nothing else is written. */
  async refuseTenant(caller: Caller, kind: RefusalKind, correlationId?: string): Promise<void> {
    await this.audit.record({
      at: this.clock.now().toISOString(),
      actor: { id: caller.id, tenantId: caller.tenantId },
      action: 'access.refused',
      outcome: 'refused',
      correlationId,
      detail: `tenant:${kind}`,
    });
  }

  /** Records a turn refused because it came from a channel other than Teams (with authentication on). */
  async refuseChannel(caller: Caller, channelId: unknown, correlationId?: string): Promise<void> {
    const channel = typeof channelId === 'string' ? channelId.replace(/[^\w.-]/g, '').slice(0, 32) : '';
    await this.audit.record({
      at: this.clock.now().toISOString(),
      actor: { id: caller.id, tenantId: caller.tenantId },
      action: 'access.refused',
      outcome: 'refused',
      correlationId,
      detail: `channel:${channel || 'none'}`,
    });
  }

  /** Records a turn refused because Teams named no person (no AAD object id): only the help is shown then. */
  async refuseUnidentified(caller: Caller, kind: RefusalKind, correlationId?: string): Promise<void> {
    await this.audit.record({
      at: this.clock.now().toISOString(),
      actor: { id: caller.id, tenantId: caller.tenantId },
      action: 'access.refused',
      outcome: 'refused',
      correlationId,
      detail: `identity:${kind}`,
    });
  }

  isConfiguredCoordinator(aadObjectId: string): boolean {
    return this.configured.has(aadObjectId.toLowerCase());
  }

  /** A coordinator makes another person (AAD object id) a coordinator. */
  async addCoordinator(actor: Actor, aadObjectId: string, correlationId?: string): Promise<AddCoordinatorResult> {
    const target = aadObjectId.toLowerCase();
    if (!actor.isCoordinator) {
      await this.refused(actor, target, 'coordinator.add', correlationId);
      return { kind: 'forbidden' };
    }
    if (this.configured.has(target)) return { kind: 'configured' };
    const existing = await this.store.coordinators.get(target);
    // A coordinator is added for the municipality of the turn; one person may coordinate several.
    const scope = actor.scope;
    const active = existing && !existing.removedAt;
    const held = active ? existing.scopes : undefined;
    if (active && (scope === undefined || held === undefined || held.includes(scope)))
      return { kind: 'alreadyCoordinator' };
    const now = this.clock.now().toISOString();
    const added: StoredCoordinator = active
      ? { ...existing, scopes: [...(held ?? []), scope!] }
      : { aadObjectId: target, addedBy: actor.id, addedAt: now, ...(scope !== undefined ? { scopes: [scope] } : {}) };
    await this.store.coordinators.put(added);
    await recordStored(this.audit, {
      at: now,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'role.changed',
      objectId: target,
      outcome: 'ok',
      correlationId,
      detail: 'coordinator:added',
    });
    return { kind: 'added' };
  }

  /** A coordinator removes a coordinator added in chat; those in COORDINATOR_IDS stay. */
  async removeCoordinator(actor: Actor, aadObjectId: string, correlationId?: string): Promise<RemoveCoordinatorResult> {
    const target = aadObjectId.toLowerCase();
    if (!actor.isCoordinator) {
      await this.refused(actor, target, 'coordinator.remove', correlationId);
      return { kind: 'forbidden' };
    }
    if (this.configured.has(target)) return { kind: 'configured' };
    const existing = await this.store.coordinators.get(target);
    if (!existing || existing.removedAt) return { kind: 'notCoordinator' };
    const scope = actor.scope;
    // Removed from the turn's municipality only; the person stays a coordinator of their others.
    if (scope !== undefined && existing.scopes !== undefined && !existing.scopes.includes(scope))
      return { kind: 'notCoordinator' };
    const now = this.clock.now().toISOString();
    const others = scope !== undefined && existing.scopes ? existing.scopes.filter((s) => s !== scope) : [];
    await this.store.coordinators.put(
      others.length > 0 ? { ...existing, scopes: others } : { ...existing, removedAt: now, removedBy: actor.id },
    );
    await recordStored(this.audit, {
      at: now,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'role.changed',
      objectId: target,
      outcome: 'ok',
      correlationId,
      detail: 'coordinator:removed',
    });
    return { kind: 'removed' };
  }

  /** Records a refused attempt by someone who is not a coordinator. */
  async refuseNonCoordinator(
    actor: Actor,
    what: 'coordinator.add' | 'coordinator.remove',
    correlationId?: string,
  ): Promise<void> {
    await this.refused(actor, undefined, what, correlationId);
  }

  private async refused(
    actor: Actor,
    objectId: string | undefined,
    what: string,
    correlationId?: string,
  ): Promise<void> {
    await recordRefusal(this.audit, this.clock.now(), actor, what, objectId, correlationId);
  }
}
