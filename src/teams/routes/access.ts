import { ActivityTypes, TeamsInfo, type Activity, type TurnContext } from 'botbuilder';
import { safeText } from '../../domain/outbound-guard.js';
import { boundedId, type RefusalKind } from '../../app/access.js';
import { attachment, card, plainText } from '../cards/card.js';
import { MAX_COMMAND_TEXT, parseCommand } from '../../app/commands.js';
import { helpCard } from '../cards/help-card.js';
import { actorOf, messageCard, personIdOf, sendCard, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';

/** At most this many people are handled in one message (each costs a call to the connector). */
const MAX_MENTIONS = 10;

function refusalKind(type: unknown): RefusalKind {
  switch (type) {
    case ActivityTypes.Message:
      return 'message';
    case ActivityTypes.Invoke:
      return 'invoke';
    case ActivityTypes.ConversationUpdate:
      return 'conversationUpdate';
    case ActivityTypes.InstallationUpdate:
      return 'installationUpdate';
    default:
      return 'other';
  }
}

/** Every tenant id the activity names: the channel data's and the conversation's. */
function tenantIdsOf(a: Activity): unknown[] {
  const channelData = a.channelData as { tenant?: { id?: unknown } } | null | undefined;
  const tenant = channelData && typeof channelData === 'object' ? channelData.tenant : undefined;
  return [tenant && typeof tenant === 'object' ? tenant.id : undefined, a.conversation?.tenantId];
}

/**
 * The people @mentioned in a message, without the bot itself (teams-ai removes the bot's mention
 * from the text but not from the entities). Teams mention entities carry the Teams user id
 * (`29:...`) and the display name, not the AAD object id.
 */
export function mentionedPeople(a: Activity): { id: string; name?: string }[] {
  if (!Array.isArray(a.entities)) return [];
  const seen = new Set<string>();
  const out: { id: string; name?: string }[] = [];
  for (const e of a.entities as unknown[]) {
    if (!e || typeof e !== 'object') continue;
    const entity = e as { type?: unknown; mentioned?: { id?: unknown; name?: unknown } | null };
    if (typeof entity.type !== 'string' || entity.type.toLowerCase() !== 'mention') continue;
    const id = entity.mentioned && typeof entity.mentioned === 'object' ? entity.mentioned.id : undefined;
    if (typeof id !== 'string' || id === '' || id.length > 256) continue;
    if (id === a.recipient?.id || id.startsWith('28:')) continue;
    if (seen.has(id)) continue;
    seen.add(id);
    const name = entity.mentioned?.name;
    // A display name that fails the privacy guard is not shown back.
    out.push({
      id,
      name: typeof name === 'string' && name.trim() !== '' ? safeText(name.trim().slice(0, 100)) : undefined,
    });
  }
  return out.slice(0, MAX_MENTIONS);
}

/**
 * Access to the bot. Registered FIRST: its beforeTurn refuses turns from tenants outside
 * ALLOWED_TENANT_IDS before anything else runs (nothing is stored, not even the conversation).
 * Also the chat commands for coordinators: "lägg till samordnare @Namn", "ta bort samordnare @Namn".
 */
export function registerAccessRoutes({ app, deps, onCommand }: RouteContext): void {
  app.turn('beforeTurn', async (context) => {
    const a = context.activity;
    if (deps.access.tenantsAllowed(tenantIdsOf(a))) return true;

    const caller = {
      id: personIdOf(context, deps) ?? 'unknown',
      tenantId: tenantIdsOf(a).map(boundedId).find(Boolean),
    };
    const kind = refusalKind(a.type);
    deps.logger.warn({ kind, tenantId: caller.tenantId }, 'refused a turn from a tenant that is not allowed');
    await deps.access.refuseTenant(caller, kind, boundedId(a.id));

    const current = await deps.agreements.current();
    const text = textsOf(context).access.tenantRefused(
      current ? { municipality: current.agreement.municipality } : undefined,
    );
    if (kind === 'message') {
      await context.sendActivity(text);
    } else if (kind === 'invoke') {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: messageCard(text) },
        },
      });
    }
    return false;
  });

  // A person is their AAD object id. A turn that names none (with authentication on) may read the
  // help and nothing else; the bot's own installation events carry no person's action and pass.
  app.turn('beforeTurn', async (context) => {
    const a = context.activity;
    if (personIdOf(context, deps)) return true;
    if (a.type === ActivityTypes.ConversationUpdate || a.type === ActivityTypes.InstallationUpdate) return true;
    const t = textsOf(context);
    if (
      a.type === ActivityTypes.Message &&
      (a.text ?? '').length <= MAX_COMMAND_TEXT &&
      parseCommand(a.text).kind === 'help'
    )
      return true;
    const verb =
      a.type === ActivityTypes.Invoke
        ? (a.value as { action?: { verb?: unknown } } | undefined)?.action?.verb
        : undefined;
    if (a.name === 'adaptiveCard/action' && verb === Verbs.showHelp) return true;
    const kind = refusalKind(a.type);
    deps.logger.warn({ kind }, 'refused a turn that names no person (no aadObjectId)');
    await deps.access.refuseUnidentified(
      { id: 'unknown', tenantId: tenantIdsOf(a).map(boundedId).find(Boolean) },
      kind,
      boundedId(a.id),
    );
    if (kind === 'message') {
      await context.sendActivity({ text: t.errors.noIdentity, attachments: [attachment(helpCard(t))] });
    } else if (kind === 'invoke') {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: {
            statusCode: 200,
            type: 'application/vnd.microsoft.card.adaptive',
            value: messageCard(t.errors.noIdentity),
          },
        },
      });
    }
    return false;
  });

  async function changeCoordinators(context: TurnContext, change: 'add' | 'remove'): Promise<void> {
    const t = textsOf(context).access.coordinators;
    const actor = await actorOf(context, deps);
    const correlationId = boundedId(context.activity.id);
    if (!actor.isCoordinator) {
      await deps.access.refuseNonCoordinator(
        actor,
        change === 'add' ? 'coordinator.add' : 'coordinator.remove',
        correlationId,
      );
      await sendCard(context, messageCard(t.onlyCoordinators));
      return;
    }
    const people = mentionedPeople(context.activity);
    if (people.length === 0) {
      await sendCard(context, messageCard(change === 'add' ? t.usageAdd : t.usageRemove));
      return;
    }
    const lines: string[] = [];
    for (const person of people) {
      let aadObjectId: string | undefined;
      let name = person.name;
      try {
        const member = await TeamsInfo.getMember(context, person.id);
        aadObjectId = boundedId(member?.aadObjectId);
        if (!name && typeof member?.name === 'string') name = safeText(member.name.slice(0, 100));
      } catch (err) {
        deps.logger.warn(
          { err: { message: String((err as Error)?.message ?? err).slice(0, 200) } },
          'could not look up a mentioned member',
        );
      }
      const who = name ?? t.someone;
      if (!aadObjectId) {
        lines.push(t.lookupFailed(who));
        continue;
      }
      if (change === 'add') {
        const result = await deps.access.addCoordinator(actor, aadObjectId, correlationId);
        lines.push(
          result.kind === 'added'
            ? t.added(who)
            : result.kind === 'alreadyCoordinator'
              ? t.alreadyCoordinator(who)
              : result.kind === 'configured'
                ? t.configuredAdd(who)
                : t.onlyCoordinators,
        );
      } else {
        const result = await deps.access.removeCoordinator(actor, aadObjectId, correlationId);
        lines.push(
          result.kind === 'removed'
            ? t.removed(who)
            : result.kind === 'notCoordinator'
              ? t.notCoordinator(who)
              : result.kind === 'configured'
                ? t.configuredRemove(who)
                : t.onlyCoordinators,
        );
      }
    }
    // Display names come from Teams users: TextRuns, never markdown.
    await sendCard(context, card(lines.map((line) => plainText(line))));
  }

  onCommand('addCoordinator', (context) => changeCoordinators(context, 'add'));
  onCommand('removeCoordinator', (context) => changeCoordinators(context, 'remove'));
}
