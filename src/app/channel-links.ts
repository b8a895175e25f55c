import { safeText } from '../domain/outbound-guard.js';
import type { Actor } from './actor.js';
import type { AgreementService } from './agreements.js';
import { recordRefusal, recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { ChannelLink } from '../domain/channel-link.js';
import type { ConversationKind } from '../domain/conversation.js';
import type { Store } from './ports.js';
import type { Agreement } from '../domain/agreement.js';
import { scopeOf } from '../domain/scope.js';

/** Where `koppla kanal` was asked: what Teams told us about the conversation. */
export interface LinkTarget {
  kind: ConversationKind;
  /** The channel's conversation id (without a thread's `;messageid=` suffix). */
  conversationId: string;
  teamId?: string;
  channelId?: string;
  tenantId?: string;
  channelName?: string;
}

export type LinkResult =
  | { kind: 'linked'; link: ChannelLink; previous?: ChannelLink }
  | { kind: 'alreadyLinked'; link: ChannelLink }
  | { kind: 'notInChannel' }
  | { kind: 'forbidden' }
  | { kind: 'noAgreement' };

/**
 * The shared police–municipality channel of the current agreement: where reminders and digests
 * before follow-up meetings are posted. One channel per agreement; linking again moves the link.
 */
export class ChannelService {
  constructor(
    private readonly store: Store,
    private readonly agreements: AgreementService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async link(actor: Actor, target: LinkTarget, correlationId?: string): Promise<LinkResult> {
    const at = this.clock.now().toISOString();
    if (!actor.isCoordinator) {
      await this.audit.record({
        at,
        actor: { id: actor.id, tenantId: actor.tenantId },
        action: 'access.refused',
        objectId: target.conversationId,
        outcome: 'refused',
        correlationId,
        detail: 'channel.link',
      });
      return { kind: 'forbidden' };
    }
    if (target.kind !== 'channel') return { kind: 'notInChannel' };
    const current = await this.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    const previous = await linkOfAgreement(this.store, current.agreement);
    // A channel name that fails the privacy guard is not stored (the link itself is made).
    target = { ...target, channelName: safeText(target.channelName) };
    if (previous && previous.conversationId === target.conversationId) {
      // Same channel: keep the original date, but learn a name Teams did not give the first time.
      if (target.channelName && target.channelName !== previous.channelName) {
        const renamed = { ...previous, channelName: target.channelName };
        await this.store.channelLinks.put(renamed);
        return { kind: 'alreadyLinked', link: renamed };
      }
      return { kind: 'alreadyLinked', link: previous };
    }
    const link: ChannelLink = {
      agreementId: current.agreement.id,
      conversationId: target.conversationId,
      teamId: target.teamId,
      channelId: target.channelId,
      tenantId: target.tenantId,
      channelName: target.channelName,
      linkedBy: actor.id,
      linkedAt: at,
      // Moving the link keeps a weekly summary that was turned off, off.
      ...(previous?.weeklySummaryOff ? { weeklySummaryOff: previous.weeklySummaryOff } : {}),
    };
    await this.store.channelLinks.put(link);
    await recordStored(this.audit, {
      at,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'channel.linked',
      objectId: current.agreement.id,
      outcome: 'ok',
      correlationId,
      detail: previous ? 'moved' : 'first',
    });
    return { kind: 'linked', link, previous: previous && { ...previous, channelName: safeText(previous.channelName) } };
  }

  /**
   * Turns the weekly summary in the linked channel on or off (coordinators; on by default). Stored
   * on the channel link, so a new period that keeps the channel keeps the choice. Audited.
   */
  async setWeeklySummary(
    actor: Actor,
    on: boolean,
    correlationId?: string,
  ): Promise<
    | { kind: 'changed'; on: boolean; link: ChannelLink }
    | { kind: 'unchanged'; on: boolean; link: ChannelLink }
    | { kind: 'noChannel' }
    | { kind: 'forbidden' }
  > {
    const at = this.clock.now().toISOString();
    if (!actor.isCoordinator) {
      await recordRefusal(this.audit, this.clock.now(), actor, 'channel.weeklySummary', undefined, correlationId);
      return { kind: 'forbidden' };
    }
    const current = await this.agreements.current(actor.scope);
    const link = current ? await linkOfAgreement(this.store, current.agreement) : undefined;
    if (!link) return { kind: 'noChannel' };
    if (on === !link.weeklySummaryOff) return { kind: 'unchanged', on, link };
    const next: ChannelLink = { ...link };
    if (on) delete next.weeklySummaryOff;
    else next.weeklySummaryOff = { at, by: actor.id };
    await this.store.channelLinks.put(next);
    await recordStored(this.audit, {
      at,
      actor: { id: actor.id, tenantId: actor.tenantId },
      action: 'channel.weeklySummary',
      objectId: link.agreementId,
      outcome: 'ok',
      correlationId,
      detail: on ? 'on' : 'off',
    });
    return { kind: 'changed', on, link: next };
  }

  /** The link of a municipality's current agreement, if any (`scope` absent: the only municipality). */
  async current(scope?: string): Promise<ChannelLink | undefined> {
    const current = await this.agreements.current(scope);
    return current ? linkOfAgreement(this.store, current.agreement) : undefined;
  }
}

/**
 * The shared channel of an agreement: its own link, else the newest link of an earlier period of
 * the same municipality (a new period keeps the channel without linking again).
 */
export async function linkOfAgreement(store: Store, agreement: Agreement): Promise<ChannelLink | undefined> {
  const own = await store.channelLinks.get(agreement.id);
  if (own) return own;
  // Links are keyed by agreement: one read per earlier period of this municipality (a few), not
  // every municipality's links.
  const scope = scopeOf(agreement);
  const links: ChannelLink[] = [];
  for (const a of await store.agreements.list()) {
    if (a.id === agreement.id || scopeOf(a) !== scope) continue;
    const link = await store.channelLinks.get(a.id);
    if (link) links.push(link);
  }
  return links.sort((a, b) => b.linkedAt.localeCompare(a.linkedAt))[0];
}
