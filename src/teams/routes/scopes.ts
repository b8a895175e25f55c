import { ActivityTypes, type TurnContext } from 'botbuilder';
import { MAX_COMMAND_TEXT, parseCommand, type CommandKind } from '../../app/commands.js';
import { boundedId } from '../../app/access.js';
import type { ScopeInfo } from '../../domain/scope.js';
import { scopeChoiceCard } from '../cards/scope-card.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import {
  forgetScopeOfTurn,
  messageCard,
  personIdOf,
  placeOf,
  scopeOfTurn,
  sendCard,
  tenantOf,
  textsOf,
  type RouteContext,
} from '../turn.js';
import { Verbs } from '../verbs.js';

/** What an unbound conversation may still do: read the help, choose a municipality, link the channel. */
const OPEN_COMMANDS: ReadonlySet<CommandKind> = new Set(['help', 'switchScope', 'linkChannel']);
const OPEN_VERBS: ReadonlySet<string> = new Set([Verbs.showHelp, Verbs.chooseScope, Verbs.linkChannel]);

/**
 * One deployment, many municipalities. Registered after the core routes (whose beforeTurn
 * remembers the conversation): with two or more municipalities, a turn in a conversation bound to
 * none gets the choice (a person known in several) or a plain answer on how to connect it, never
 * another municipality's figures. With one municipality every conversation is that one, as before.
 */
export function registerScopeRoutes({ app, deps, onCommand }: RouteContext): void {
  app.turn('beforeTurn', async (context) => {
    const a = context.activity;
    if (a.type !== ActivityTypes.Message && a.type !== ActivityTypes.Invoke) return true;
    const personId = personIdOf(context, deps);
    if (!personId) return true;
    const resolution = await scopeOfTurn(context, deps);
    if (resolution.kind !== 'unbound') return true;
    if (a.type === ActivityTypes.Message) {
      if ((a.text ?? '').length > MAX_COMMAND_TEXT) return true;
      const command = parseCommand(a.text);
      if (command.kind !== 'unknown' && OPEN_COMMANDS.has(command.kind)) return true;
    } else {
      const verb = (a.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
      if (a.name !== 'adaptiveCard/action') return true;
      if (typeof verb === 'string' && OPEN_VERBS.has(verb)) return true;
    }
    const answer = unboundAnswer(context, resolution.choices);
    if (a.type === ActivityTypes.Message) await sendCard(context, answer);
    else
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: answer },
        },
      });
    return false;
  });

  /** In a personal chat the person's municipalities to choose from; elsewhere how to connect. */
  function unboundAnswer(context: TurnContext, choices: ScopeInfo[]): AdaptiveCardJson {
    const t = textsOf(context);
    const place = placeOf(context);
    if (place?.kind === 'personal' && choices.length > 0) return scopeChoiceCard(t, choices, { shared: false });
    return messageCard(t.scopes.notConnected[place?.kind ?? 'personal']);
  }

  /** "byt kommun": the card with the municipalities this person may choose here. */
  async function switchCard(context: TurnContext): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const personId = personIdOf(context, deps)!;
    const place = placeOf(context);
    const resolution = await scopeOfTurn(context, deps);
    if (resolution.kind === 'none') return messageCard(t.status.noAgreement);
    const scopes = resolution.scopes;
    if (scopes.length === 1) return messageCard(t.scopes.onlyOne(scopes[0]!.municipality));
    const shared = place?.kind !== 'personal';
    const choices = shared
      ? await deps.scopes.coordinatedBy(personId, scopes)
      : await deps.scopes.scopesOfPerson(personId, scopes);
    if (choices.length === 0) return messageCard(shared ? t.scopes.onlyCoordinators : t.scopes.notConnected.personal);
    const current = resolution.kind === 'scoped' ? scopes.find((s) => s.key === resolution.scope) : undefined;
    return scopeChoiceCard(t, choices, { shared, current });
  }

  onCommand('switchScope', async (context) => {
    await sendCard(context, await switchCard(context));
  });

  app.adaptiveCards.actionExecute<{ scope?: unknown }>(Verbs.chooseScope, async (context, _state, data) => {
    const t = textsOf(context);
    const place = placeOf(context);
    const personId = personIdOf(context, deps)!;
    const key = typeof data.scope === 'string' ? data.scope.slice(0, 100) : '';
    if (!place) return messageCard(t.scopes.unknown);
    const result = await deps.scopes.choose(
      { id: personId, tenantId: tenantOf(context), isCoordinator: false },
      place,
      key,
      boundedId(context.activity.id),
    );
    switch (result.kind) {
      case 'bound':
        forgetScopeOfTurn(context);
        return messageCard(
          (place.kind === 'channel' ? t.scopes.boundChannel : t.scopes.bound)(result.scope.municipality),
        );
      case 'forbidden':
        return messageCard(place.kind === 'personal' ? t.scopes.forbidden : t.scopes.onlyCoordinators);
      default:
        return messageCard(t.scopes.unknown);
    }
  });
}
