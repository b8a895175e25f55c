import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { LinkTarget } from '../../app/channel-links.js';
import type { MeetingSaveResult, RawMeetingInput } from '../../app/meetings.js';
import type { ConversationKind } from '../../app/ports.js';
import { localDateOf } from '../../domain/calendar.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import { cancelConfirmCard, meetingFormCard, meetingsListCard, meetingSummaryCard, noticeCard, partyChoiceCard, reportersCard } from '../cards/follow-up-cards.js';
import { actorOf, sendCard, tenantOf, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';

type Data = Record<string, unknown>;

function kindOf(context: TurnContext): ConversationKind {
  const type = context.activity.conversation?.conversationType;
  return type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
}

/**
 * The channel as Teams describes it. A message in a thread carries `;messageid=` in its
 * conversation id; reminders go to the channel itself.
 */
function linkTargetOf(context: TurnContext): LinkTarget {
  const a = context.activity;
  const channelData = (a.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string; name?: string } };
  return {
    kind: kindOf(context),
    conversationId: channelData.channel?.id ?? (a.conversation?.id ?? '').split(';')[0]!,
    teamId: channelData.team?.id,
    channelId: channelData.channel?.id,
    tenantId: tenantOf(context),
    channelName: channelData.channel?.name?.trim() || undefined,
  };
}

const idOf = (data: Data, key: string): string => (typeof data[key] === 'string' ? (data[key] as string).slice(0, 128) : '');

