import { randomUUID } from 'node:crypto';
import { safeText } from '../../domain/outbound-guard.js';
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { boundedId } from '../../app/access.js';
import type { LinkTarget } from '../../app/channel-links.js';
import type { MeetingSaveResult, RawMeetingInput } from '../../app/meetings.js';
import type { ConversationKind } from '../../domain/conversation.js';
import type { OtherPerson, RegisterOtherResult } from '../../app/reporters.js';
import { localDateOf } from '../../domain/calendar.js';
import { fold } from '../../domain/text-match.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import {
  cancelConfirmCard,
  meetingFormCard,
  meetingsListCard,
  meetingSummaryCard,
  noticeCard,
  partyChoiceCard,
  registerOthersCard,
  reportersCard,
} from '../cards/follow-up-cards.js';
import {
  actorOf,
  forgetScopeOfTurn,
  personIdOf,
  placeOf,
  scopeOfTurn,
  sendCard,
  tenantOf,
  textsOf,
  type RouteContext,
} from '../turn.js';
import { scopeChoiceCard } from '../cards/scope-card.js';
import { mentionedPeople } from './access.js';
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

const idOf = (data: Data, key: string): string =>
  typeof data[key] === 'string' ? (data[key] as string).slice(0, 128) : '';

/** `anmäl mig ...` and its kin register the writer; `anmäl @Namn ...` (a coordinator) registers others. */
const SELF_REGISTRATION = /^(anmal mig|registrera mig|register me|register as reporter|register as a reporter)( |$)/;

/** At most this many people are registered from one message or button (each costs a connector call). */
const MAX_OTHERS = 10;

/** The people a Registrera button carries (set by registerOthersCard; checked, as any card data). */
function peopleOf(data: Data): OtherPerson[] | undefined {
  if (!Array.isArray(data.people)) return undefined;
  const out: OtherPerson[] = [];
  for (const p of data.people.slice(0, MAX_OTHERS) as unknown[]) {
    if (!p || typeof p !== 'object') continue;
    const o = p as Record<string, unknown>;
    const aadObjectId = boundedId(o.aadObjectId);
    if (!aadObjectId) continue;
    const name = typeof o.name === 'string' && o.name.trim() !== '' ? o.name.trim().slice(0, 100) : undefined;
    out.push({ aadObjectId, name, tenantId: boundedId(o.tenantId) });
  }
  return out;
}

