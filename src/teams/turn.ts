import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Actor } from '../app/actor.js';
import type { CommandKind } from '../app/commands.js';
import { textsFor, type Texts } from '../texts/index.js';
import { attachment, card, textBlock, type AdaptiveCardJson } from './cards/card.js';
import type { BotDeps } from './deps.js';

/** Small helpers every route uses. */
export const textsOf = (context: TurnContext): Texts => textsFor(context.activity.locale);

export const sendCard = (context: TurnContext, content: AdaptiveCardJson) => context.sendActivity({ attachments: [attachment(content)] });

export const messageCard = (text: string) => card([textBlock(text)]);

export function tenantOf(context: TurnContext): string | undefined {
  const a = context.activity;
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
}

/** The acting person: AAD object id (Teams' user id as a fallback in clients without AAD). */
export function actorOf(context: TurnContext, deps: BotDeps): Promise<Actor> {
  const a = context.activity;
  const id = a.from?.aadObjectId ?? a.from?.id ?? 'unknown';
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