/** `koppla kanal`, rapportörer (`anmäl mig`, `avanmäl mig`, `borta till`, `rapportörer`) and follow-up meetings. */
export function registerFollowUpRoutes({ app, deps, onCommand }: RouteContext): void {
  // --- The shared channel -------------------------------------------------------------------
  async function link(context: TurnContext): Promise<AdaptiveCardJson> {
    const c = textsOf(context).followUp.channel;
    const result = await deps.channels.link(await actorOf(context, deps), linkTargetOf(context), context.activity.id);
    switch (result.kind) {
      case 'linked':
        return noticeCard(result.previous ? `${c.linked} ${c.moved(result.previous.channelName)}` : c.linked);
      case 'alreadyLinked':
        return noticeCard(c.alreadyLinked(localDateOf(new Date(result.link.linkedAt))));
      case 'notInChannel':
        return noticeCard(c.notInChannel);
      case 'forbidden':
        return noticeCard(c.forbidden);
      case 'noAgreement':
        return noticeCard(c.noAgreement);
    }
  }
  onCommand('linkChannel', async (context) => {
    await sendCard(context, await link(context));
  });
  app.adaptiveCards.actionExecute(Verbs.linkChannel, async (context) => link(context));

  // --- Rapportörer --------------------------------------------------------------------------
  async function register(context: TurnContext, partyText: string): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const r = t.followUp.reporters;
    const a = context.activity;
    const result = await deps.reporters.register(await actorOf(context, deps), { kind: kindOf(context), conversationId: a.conversation?.id ?? '', name: a.from?.name }, partyText, a.id);
    switch (result.kind) {
      case 'registered':
        return noticeCard((result.already ? r.alreadyRegistered : r.registered)(t.party(result.reporter.party)));
      case 'needParty':
        return partyChoiceCard(t);
      case 'unknownParty':
        return partyChoiceCard(t, r.unknownParty);
    }
  }
  onCommand('registerReporter', async (context, rest) => {
    await sendCard(context, await register(context, rest));
  });
  app.adaptiveCards.actionExecute<Data>(Verbs.registerReporter, async (context, _state, data) => register(context, typeof data.party === 'string' ? data.party : ''));

  onCommand('unregisterReporter', async (context) => {
    const r = textsOf(context).followUp.reporters;
    const result = await deps.reporters.unregister(await actorOf(context, deps), context.activity.id);
    await sendCard(context, noticeCard(result.kind === 'unregistered' ? r.unregistered : r.notRegistered));
  });

  onCommand('absence', async (context, rest) => {
    const r = textsOf(context).followUp.reporters;
    const result = await deps.reporters.absence(await actorOf(context, deps), rest, context.activity.id);
    const text = result.kind === 'saved' ? r.absenceSaved(result.until) : result.kind === 'notRegistered' ? r.notRegistered : r.absenceErrors[result.code];
    await sendCard(context, noticeCard(text));
  });

  async function reporterList(context: TurnContext, note?: string): Promise<AdaptiveCardJson> {
    const r = textsOf(context).followUp.reporters;
    const list = await deps.reporters.list(await actorOf(context, deps), kindOf(context), context.activity.id);
    if (list.kind === 'forbidden') return noticeCard(r.forbidden);
    if (list.kind === 'personalChatOnly') return noticeCard(note ?? r.onlyInPersonalChat);
    return reportersCard(textsOf(context), list, note);
  }
  onCommand('reporters', async (context) => {
    await sendCard(context, await reporterList(context));
  });
  app.adaptiveCards.actionExecute<Data>(Verbs.removeReporter, async (context, _state, data) => {
    const r = textsOf(context).followUp.reporters;
    const result = await deps.reporters.remove(await actorOf(context, deps), idOf(data, 'reporterId'), context.activity.id);
    if (result.kind === 'forbidden') return noticeCard(r.forbidden);
    return reporterList(context, result.kind === 'unregistered' ? r.removed(result.name) : r.alreadyRemoved);
  });

  // --- Uppföljningsmöten --------------------------------------------------------------------
  async function newMeeting(context: TurnContext): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const form = await deps.meetings.form(await actorOf(context, deps), context.activity.id);
    if (form.kind === 'forbidden') return noticeCard(t.followUp.meetings.forbidden);
    if (form.kind === 'noAgreement') return noticeCard(t.followUp.meetings.noAgreement);
    return meetingFormCard(t, { today: form.today, meetingId: randomUUID() });
  }
  onCommand('newMeeting', async (context) => {
    await sendCard(context, await newMeeting(context));
  });
  app.adaptiveCards.actionExecute(Verbs.newMeeting, async (context) => newMeeting(context));

  async function renderSave(context: TurnContext, result: MeetingSaveResult, data: Data, editing: boolean): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const m = t.followUp.meetings;
    const today = localDateOf(deps.clock.now());
    switch (result.kind) {
      case 'saved': {
        const notes = editing ? (result.duplicate ? [m.unchanged] : result.rescheduled ? [m.updated, m.rescheduled] : [m.updated]) : result.duplicate ? [m.alreadySaved] : [m.saved];
        return meetingSummaryCard(t, result.meeting, { notes, canChange: true });
      }
      case 'invalid': {
        const meeting = editing ? await deps.meetings.get(idOf(data, 'meetingId')) : undefined;
        return meetingFormCard(t, { today, meetingId: idOf(data, 'meetingId') || randomUUID(), meeting, values: data, errors: result.errors });
      }
      case 'cancelled':
        return meetingSummaryCard(t, result.meeting, { notes: [m.alreadyCancelled], canChange: false });
      case 'forbidden':
        return noticeCard(m.forbidden);
      case 'notFound':
        return noticeCard(m.notFound);
      case 'noAgreement':
        return noticeCard(m.noAgreement);
    }
  }
  app.adaptiveCards.actionExecute<RawMeetingInput>(Verbs.createMeeting, async (context, _state, data) =>
    renderSave(context, await deps.meetings.create(await actorOf(context, deps), data, context.activity.id), data, false),
  );
  app.adaptiveCards.actionExecute<RawMeetingInput>(Verbs.updateMeeting, async (context, _state, data) =>
    renderSave(context, await deps.meetings.update(await actorOf(context, deps), idOf(data, 'meetingId'), data, context.activity.id), data, true),
  );

  /** Ändra and Ställ in: look the meeting up for a change, then show the form or the question. */
  async function forChange(context: TurnContext, data: Data, what: 'meeting.change' | 'meeting.cancel'): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const m = t.followUp.meetings;
    const found = await deps.meetings.forChange(await actorOf(context, deps), idOf(data, 'meetingId'), what, context.activity.id);
    switch (found.kind) {
      case 'found':
        return what === 'meeting.change' ? meetingFormCard(t, { today: localDateOf(deps.clock.now()), meetingId: found.meeting.id, meeting: found.meeting }) : cancelConfirmCard(t, found.meeting);
      case 'cancelled':
        return meetingSummaryCard(t, found.meeting, { notes: [m.alreadyCancelled], canChange: false });
      case 'forbidden':
        return noticeCard(m.forbidden);
      case 'notFound':
        return noticeCard(m.notFound);
    }
  }
  app.adaptiveCards.actionExecute<Data>(Verbs.editMeeting, async (context, _state, data) => forChange(context, data, 'meeting.change'));
  app.adaptiveCards.actionExecute<Data>(Verbs.cancelMeeting, async (context, _state, data) => forChange(context, data, 'meeting.cancel'));

  app.adaptiveCards.actionExecute<Data>(Verbs.confirmCancelMeeting, async (context, _state, data) => {
    const m = textsOf(context).followUp.meetings;
    const result = await deps.meetings.cancel(await actorOf(context, deps), idOf(data, 'meetingId'), context.activity.id);
    switch (result.kind) {
      case 'found':
        return meetingSummaryCard(textsOf(context), result.meeting, { notes: [m.cancelled], canChange: false });
      case 'cancelled':
        return meetingSummaryCard(textsOf(context), result.meeting, { notes: [m.alreadyCancelled], canChange: false });
      case 'forbidden':
        return noticeCard(m.forbidden);
      case 'notFound':
        return noticeCard(m.notFound);
    }
  });

  async function meetingList(context: TurnContext): Promise<AdaptiveCardJson> {
    const actor = await actorOf(context, deps);
    return meetingsListCard(textsOf(context), await deps.meetings.upcoming(), actor.isCoordinator);
  }
  onCommand('meetings', async (context) => {
    await sendCard(context, await meetingList(context));
  });
  app.adaptiveCards.actionExecute(Verbs.listMeetings, async (context) => meetingList(context));
}