/** `koppla kanal`, rapportörer (`anmäl mig`, `avanmäl mig`, `borta till`, `rapportörer`) and follow-up meetings. */
export function registerFollowUpRoutes({ app, deps, onCommand }: RouteContext): void {
  // --- The shared channel -------------------------------------------------------------------
  async function link(context: TurnContext): Promise<AdaptiveCardJson> {
    const c = textsOf(context).followUp.channel;
    const place = placeOf(context);
    const resolution = await scopeOfTurn(context, deps);
    // A channel no municipality has yet (two or more in the deployment): linking it binds it to the
    // coordinator's municipality; one who coordinates several chooses first.
    if (resolution.kind === 'unbound' && place?.kind === 'channel') {
      const personId = personIdOf(context, deps)!;
      const mine = await deps.scopes.coordinatedBy(personId, resolution.scopes);
      if (mine.length > 1) return scopeChoiceCard(textsOf(context), mine, { shared: true });
      if (mine.length === 1) {
        const who = { id: personId, tenantId: tenantOf(context), isCoordinator: true };
        await deps.scopes.bind(who, place.conversationId, mine[0]!.key, boundedId(context.activity.id));
        forgetScopeOfTurn(context);
      }
    }
    const actor = await actorOf(context, deps);
    const result = await deps.channels.link(actor, linkTargetOf(context), context.activity.id);
    if ((result.kind === 'linked' || result.kind === 'alreadyLinked') && place && actor.scope)
      await deps.scopes.bind(actor, place.conversationId, actor.scope, boundedId(context.activity.id));
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

  // --- Reporters ---------------------------------------------------------------------------
  async function register(context: TurnContext, partyText: string): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const r = t.followUp.reporters;
    const a = context.activity;
    const result = await deps.reporters.register(
      await actorOf(context, deps),
      { kind: kindOf(context), conversationId: a.conversation?.id ?? '', name: a.from?.name },
      partyText,
      a.id,
    );
    switch (result.kind) {
      case 'registered':
        return noticeCard((result.already ? r.alreadyRegistered : r.registered)(t.party(result.reporter.party)));
      case 'needParty':
        return partyChoiceCard(t);
      case 'unknownParty':
        return partyChoiceCard(t, r.unknownParty);
    }
  }
  function renderOthers(context: TurnContext, result: RegisterOtherResult, lines: string[]): AdaptiveCardJson {
    const t = textsOf(context);
    const o = t.followUp.reporters.others;
    if (result.kind === 'forbidden') return noticeCard(o.forbidden);
    if (result.outcomes.length === 0 && lines.length === 0) return noticeCard(o.usage);
    const pending: OtherPerson[] = [];
    for (const outcome of result.outcomes) {
      if (outcome.kind === 'needParty') {
        pending.push(outcome.person);
        continue;
      }
      const who = outcome.reporter.name ?? o.someone;
      const party = t.party(outcome.reporter.party);
      lines.push(
        outcome.already
          ? o.alreadyRegistered(who, party)
          : outcome.reporter.personalConversationId
            ? o.registered(who, party)
            : o.registeredNoChat(who, party),
      );
    }
    return registerOthersCard(t, lines, pending, result.unknownParty ? t.followUp.reporters.unknownParty : undefined);
  }

  /** A coordinator's `anmäl @Anna Andersson som rapportör för Kommunen`: each @mention is looked up at Teams for the AAD id. */
  async function registerOthers(context: TurnContext, rest: string): Promise<AdaptiveCardJson> {
    const o = textsOf(context).followUp.reporters.others;
    const actor = await actorOf(context, deps);
    const correlationId = boundedId(context.activity.id);
    // Refused before any lookup: the service audits the refusal.
    if (!actor.isCoordinator)
      return renderOthers(context, await deps.reporters.registerOther(actor, [], '', correlationId), []);
    const mentions = mentionedPeople(context.activity).slice(0, MAX_OTHERS);
    if (mentions.length === 0) return noticeCard(o.usage);
    const lines: string[] = [];
    const people: OtherPerson[] = [];
    for (const mention of mentions) {
      try {
        const member = await TeamsInfo.getMember(context, mention.id);
        const aadObjectId = boundedId(member?.aadObjectId);
        const name =
          (typeof member?.name === 'string' && member.name.trim() !== ''
            ? member.name.trim().slice(0, 100)
            : undefined) ?? mention.name;
        if (aadObjectId) people.push({ aadObjectId, name, tenantId: boundedId(member?.tenantId) });
        else lines.push(o.lookupFailed(safeText(mention.name) ?? o.someone));
      } catch (err) {
        deps.logger.warn(
          { err: { message: String((err as Error)?.message ?? err).slice(0, 200) } },
          'could not look up a mentioned member',
        );
        lines.push(o.lookupFailed(safeText(mention.name) ?? o.someone));
      }
    }
    // The party words are what is left when the mentions are taken out: "som rapportör för Kommunen".
    const partyText = rest.replace(/<at>[\s\S]*?<\/at>/gi, ' ');
    return renderOthers(context, await deps.reporters.registerOther(actor, people, partyText, correlationId), lines);
  }

  onCommand('registerReporter', async (context, rest) => {
    const self =
      mentionedPeople(context.activity).length === 0 && SELF_REGISTRATION.test(fold(context.activity.text ?? ''));
    await sendCard(
      context,
      self ? await register(context, rest.replace(/^(mig|me)(\s+|$)/i, '')) : await registerOthers(context, rest),
    );
  });
  app.adaptiveCards.actionExecute<Data>(Verbs.registerReporter, async (context, _state, data) => {
    const party = typeof data.party === 'string' ? data.party.slice(0, 40) : '';
    const people = peopleOf(data);
    if (!people) return register(context, party);
    const result = await deps.reporters.registerOther(
      await actorOf(context, deps),
      people,
      party,
      boundedId(context.activity.id),
    );
    return renderOthers(context, result, []);
  });

  onCommand('unregisterReporter', async (context) => {
    const r = textsOf(context).followUp.reporters;
    const result = await deps.reporters.unregister(await actorOf(context, deps), context.activity.id);
    await sendCard(context, noticeCard(result.kind === 'unregistered' ? r.unregistered : r.notRegistered));
  });

  onCommand('absence', async (context, rest) => {
    const r = textsOf(context).followUp.reporters;
    const result = await deps.reporters.absence(await actorOf(context, deps), rest, context.activity.id);
    const text =
      result.kind === 'saved'
        ? r.absenceSaved(result.until)
        : result.kind === 'notRegistered'
          ? r.notRegistered
          : r.absenceErrors[result.code];
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
    const result = await deps.reporters.remove(
      await actorOf(context, deps),
      idOf(data, 'reporterId'),
      context.activity.id,
    );
    if (result.kind === 'forbidden') return noticeCard(r.forbidden);
    return reporterList(context, result.kind === 'unregistered' ? r.removed(result.name) : r.alreadyRemoved);
  });

  // --- Follow-up meetings ------------------------------------------------------------------
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

  async function renderSave(
    context: TurnContext,
    result: MeetingSaveResult,
    data: Data,
    editing: boolean,
  ): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const m = t.followUp.meetings;
    const today = localDateOf(deps.clock.now());
    switch (result.kind) {
      case 'saved': {
        const notes = editing
          ? result.duplicate
            ? [m.unchanged]
            : result.rescheduled
              ? [m.updated, m.rescheduled]
              : [m.updated]
          : result.duplicate
            ? [m.alreadySaved]
            : [m.saved];
        return meetingSummaryCard(t, result.meeting, { notes, canChange: true, today });
      }
      case 'invalid': {
        const meeting = editing ? await deps.meetings.get(idOf(data, 'meetingId')) : undefined;
        return meetingFormCard(t, {
          today,
          meetingId: idOf(data, 'meetingId') || randomUUID(),
          meeting,
          values: data,
          errors: result.errors,
        });
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
    renderSave(
      context,
      await deps.meetings.create(await actorOf(context, deps), data, context.activity.id),
      data,
      false,
    ),
  );
  app.adaptiveCards.actionExecute<RawMeetingInput>(Verbs.updateMeeting, async (context, _state, data) =>
    renderSave(
      context,
      await deps.meetings.update(await actorOf(context, deps), idOf(data, 'meetingId'), data, context.activity.id),
      data,
      true,
    ),
  );

  /** Ändra and Ställ in: look the meeting up for a change, then show the form or the question. */
  async function forChange(
    context: TurnContext,
    data: Data,
    what: 'meeting.change' | 'meeting.cancel',
  ): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const m = t.followUp.meetings;
    const found = await deps.meetings.forChange(
      await actorOf(context, deps),
      idOf(data, 'meetingId'),
      what,
      context.activity.id,
    );
    switch (found.kind) {
      case 'found':
        return what === 'meeting.change'
          ? meetingFormCard(t, {
              today: localDateOf(deps.clock.now()),
              meetingId: found.meeting.id,
              meeting: found.meeting,
            })
          : cancelConfirmCard(t, found.meeting);
      case 'cancelled':
        return meetingSummaryCard(t, found.meeting, { notes: [m.alreadyCancelled], canChange: false });
      case 'forbidden':
        return noticeCard(m.forbidden);
      case 'notFound':
        return noticeCard(m.notFound);
    }
  }
  app.adaptiveCards.actionExecute<Data>(Verbs.editMeeting, async (context, _state, data) =>
    forChange(context, data, 'meeting.change'),
  );
  app.adaptiveCards.actionExecute<Data>(Verbs.cancelMeeting, async (context, _state, data) =>
    forChange(context, data, 'meeting.cancel'),
  );

  app.adaptiveCards.actionExecute<Data>(Verbs.confirmCancelMeeting, async (context, _state, data) => {
    const m = textsOf(context).followUp.meetings;
    const result = await deps.meetings.cancel(
      await actorOf(context, deps),
      idOf(data, 'meetingId'),
      context.activity.id,
    );
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
    return meetingsListCard(textsOf(context), await deps.meetings.upcoming(actor.scope), actor.isCoordinator);
  }
  onCommand('meetings', async (context) => {
    await sendCard(context, await meetingList(context));
  });
  app.adaptiveCards.actionExecute(Verbs.listMeetings, async (context) => meetingList(context));
}
