import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { boundedId } from '../app/access.js';
import type { Actor } from '../app/actor.js';
import type { CommandKind } from '../app/commands.js';
import type { ScopeResolution, TurnPlace } from '../app/scopes.js';
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

/** Where the turn happens: the conversation as Teams names it, with its kind and team. */
export function placeOf(context: TurnContext): TurnPlace | undefined {
  const a = context.activity;
  const id = boundedConversationId(a.conversation?.id);
  if (!id) return undefined;
  const type = a.conversation?.conversationType;
  const team = (a.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return {
    conversationId: id,
    kind: type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal',
    ...(typeof team === 'string' && team !== '' ? { teamId: team.slice(0, 256) } : {}),
  };
}

const boundedConversationId = (id: unknown): string | undefined =>
  typeof id === 'string' && id !== '' && id.length <= 1024 ? id : undefined;

const SCOPE_OF_TURN = Symbol('scopeOfTurn');

/** The municipality (scope) of this turn, resolved once per turn from the conversation and the person. */
export function scopeOfTurn(context: TurnContext, deps: BotDeps): Promise<ScopeResolution> {
  let resolution = context.turnState.get(SCOPE_OF_TURN) as Promise<ScopeResolution> | undefined;
  if (!resolution) {
    resolution = deps.scopes.resolve(placeOf(context), personIdOf(context, deps));
    context.turnState.set(SCOPE_OF_TURN, resolution);
  }
  return resolution;
}

/** Forgets the turn's scope after a choice bound the conversation (the rest of the turn sees the new one). */
export function forgetScopeOfTurn(context: TurnContext): void {
  context.turnState.delete(SCOPE_OF_TURN);
}

/** The acting person in the turn's municipality: coordinator rights are per municipality. */
export async function actorOf(context: TurnContext, deps: BotDeps): Promise<Actor> {
  const id = personIdOf(context, deps);
  if (!id) throw new Error('the activity names no person (no AAD object id)');
  const resolution = await scopeOfTurn(context, deps);
  return deps.roles.actor(id, tenantOf(context), resolution.kind === 'scoped' ? resolution.scope : undefined);
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
