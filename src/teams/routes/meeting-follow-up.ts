import type { TurnContext } from 'botbuilder';
import type { MinutesResult } from '../../app/meetings.js';
import { localDateOf } from '../../domain/calendar.js';
import { fold } from '../../domain/text-match.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import { meetingSummaryCard, minutesCard, noticeCard, type CalendarLink } from '../cards/follow-up-cards.js';
import { actorOf, sendCard, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';
import { execute } from '../cards/card.js';

type Data = Record<string, unknown>;

/** The download kind of a meeting's calendar file (registered in main.ts). */
export const MEETING_ICS = 'meeting-ics';

const idOf = (data: Data): string => (typeof data.meetingId === 'string' ? data.meetingId.slice(0, 128) : '');

/**
 * Meeting follow-up (issue #16): "Lägg till i kalendern" answers with the meeting card and a fresh
 * signed link to its .ics (links expire, a card lives for weeks: the button makes a new one);
 * `protokoll` and "Beslut och att göra" record what a meeting decided; `veckosammanfattning av|på`
 * turns the weekly summary in the linked channel off and on.
 */
export function registerMeetingFollowUpRoutes({ app, deps, onCommand }: RouteContext): void {
  const today = () => localDateOf(deps.clock.now());

  // --- The calendar invitation ----------------------------------------------------------------
  app.adaptiveCards.actionExecute<Data>(Verbs.meetingCalendar, async (context, _state, data) => {
    const t = textsOf(context);
    const actor = await actorOf(context, deps);
    const meeting = await deps.meetings.get(idOf(data));
    // Only a meeting of this municipality: the same check as a change, without the coordinator rule.
    const ofScope = new Set((await deps.agreements.ofScope(actor.scope)).map((a) => a.id));
    if (!meeting || !ofScope.has(meeting.agreementId)) return noticeCard(t.followUp.meetings.notFound);
    let calendar: CalendarLink | 'unavailable' = 'unavailable';
    if (deps.downloads && !meeting.cancelled) {
      try {
        const ttlMinutes = deps.downloadMinutes ?? 60;
        calendar = {
          url: deps.downloads.link(MEETING_ICS, { meetingId: meeting.id }, { locale: t.locale, ttlMinutes }),
          until: new Date(deps.clock.now().getTime() + ttlMinutes * 60_000),
        };
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message } }, 'no calendar link');
      }
    }
    return meetingSummaryCard(t, meeting, { canChange: actor.isCoordinator, calendar, today: today() });
  });

  // --- Decisions and follow-ups after a meeting ------------------------------------------------
  async function openMinutes(context: TurnContext, meetingId?: string): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const p = t.planning.minutes;
    const actor = await actorOf(context, deps);
    const found = meetingId
      ? await deps.meetings.forChange(actor, meetingId, 'meeting.minutes', context.activity.id)
      : await deps.meetings.latestHeld(actor, context.activity.id);
    switch (found.kind) {
      case 'found':
        if (found.meeting.date > today())
          return noticeCard(p.notYet(t.followUp.meetings.when(found.meeting.date, found.meeting.time)));
        return minutesCard(t, found.meeting);
      case 'none':
        return noticeCard(p.none, [execute(t.followUp.meetings.listButton, Verbs.listMeetings)]);
      case 'forbidden':
        return noticeCard(p.forbidden);
      case 'notFound':
        return noticeCard(t.followUp.meetings.notFound);
      case 'cancelled':
        return meetingSummaryCard(t, found.meeting, {
          notes: [t.followUp.meetings.alreadyCancelled],
          canChange: false,
        });
    }
  }
  onCommand('minutes', async (context) => {
    await sendCard(context, await openMinutes(context));
  });
  app.adaptiveCards.actionExecute<Data>(Verbs.openMinutes, async (context, _state, data) =>
    openMinutes(context, idOf(data)),
  );

  function renderMinutes(context: TurnContext, result: MinutesResult, data: Data): AdaptiveCardJson {
    const t = textsOf(context);
    const p = t.planning.minutes;
    switch (result.kind) {
      case 'saved':
        return minutesCard(t, result.meeting, { note: result.duplicate ? p.unchanged : p.saved });
      case 'invalid':
        return minutesCard(t, result.meeting, { values: data, errors: result.errors });
      case 'notYet':
        return noticeCard(p.notYet(t.followUp.meetings.when(result.meeting.date, result.meeting.time)));
      case 'forbidden':
        return noticeCard(p.forbidden);
      case 'notFound':
        return noticeCard(t.followUp.meetings.notFound);
      case 'cancelled':
        return meetingSummaryCard(t, result.meeting, {
          notes: [t.followUp.meetings.alreadyCancelled],
          canChange: false,
        });
    }
  }
  app.adaptiveCards.actionExecute<Data>(Verbs.saveMinutes, async (context, _state, data) =>
    renderMinutes(
      context,
      await deps.meetings.recordMinutes(await actorOf(context, deps), idOf(data), data, context.activity.id),
      data,
    ),
  );

  // --- The weekly summary in the linked channel ---------------------------------------------------
  async function setWeeklySummary(context: TurnContext, on: boolean | undefined): Promise<AdaptiveCardJson> {
    const w = textsOf(context).planning.weeklySummary;
    const actor = await actorOf(context, deps);
    if (on === undefined) {
      if (!actor.isCoordinator) return noticeCard(w.forbidden);
      const link = await deps.channels.current(actor.scope);
      if (!link) return noticeCard(w.noChannel);
      const isOn = !link.weeklySummaryOff;
      return noticeCard(`${isOn ? w.on : w.off}`, [
        execute(isOn ? w.turnOff : w.turnOn, Verbs.setWeeklySummary, { on: !isOn }),
      ]);
    }
    const result = await deps.channels.setWeeklySummary(actor, on, context.activity.id);
    switch (result.kind) {
      case 'forbidden':
        return noticeCard(w.forbidden);
      case 'noChannel':
        return noticeCard(w.noChannel);
      case 'unchanged':
      case 'changed': {
        const text = result.kind === 'unchanged' ? (on ? w.alreadyOn : w.alreadyOff) : on ? w.on : w.off;
        return noticeCard(text, [execute(on ? w.turnOff : w.turnOn, Verbs.setWeeklySummary, { on: !on })]);
      }
    }
  }
  onCommand('weeklySummary', async (context, rest) => {
    const word = fold(rest).trim();
    const on = /^(pa|on|sla pa|starta)$/.test(word)
      ? true
      : /^(av|off|stang av|stoppa)$/.test(word)
        ? false
        : undefined;
    await sendCard(context, await setWeeklySummary(context, on));
  });
  app.adaptiveCards.actionExecute<Data>(Verbs.setWeeklySummary, async (context, _state, data) =>
    setWeeklySummary(context, data.on === true),
  );
}
