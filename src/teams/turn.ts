import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { boundedId } from '../app/access.js';
import type { Actor } from '../app/actor.js';
import type { CommandKind } from '../app/commands.js';
import { textsFor, type Texts } from '../texts/index.js';
import { attachment, card, textBlock, type AdaptiveCardJson } from './cards/card.js';
import type { BotDeps } from './deps.js';

/** Small helpers every route uses. */
export const textsOf = (context: TurnContext): Texts => textsFor(context.activity.locale);

export const sendCard = (context: TurnContext, content: AdaptiveCardJson) =>
  context.sendActivity({ attachments: [attachment(content)] });

export const messageCard = (text: string) => card([textBlock(text)]);

export function tenantOf(context: TurnContext): string | undefined {
  const a = context.activity;
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
}

/**
 * The acting person: their AAD object id, never `from.id` (on other channels the client chooses
 * it). Only in local development mode, where nothing is authenticated, `from.id` stands in for a
 * client that sends no AAD id. The access gate lets a turn without an AAD id read the help only, so
 * no handler that needs a person gets here without one; if one did, the turn fails.
 */
export function personIdOf(context: TurnContext, deps: Pick<BotDeps, 'devMode'>): string | undefined {
  const from = context.activity.from;
  return boundedId(from?.aadObjectId) ?? (deps.devMode ? boundedId(from?.id) : undefined);
}

export function actorOf(context: TurnContext, deps: BotDeps): Promise<Actor> {
  const id = personIdOf(context, deps);
  if (!id) return Promise.reject(new Error('the activity names no person (no AAD object id)'));
  return deps.roles.actor(id, tenantOf(context));
}

/** A channel or a group chat: a message posted there is seen by every member. */
export function isSharedConversation(context: TurnContext): boolean {
  const c = context.activity.conversation;
  return c?.isGroup === true || (typeof c?.conversationType === 'string' && c.conversationType !== 'personal');
}

export type CommandHandler = (context: TurnContext, rest: string) => Promise<void>;

/** What a route module gets: the app for card verbs, and a place to register chat commands. */
export interface RouteContext {
  app: Application<TurnState>;
  deps: BotDeps;
  onCommand(kind: CommandKind, handler: CommandHandler): void;
}
