import type { ConversationKind } from '../domain/conversation.js';
import type { Reporter } from '../domain/reporter.js';
import { belongsTo, scopeOf, scopesOf, type ScopeInfo } from '../domain/scope.js';
import type { Actor } from './actor.js';
import { recordRefusal, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';

/** Where a turn happens: what Teams told us about the conversation. */
export interface TurnPlace {
  conversationId: string;
  kind: ConversationKind;
  teamId?: string;
}

/**
 * The scope of a turn. `scoped`: the conversation is bound (or the deployment has one scope, or the
 * person is known in exactly one). `unbound`: two or more scopes and nothing says which; `choices`
 * are the scopes this person may choose. `none`: no agreement is stored at all.
 */
export type ScopeResolution =
  | { kind: 'scoped'; scope: string; scopes: ScopeInfo[] }
  | { kind: 'unbound'; choices: ScopeInfo[]; scopes: ScopeInfo[] }
  | { kind: 'none' };

export type ChooseResult =
  | { kind: 'bound'; scope: ScopeInfo }
  | { kind: 'forbidden' }
  | { kind: 'unknownScope' }
  | { kind: 'unknownConversation' };

/**
 * One deployment, many municipalities: which municipality (scope) a conversation and a person
 * belong to. COORDINATOR_IDS (operators) and READER_IDS (a read role across municipalities, e.g.
 * the police region) span every scope; stored coordinators and rapportörer carry theirs.
 */
export class ScopeService {
  private readonly operators: Set<string>;
  private readonly readers: Set<string>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    options: { coordinatorIds: string[]; readerIds?: string[] },
  ) {
    this.operators = new Set(options.coordinatorIds.map((id) => id.toLowerCase()));
    this.readers = new Set((options.readerIds ?? []).map((id) => id.toLowerCase()));
  }

  async scopes(): Promise<ScopeInfo[]> {
    return scopesOf(await this.store.agreements.list());
  }

  /** An operator (COORDINATOR_IDS) or a reader (READER_IDS): may look at every municipality. */
  spansScopes(personId: string): boolean {
    const id = personId.toLowerCase();
    return this.operators.has(id) || this.readers.has(id);
  }

  /** Whether the person coordinates `scope`: an operator, or a stored coordinator of it. */
  async isCoordinatorOf(personId: string, scope: string | undefined, scopeCount?: number): Promise<boolean> {
    const id = personId.toLowerCase();
    if (this.operators.has(id)) return true;
    const stored = await this.store.coordinators.get(id);
    if (!stored || stored.removedAt) return false;
    const count = scopeCount ?? (await this.scopes()).length;
    if (scope === undefined) return count <= 1;
    return stored.scopes === undefined ? count <= 1 : stored.scopes.includes(scope);
  }

  /** The scopes a person is known in: every one for operators and readers, else as coordinator or rapportör. */
  async scopesOfPerson(personId: string, scopes?: ScopeInfo[]): Promise<ScopeInfo[]> {
    const all = scopes ?? (await this.scopes());
    if (this.spansScopes(personId)) return all;
    const id = personId.toLowerCase();
    const coordinator = await this.store.coordinators.get(id);
    const reporter = (await this.store.reporters.list()).find((r) => r.aadObjectId.toLowerCase() === id && r.active);
    return all.filter(
      (s) =>
        (coordinator && !coordinator.removedAt && coordinator.scopes?.includes(s.key)) ||
        (reporter && belongsTo(reporter.scope, s.key, all.length)),
    );
  }

  /** The scopes a person coordinates (operators: all). */
  async coordinatedBy(personId: string, scopes?: ScopeInfo[]): Promise<ScopeInfo[]> {
    const all = scopes ?? (await this.scopes());
    const out: ScopeInfo[] = [];
    for (const s of all) if (await this.isCoordinatorOf(personId, s.key, all.length)) out.push(s);
    return out;
  }

  /**
   * The scope of a turn: the only one; the conversation's binding; for a channel, the team whose
   * channel is linked; for a personal chat, the person's only scope. Otherwise unbound.
   */
  async resolve(place: TurnPlace | undefined, personId: string | undefined): Promise<ScopeResolution> {
    const scopes = await this.scopes();
    if (scopes.length === 0) return { kind: 'none' };
    if (scopes.length === 1) return { kind: 'scoped', scope: scopes[0]!.key, scopes };
    const known = new Set(scopes.map((s) => s.key));
    if (place) {
      const stored = await this.store.conversations.get(place.conversationId);
      if (stored?.scope && known.has(stored.scope)) return { kind: 'scoped', scope: stored.scope, scopes };
      // A reply in a channel thread (`<channel>;messageid=…`) belongs where its channel does.
      const channelId = place.conversationId.split(';')[0]!;
      if (channelId !== place.conversationId) {
        const channel = await this.store.conversations.get(channelId);
        if (channel?.scope && known.has(channel.scope)) return { kind: 'scoped', scope: channel.scope, scopes };
      }
      if (place.kind === 'channel') {
        const linked = await this.scopeOfTeam(place);
        if (linked && known.has(linked)) return { kind: 'scoped', scope: linked, scopes };
      }
    }
    const mine = personId ? await this.scopesOfPerson(personId, scopes) : [];
    if (place?.kind === 'personal' && mine.length === 1 && !this.spansScopes(personId!))
      return { kind: 'scoped', scope: mine[0]!.key, scopes };
    return { kind: 'unbound', choices: mine, scopes };
  }

  /**
   * Binds the conversation to a scope the person may choose: in a personal chat one they are known
   * in; in a channel or group chat (everyone's) only a coordinator of that scope.
   */
  async choose(actor: Actor, place: TurnPlace, scopeKey: string, correlationId?: string): Promise<ChooseResult> {
    const scopes = await this.scopes();
    const scope = scopes.find((s) => s.key === scopeKey);
    if (!scope) return { kind: 'unknownScope' };
    const allowed =
      place.kind === 'personal'
        ? (await this.scopesOfPerson(actor.id, scopes)).some((s) => s.key === scope.key)
        : await this.isCoordinatorOf(actor.id, scope.key, scopes.length);
    if (!allowed) {
      await recordRefusal(this.audit, this.clock.now(), actor, 'conversation.bind', scope.key, correlationId);
      return { kind: 'forbidden' };
    }
    return (await this.bind(actor, place.conversationId, scope.key, correlationId))
      ? { kind: 'bound', scope }
      : { kind: 'unknownConversation' };
  }

  /** Binds a conversation to a scope (the caller checked the right to); audited. */
  async bind(actor: Actor, conversationId: string, scope: string, correlationId?: string): Promise<boolean> {
    const existing = await this.store.conversations.get(conversationId);
    if (!existing) return false;
    if (existing.scope === scope) return true;
    await this.store.conversations.upsert({ ...existing, scope });
    await recordStored(this.audit, {
      at: this.clock.now().toISOString(),
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'conversation.bound',
      objectId: scope,
      outcome: 'ok',
      correlationId,
      detail: existing.kind,
    });
    return true;
  }

  /** A channel of a team whose channel is linked belongs to that link's scope. */
  private async scopeOfTeam(place: TurnPlace): Promise<string | undefined> {
    const links = (await this.store.channelLinks.list()).filter(
      (l) => l.conversationId === place.conversationId || (place.teamId !== undefined && l.teamId === place.teamId),
    );
    const newest = links.sort((a, b) => b.linkedAt.localeCompare(a.linkedAt))[0];
    if (!newest) return undefined;
    const agreement = await this.store.agreements.get(newest.agreementId);
    return agreement ? scopeOf(agreement) : undefined;
  }
}

/**
 * Before a second municipality is added: rapportörer and coordinators stored without a scope
 * belonged to the only one, and are stamped with it so they stay there. Returns how many.
 */
export async function adoptUnscoped(store: Store, scope: string): Promise<number> {
  let stamped = 0;
  for (const r of await store.reporters.list()) {
    if (r.scope !== undefined) continue;
    await store.reporters.put({ ...r, scope });
    stamped++;
  }
  for (const c of await store.coordinators.list()) {
    if (c.scopes !== undefined) continue;
    await store.coordinators.put({ ...c, scopes: [scope] });
    stamped++;
  }
  return stamped;
}

/**
 * The rapportörer of a municipality (`scope` absent: the deployment's only one; none when there are
 * several). Every figure or name about rapportörer is about one municipality's.
 */
export async function reportersOfScope(store: Store, scope: string | undefined): Promise<Reporter[]> {
  const count = scopesOf(await store.agreements.list()).length;
  const all = await store.reporters.list();
  return all.filter((r) => (scope === undefined ? count <= 1 : belongsTo(r.scope, scope, count)));
}
