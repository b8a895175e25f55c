import type { TurnContext } from 'botbuilder';
import { boundedId } from '../../app/access.js';
import type { RolloverProposal, RolloverResult } from '../../app/agreements.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import { noticeCard } from '../cards/follow-up-cards.js';
import { parseRolloverData, rolloverCard, rolloverSavedCard } from '../cards/rollover-cards.js';
import { forbiddenCard } from '../cards/status-admin-cards.js';
import { noAgreementCard } from '../cards/status-card.js';
import { actorOf, sendCard, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';

/** Coordinators: "ny period" opens the rollover card for the conversation's current agreement. */
export function registerRolloverRoutes({ app, deps, onCommand }: RouteContext): void {
  const agreements = deps.agreements;

  async function render(context: TurnContext, result: RolloverProposal | RolloverResult): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    switch (result.kind) {
      case 'forbidden':
        return forbiddenCard(t);
      case 'notFound':
        return noticeCard(t.rollover.notFound);
      case 'form':
        return rolloverCard(t, result);
      case 'invalid':
        return rolloverCard(t, result, await agreements.list());
      case 'saved':
        return rolloverSavedCard(t, result);
    }
  }

  onCommand('rollover', async (context) => {
    const actor = await actorOf(context, deps);
    // The agreement rolled over is the one this conversation is about today.
    const current = await agreements.current(actor.scope);
    if (!current) {
      await sendCard(context, noAgreementCard(textsOf(context)));
      return;
    }
    const proposal = await agreements.rolloverProposal(actor, current.agreement.id, boundedId(context.activity.id));
    await sendCard(context, await render(context, proposal));
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>(Verbs.saveRollover, async (context, _state, data) => {
    const values = data && typeof data === 'object' ? data : {};
    const fromId = typeof values.fromAgreementId === 'string' ? values.fromAgreementId.slice(0, 80) : '';
    const result = await agreements.rollOver(
      await actorOf(context, deps),
      fromId,
      parseRolloverData(values),
      boundedId(context.activity.id),
    );
    return render(context, result);
  });

  app.adaptiveCards.actionExecute(Verbs.cancelRollover, async (context) =>
    noticeCard(textsOf(context).rollover.cancelled),
  );
}
