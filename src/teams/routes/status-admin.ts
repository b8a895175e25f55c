import type { TurnContext } from 'botbuilder';
import type { ActivitiesResult, ClearResult, OverrideResult, RequestMeta } from '../../app/coordination.js';
import {
  activitiesCard,
  activityFormCard,
  activitySavedCard,
  clearCard,
  forbiddenCard,
  overrideFormCard,
  overrideSavedCard,
  reportingRateCard,
} from '../cards/status-admin-cards.js';
import { noAgreementCard } from '../cards/status-card.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import { actorOf, sendCard, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';

/** Coordinators: status set by hand ("sätt status …", "ta bort status …"), activities and targets, reporting rate. */
export function registerStatusAdminRoutes({ app, deps, onCommand }: RouteContext): void {
  const coordination = deps.coordination;

  // Activities are untrusted JSON: only strings are taken from them.
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const metaOf = (context: TurnContext): RequestMeta => ({
    correlationId: str(context.activity.id)?.slice(0, 128),
    byName: str(context.activity.from?.name)?.slice(0, 100),
  });

  function renderOverride(context: TurnContext, result: OverrideResult): AdaptiveCardJson {
    const t = textsOf(context);
    switch (result.kind) {
      case 'forbidden':
        return forbiddenCard(t);
      case 'noAgreement':
        return noAgreementCard(t);
      case 'invalid':
        return overrideFormCard(t, result);
      case 'saved':
        return overrideSavedCard(t, result);
    }
  }

  function renderClear(context: TurnContext, result: ClearResult): AdaptiveCardJson {
    const t = textsOf(context);
    if (result.kind === 'forbidden') return forbiddenCard(t);
    if (result.kind === 'noAgreement') return noAgreementCard(t);
    return clearCard(t, result);
  }

  function renderActivities(context: TurnContext, result: ActivitiesResult): AdaptiveCardJson {
    const t = textsOf(context);
    switch (result.kind) {
      case 'forbidden':
        return forbiddenCard(t);
      case 'noAgreement':
        return noAgreementCard(t);
      case 'list':
        return activitiesCard(t, result);
      case 'invalid':
        return activityFormCard(t, result);
      case 'saved':
        return activitySavedCard(t, result);
    }
  }

  onCommand('override', async (context, rest) => {
    const result = await coordination.override(await actorOf(context, deps), rest, metaOf(context));
    await sendCard(context, renderOverride(context, result));
  });

  onCommand('clearOverride', async (context, rest) => {
    const result = await coordination.clearOverride(await actorOf(context, deps), rest, metaOf(context));
    await sendCard(context, renderClear(context, result));
  });

  // "aktiviteter", "sätt mål …", "ny aktivitet …", "ändra aktivitet …": the use case reads the command words.
  onCommand('activities', async (context) => {
    const result = await coordination.activities(
      await actorOf(context, deps),
      str(context.activity.text) ?? '',
      metaOf(context),
    );
    await sendCard(context, renderActivities(context, result));
  });

  onCommand('reportingRate', async (context) => {
    const t = textsOf(context);
    const result = await coordination.reportingRate(await actorOf(context, deps), metaOf(context));
    await sendCard(
      context,
      result.kind === 'forbidden'
        ? forbiddenCard(t)
        : result.kind === 'noAgreement'
          ? noAgreementCard(t)
          : reportingRateCard(t, result),
    );
  });

  app.adaptiveCards.actionExecute<{ subject?: unknown; level?: unknown; reason?: unknown }>(
    Verbs.saveOverride,
    async (context, _state, data) =>
      renderOverride(
        context,
        await coordination.overrideFromForm(
          await actorOf(context, deps),
          data && typeof data === 'object' ? data : {},
          metaOf(context),
        ),
      ),
  );

  app.adaptiveCards.actionExecute<{ subject?: unknown }>(Verbs.clearOverride, async (context, _state, data) =>
    renderClear(
      context,
      await coordination.clearOverrideByKey(await actorOf(context, deps), str(data?.subject) ?? '', metaOf(context)),
    ),
  );
}
