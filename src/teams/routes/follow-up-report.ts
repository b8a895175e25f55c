import type { TurnContext } from 'botbuilder';
import { boundedId } from '../../app/access.js';
import type { ApprovalRefusal, FollowUpRefusal, FollowUpView } from '../../app/follow-up-report.js';
import { isReportingParty } from '../../domain/party.js';
import { fold } from '../../domain/text-match.js';
import type { Texts } from '../../texts/index.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import { noticeCard } from '../cards/follow-up-cards.js';
import { communicationCard, followUpCard, kfReportCard, narrativeCard } from '../cards/follow-up-report-cards.js';
import { actorOf, sendCard, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';

type Data = Record<string, unknown>;

const str = (v: unknown, max = 80): string => (typeof v === 'string' ? v.slice(0, max) : '');
const ids = (data: Data) => ({ agreementId: str(data.agreementId), periodKey: str(data.periodKey, 20) });

/** "för tertial 2", "tertial 2", "2024": the period words after the command. */
const periodWords = (rest: string): string => fold(rest).replace(/^(?:for|of)\s+/, '');

function refusalCard(t: Texts, r: FollowUpRefusal | ApprovalRefusal): AdaptiveCardJson {
  const f = t.followUpReport.refusals;
  switch (r.kind) {
    case 'forbidden':
      return noticeCard(f.forbidden);
    case 'noAgreement':
      return noticeCard(f.noAgreement);
    case 'period':
      return noticeCard(
        r.reason === 'notInAgreement'
          ? f.notInAgreement(`${r.agreement.periodStart.slice(0, 4)}–${r.agreement.periodEnd.slice(0, 4)}`)
          : f.notUnderstood('uppföljning tertial 2'),
      );
    case 'notFound':
      return noticeCard(f.notFound);
    case 'notCoordinator':
      return noticeCard(f.notCoordinator);
    case 'unknownParty':
      return noticeCard(f.unknownParty);
    case 'wrongParty':
      return noticeCard(f.wrongParty(r.own, r.pressed));
    case 'staleRevision':
      return followUpCard(t, r.view, { notice: f.staleRevision(r.view.stored.revision), noticeIsProblem: true });
  }
}

function viewCard(t: Texts, view: FollowUpView): AdaptiveCardJson {
  const n = t.followUpReport.notices;
  const last = view.stored.approvals[view.stored.approvals.length - 1];
  const notice =
    view.notice === 'created'
      ? n.created
      : view.notice === 'narrativeSaved'
        ? n.narrativeSaved
        : view.notice === 'approved'
          ? n.approved(last?.party ?? '')
          : view.notice === 'signed'
            ? n.signed
            : view.notice === 'refreshed'
              ? n.refreshed
              : view.notice === 'unchanged'
                ? n.unchanged
                : view.notice === 'communicated'
                  ? n.communicated
                  : undefined;
  return followUpCard(t, view, notice ? { notice } : {});
}

/**
 * Coordinators: "uppföljning tertial 2" shows the draft of a follow-up point; its buttons write a
 * narrative per löfte, approve for one's own party, refresh the figures and record where it was
 * communicated; "kf-rapport 2024" shows the KF report's summary.
 */
export function registerFollowUpReportRoutes({ app, deps, onCommand }: RouteContext): void {
  const followUps = deps.followUps;
  if (!followUps) return;

  onCommand('followUpReport', async (context, rest) => {
    const t = textsOf(context);
    const result = await followUps.open(
      await actorOf(context, deps),
      periodWords(rest),
      boundedId(context.activity.id),
    );
    await sendCard(context, result.kind === 'view' ? viewCard(t, result) : refusalCard(t, result));
  });

  onCommand('kfReport', async (context, rest) => {
    const t = textsOf(context);
    const result = await followUps.kfReport(await actorOf(context, deps), periodWords(rest));
    await sendCard(context, result.kind === 'kf' ? kfReportCard(t, result) : refusalCard(t, result));
  });

  const execute = (verb: string, handler: (context: TurnContext, data: Data) => Promise<AdaptiveCardJson>) =>
    app.adaptiveCards.actionExecute<Data>(verb, async (context, _state, data) =>
      handler(context, data && typeof data === 'object' ? data : {}),
    );

  execute(Verbs.followUpNarrative, async (context, data) => {
    const t = textsOf(context);
    const { agreementId, periodKey } = ids(data);
    const result = await followUps.narrativeForm(
      await actorOf(context, deps),
      agreementId,
      periodKey,
      Number(data.pledge),
    );
    return result.kind === 'narrativeForm' ? narrativeCard(t, result) : refusalCard(t, result);
  });

  execute(Verbs.followUpSaveNarrative, async (context, data) => {
    const t = textsOf(context);
    const { agreementId, periodKey } = ids(data);
    const result = await followUps.saveNarrative(
      await actorOf(context, deps),
      agreementId,
      periodKey,
      Number(data.pledge),
      typeof data.narrative === 'string' ? data.narrative.slice(0, 10_000) : '',
      boundedId(context.activity.id),
    );
    if (result.kind === 'narrativeForm') return narrativeCard(t, result);
    return result.kind === 'view' ? viewCard(t, result) : refusalCard(t, result);
  });

  execute(Verbs.followUpApprove, async (context, data) => {
    const t = textsOf(context);
    const { agreementId, periodKey } = ids(data);
    const party = str(data.party, 20);
    if (!isReportingParty(party)) return noticeCard(t.followUpReport.refusals.notFound);
    const result = await followUps.approve(
      await actorOf(context, deps),
      agreementId,
      periodKey,
      party,
      Number(data.revision),
      boundedId(context.activity.id),
    );
    if (result.kind === 'view')
      return result.notice === 'alreadyApproved'
        ? followUpCard(t, result, { notice: t.followUpReport.notices.alreadyApproved(party) })
        : viewCard(t, result);
    return refusalCard(t, result);
  });

  execute(Verbs.followUpRefresh, async (context, data) => {
    const t = textsOf(context);
    const { agreementId, periodKey } = ids(data);
    const result = await followUps.refresh(
      await actorOf(context, deps),
      agreementId,
      periodKey,
      boundedId(context.activity.id),
    );
    return result.kind === 'view' ? viewCard(t, result) : refusalCard(t, result);
  });

  execute(Verbs.followUpCommunication, async (context, data) => {
    const t = textsOf(context);
    const { agreementId, periodKey } = ids(data);
    const result = await followUps.communicationForm(await actorOf(context, deps), agreementId, periodKey);
    if (result.kind === 'communicationForm') return communicationCard(t, result);
    if (result.kind === 'notSigned')
      return followUpCard(t, result.view, { notice: t.followUpReport.refusals.notSigned, noticeIsProblem: true });
    return refusalCard(t, result);
  });

  execute(Verbs.followUpSaveCommunication, async (context, data) => {
    const t = textsOf(context);
    const { agreementId, periodKey } = ids(data);
    const raw = Object.fromEntries(['channel', 'date', 'url', 'note'].map((k) => [k, str(data[k], 2000)]));
    const result = await followUps.recordCommunication(
      await actorOf(context, deps),
      agreementId,
      periodKey,
      raw,
      boundedId(context.activity.id),
    );
    if (result.kind === 'communicationForm') return communicationCard(t, result);
    if (result.kind === 'notSigned')
      return followUpCard(t, result.view, { notice: t.followUpReport.refusals.notSigned, noticeIsProblem: true });
    return result.kind === 'view' ? viewCard(t, result) : refusalCard(t, result);
  });
}
