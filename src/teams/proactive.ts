import {
  ActivityTypes,
  CardFactory,
  type Activity,
  type CloudAdapter,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { Clock } from '../app/clock.js';
import {
  DeliveryError,
  parseRetryAfter,
  type DeliveryTarget,
  type Mention,
  type OutgoingMessage,
  type ProactiveSender,
} from '../app/delivery/index.js';
import type { ConversationRepository } from '../app/ports.js';
import type { Logger } from '../logger.js';

/**
 * The Teams side of proactive delivery: replays a stored ConversationReference through the
 * TeamsAdapter (continueConversationAsync) and sends one message activity — no typing indicator,
 * no Application middleware.
 *
 * botbuilder's own retries. The connector client is an @azure/core-client ServiceClient whose
 * default pipeline holds core-rest-pipeline's `defaultRetryPolicy` (3 retries): it retries 429 and
 * 503 when they carry Retry-After, and 408, every 5xx but 501/505 (500, 502, 504 …) and network
 * errors (ECONNRESET, ECONNREFUSED, ETIMEDOUT …) with exponential backoff from 1 s up to 64 s. It
 * does NOT retry 412 or a 429 without Retry-After. Measured against the stub connector: one 502 sent
 * 4 requests over ~4.9 s, a 429 with Retry-After: 1 sent 4 over ~3 s. Stacked under the engine's 6
 * attempts that would be up to 24 requests per row, invisible to the ledger, the global 429 pause and
 * the pacing. botbuilder offers no option for it (ServiceClientContext does not pass retryOptions
 * through), so the policy is removed from each connector client's pipeline before the send: the
 * engine (app/delivery.ts) is the only layer that retries. If a future botbuilder changes the shape,
 * the removal reports false, a warning is logged once, and the engine's attempts still bound the
 * total (×4 at worst).
 */

/** continueConversationAsync needs an app id; without credentials (local development) any value works. */
export const DEV_MODE_BOT_APP_ID = '';

const RETRY_POLICY = 'defaultRetryPolicy';

interface PipelineLike {
  removePolicy?(options: { name: string }): unknown;
  getOrderedPolicies?(): { name: string }[];
}

/** Removes botbuilder's internal retry policy from the connector client of this proactive turn. */
export function disableConnectorRetries(context: TurnContext): boolean {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as
    { client?: { pipeline?: PipelineLike } } | undefined;
  const pipeline = connector?.client?.pipeline;
  if (!pipeline?.removePolicy || !pipeline.getOrderedPolicies) return false;
  pipeline.removePolicy({ name: RETRY_POLICY });
  return !pipeline.getOrderedPolicies().some((p) => p.name === RETRY_POLICY);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The one place an @mention is built: the `<at>Name</at>` tag with the name escaped once, and the
 * Teams mention entity holding that very tag. The text of a message must hold the same tag, so a
 * name with &, < or > gives exactly one mention, never a second one of raw markup.
 */
export function mention(m: Mention): { tag: string; entity: Record<string, unknown> } {
  const tag = `<at>${escapeXml(m.name)}</at>`;
  return { tag, entity: { type: 'mention', text: tag, mentioned: { id: m.aadObjectId, name: m.name } } };
}

/**
 * The message activity: `<at>Name</at>` in the text for every mention (put first when the caller's
 * text does not already hold it) plus a Teams mention entity with the person's AAD object id.
 */
export function proactiveActivity(message: OutgoingMessage): Partial<Activity> {
  let text = message.text ?? '';
  const entities: Record<string, unknown>[] = [];
  for (const m of message.mentions ?? []) {
    const { tag, entity } = mention(m);
    if (!text.includes(tag)) text = text ? `${tag} ${text}` : tag;
    entities.push(entity);
  }
  const activity: Partial<Activity> = { type: ActivityTypes.Message };
  if (text) activity.text = text;
  if (entities.length > 0) activity.entities = entities as Activity['entities'];
  if (message.card) activity.attachments = [CardFactory.adaptiveCard(message.card)];
  return activity;
}

/** Maps what botbuilder throws (RestError: statusCode, code, response headers) to a DeliveryError. */
export function toDeliveryError(err: unknown, nowMs: number): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    response?: { headers?: { get?(name: string): string | undefined } };
  } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const headers = e?.response?.headers;
  let retryAfterMs: number | undefined;
  if (typeof headers?.get === 'function') {
    const ms = Number(headers.get('retry-after-ms') ?? headers.get('x-ms-retry-after-ms'));
    retryAfterMs = Number.isFinite(ms) && ms > 0 ? ms : parseRetryAfter(headers.get('retry-after'), nowMs);
  }
  const code = typeof e?.code === 'string' && e.code !== '' ? e.code : undefined;
  return new DeliveryError(String(e?.message ?? err).slice(0, 300), { status, retryAfterMs, code });
}

export interface TeamsProactiveSenderDeps {
  adapter: CloudAdapter;
  conversations: Pick<ConversationRepository, 'get'>;
  /** The Azure bot's app id; undefined in local development mode. */
  botAppId?: string;
  clock: Clock;
  logger?: Pick<Logger, 'warn'>;
}

export class TeamsProactiveSender implements ProactiveSender {
  private warnedRetryPolicy = false;

  constructor(private readonly deps: TeamsProactiveSenderDeps) {}

  async send(target: DeliveryTarget, message: OutgoingMessage): Promise<{ activityId?: string }> {
    const referenceId = target.channelPost?.teamConversationId ?? target.conversationId;
    const stored = await this.deps.conversations.get(referenceId);
    if (!stored) throw new DeliveryError('no stored conversation reference', { code: 'NO_REFERENCE' });
    const reference = structuredClone(stored.reference) as Partial<ConversationReference>;
    // A reminder is a new message, not a reply to whatever activity the reference was taken from.
    delete reference.activityId;
    if (target.channelPost) {
      reference.conversation = {
        ...(reference.conversation as ConversationReference['conversation']),
        id: target.channelPost.channelId,
        conversationType: 'channel',
        isGroup: true,
      };
    }
    const activity = proactiveActivity(message);
    let activityId: string | undefined;
    // The send's own failure, caught inside the turn: botbuilder hands an error thrown by the turn's
    // logic to the adapter's onTurnError (the bot's app.error) and resolves, so a 429 or a 5xx would
    // otherwise look like a success and the row would be recorded 'sent' although nothing arrived.
    let failure: { error: unknown } | undefined;
    try {
      await this.deps.adapter.continueConversationAsync(
        this.deps.botAppId ?? DEV_MODE_BOT_APP_ID,
        reference,
        async (context) => {
          if (!disableConnectorRetries(context) && !this.warnedRetryPolicy) {
            this.warnedRetryPolicy = true;
            this.deps.logger?.warn(
              'delivery: could not remove botbuilder’s internal retry policy; its retries add to the engine’s',
            );
          }
          try {
            activityId = (await context.sendActivity(activity))?.id;
          } catch (err) {
            failure = { error: err };
          }
        },
      );
    } catch (err) {
      throw toDeliveryError(err, this.deps.clock.now().getTime());
    }
    if (failure) throw toDeliveryError(failure.error, this.deps.clock.now().getTime());
    return { activityId };
  }
}
