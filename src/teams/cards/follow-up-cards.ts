import type { MeetingError, MinutesError, RawMeetingInput } from '../../app/meetings.js';
import { safeText } from '../../domain/outbound-guard.js';
import { MEETING_RULES } from '../../app/meetings.js';
import { MEETING_KINDS, type Meeting } from '../../domain/meeting.js';
import type { OtherPerson, ReporterRow } from '../../app/reporters.js';
import { localDateOf, parseIsoWeek } from '../../domain/calendar.js';
import { REPORTING_PARTIES } from '../../domain/party.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, plainText, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';

/** Cards of the channel link, rapportörer and follow-up meetings. */

const MAX_REPORTER_ROWS = 60;
const MAX_MEETING_ROWS = 15;

const subtle = (text: string): CardElement => textBlock(text, { isSubtle: true, size: 'Small', spacing: 'None' });
const errorLine = (text: string): CardElement =>
  textBlock(text, { color: 'Attention', size: 'Small', spacing: 'None' });
const actionSet = (actions: CardElement[]): CardElement => ({ type: 'ActionSet', actions });

/** A short answer with optional buttons. */
export function noticeCard(text: string, actions: CardElement[] = []): AdaptiveCardJson {
  return card([textBlock(text)], actions);
}

// ---------------------------------------------------------------------------
// Reporters
// ---------------------------------------------------------------------------

/** Asks which party someone reports for, when neither they nor the configuration said. */
export function partyChoiceCard(t: Texts, note?: string): AdaptiveCardJson {
  const body: CardElement[] = [heading(t.followUp.reporters.chooseTitle)];
  if (note) body.push(textBlock(note));
  body.push(textBlock(t.followUp.reporters.chooseParty));
  return card(
    body,
    REPORTING_PARTIES.map((party) => execute(t.party(party), Verbs.registerReporter, { party })),
  );
}

/**
 * The answer to a coordinator's `anmäl @Namn ...`: one line per person (names are Teams users' text:
 * TextRuns), and for those without a known party one question with a button per party. The
 * buttons carry the people, so the choice registers them (the coordinator is checked again).
 */
export function registerOthersCard(t: Texts, lines: string[], pending: OtherPerson[], note?: string): AdaptiveCardJson {
  const o = t.followUp.reporters.others;
  const body: CardElement[] = [];
  if (pending.length > 0) body.push(heading(o.chooseTitle));
  body.push(...lines.map((line) => plainText(line)));
  if (pending.length === 0) return card(body);
  if (note) body.push(textBlock(note));
  const names = pending.map((p) => safeText(p.name) ?? o.someone);
  const joined = names.length > 1 ? `${names.slice(0, -1).join(', ')} ${o.and} ${names[names.length - 1]}` : names[0]!;
  body.push(plainText(o.chooseParty(joined, names.length > 1)));
  if (pending.length > 1) body.push(textBlock(o.chooseHint, { isSubtle: true, size: 'Small' }));
  const people = pending.map((p) => ({
    aadObjectId: p.aadObjectId,
    ...(p.name ? { name: p.name } : {}),
    ...(p.tenantId ? { tenantId: p.tenantId } : {}),
  }));
  return card(
    body,
    REPORTING_PARTIES.map((party) => execute(t.party(party), Verbs.registerReporter, { party, people })),
  );
}

/** The registered rapportörer, with this week's reporting and absences; coordinators only. */
export function reportersCard(t: Texts, list: { week: string; rows: ReporterRow[] }, note?: string): AdaptiveCardJson {
  const r = t.followUp.reporters;
  const week = parseIsoWeek(list.week)?.week ?? 0;
  const body: CardElement[] = [heading(r.title)];
  if (note) body.push(textBlock(note, { weight: 'Bolder' }));
  if (list.rows.length === 0) {
    body.push(textBlock(r.empty));
    return card(body);
  }
  body.push(textBlock(r.intro(week), { isSubtle: true }));
  for (const row of list.rows.slice(0, MAX_REPORTER_ROWS)) {
    const facts = [
      t.party(row.reporter.party),
      row.reportedThisWeek ? `✅ ${r.reported(week)}` : `⬜ ${r.notReported(week)}`,
    ];
    if (row.absentUntil) facts.push(r.absentUntil(row.absentUntil));
    body.push({
      type: 'ColumnSet',
      separator: true,
      spacing: 'Small',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            // Names come from Teams; a TextRun is never rendered as markdown.
            safeText(row.reporter.name)
              ? plainText(row.reporter.name!, { weight: 'Bolder' })
              : textBlock(r.noName, { isSubtle: true }),
            subtle(facts.join(' · ')),
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          verticalContentAlignment: 'Center',
          items: [actionSet([execute(r.removeButton, Verbs.removeReporter, { reporterId: row.reporter.aadObjectId })])],
        },
      ],
    });
  }
  if (list.rows.length > MAX_REPORTER_ROWS) body.push(subtle(r.more(list.rows.length - MAX_REPORTER_ROWS)));
  return card(body);
}

// ---------------------------------------------------------------------------
// Follow-up meetings
// ---------------------------------------------------------------------------

function meetingErrorText(t: Texts, e: MeetingError): string {
  const m = t.followUp.meetings;
  if (e.code === 'personalData') return m.personalData(e.kinds.map((k) => t.report.kindNames[k] ?? k));
  const msg = m.errors[e.field]?.[e.code];
  if (typeof msg === 'function')
    return msg(e.field === 'place' ? MEETING_RULES.maxPlaceLength : MEETING_RULES.maxAgendaLength);
  return msg ?? m.errorSummary;
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * The meeting card: new (no `meeting`) or a change of `meeting`. On a refused save it comes back
 * with everything typed and the errors next to their fields.
 */
export function meetingFormCard(
  t: Texts,
  opts: { today: string; meetingId: string; meeting?: Meeting; values?: RawMeetingInput; errors?: MeetingError[] },
): AdaptiveCardJson {
  const m = t.followUp.meetings;
  const base = opts.meeting;
  const v =
    opts.values ??
    (base
      ? { kind: base.kind, date: base.date, time: base.time, place: base.place ?? '', agenda: base.agenda ?? '' }
      : { kind: 'samverkansmöte', date: '', time: '', place: '', agenda: '' });
  const errors = opts.errors ?? [];
  const errorsFor = (field: string) =>
    errors.filter((e) => e.field === field).map((e) => errorLine(meetingErrorText(t, e)));
  const date = asText(v.date);
  const time = asText(v.time);

  const body: CardElement[] = [heading(base ? m.editTitle : m.newTitle)];
  if (errors.length > 0) body.push({ type: 'Container', style: 'attention', items: [textBlock(m.errorSummary)] });
  body.push(
    {
      type: 'Input.ChoiceSet',
      id: 'kind',
      label: m.kind,
      style: 'compact',
      isRequired: true,
      errorMessage: m.errors.kind!.required as string,
      value: asText(v.kind),
      choices: MEETING_KINDS.map((k) => ({ title: m.kindNames[k], value: k })),
    },
    ...errorsFor('kind'),
    // Client-side limits are a convenience; the server checks everything again.
    {
      type: 'Input.Date',
      id: 'date',
      label: m.date,
      isRequired: true,
      errorMessage: m.errors.date!.required as string,
      // No `min`: a client-side limit would answer a past date with the "required" message above;
      // the server's own message ("Datumet har redan varit …") comes back under this field instead.
      ...(/^\d{4}-\d{2}-\d{2}$/.test(date) ? { value: date } : {}),
    },
    ...errorsFor('date'),
    {
      type: 'Input.Time',
      id: 'time',
      label: m.time,
      isRequired: true,
      errorMessage: m.errors.time!.required as string,
      ...(/^\d{2}:\d{2}$/.test(time) ? { value: time } : {}),
    },
    ...errorsFor('time'),
    {
      type: 'Input.Text',
      id: 'place',
      label: m.place,
      placeholder: m.placePlaceholder,
      maxLength: MEETING_RULES.maxPlaceLength,
      value: asText(v.place),
    },
    ...errorsFor('place'),
    {
      type: 'Input.Text',
      id: 'agenda',
      label: m.agenda,
      placeholder: m.agendaPlaceholder,
      isMultiline: true,
      maxLength: MEETING_RULES.maxAgendaLength,
      value: asText(v.agenda),
    },
    ...errorsFor('agenda'),
    subtle(t.privacyNote),
  );
  const save = base
    ? execute(m.saveButton, Verbs.updateMeeting, { meetingId: base.id })
    : execute(m.saveButton, Verbs.createMeeting, { meetingId: opts.meetingId });
  return card(body, [save]);
}

function meetingTitle(t: Texts, meeting: Meeting): string {
  return `${t.followUp.meetings.kindNames[meeting.kind]} · ${t.followUp.meetings.when(meeting.date, meeting.time)}`;
}

function meetingDetails(t: Texts, meeting: Meeting): CardElement[] {
  const m = t.followUp.meetings;
  const items: CardElement[] = [];
  if (meeting.place) items.push(subtle(m.placeLabel), plainText(meeting.place));
  if (meeting.agenda) items.push(subtle(m.agendaLabel), plainText(meeting.agenda));
  return items;
}

const changeActions = (t: Texts, meeting: Meeting): CardElement[] => [
  execute(t.followUp.meetings.editButton, Verbs.editMeeting, { meetingId: meeting.id }),
  execute(t.followUp.meetings.cancelButton, Verbs.cancelMeeting, { meetingId: meeting.id }),
];

/** A fresh calendar link on a meeting card: valid until `until` (links expire; the button makes a new one). */
export interface CalendarLink {
  url: string;
  until: Date;
}

/** One meeting after it was saved or looked up; change buttons only for coordinators. */
export function meetingSummaryCard(
  t: Texts,
  meeting: Meeting,
  opts: { notes?: string[]; canChange: boolean; calendar?: CalendarLink | 'unavailable'; today?: string },
): AdaptiveCardJson {
  const m = t.followUp.meetings;
  const p = t.planning;
  const body: CardElement[] = [];
  for (const [i, note] of (opts.notes ?? []).entries()) body.push(i === 0 ? heading(note) : textBlock(note));
  body.push(textBlock(meetingTitle(t, meeting), { weight: 'Bolder', size: 'Medium' }), ...meetingDetails(t, meeting));
  if (meeting.cancelled)
    body.push(textBlock(m.cancelledOn(localDateOf(new Date(meeting.cancelled.at))), { color: 'Attention' }));
  if (opts.calendar === 'unavailable') body.push(textBlock(p.calendar.unavailable, { color: 'Attention' }));
  else if (opts.calendar)
    body.push({
      type: 'Container',
      style: 'emphasis',
      items: [
        textBlock(p.calendar.link(opts.calendar.url), { weight: 'Bolder' }),
        textBlock(p.calendar.hint(opts.calendar.until), { isSubtle: true, size: 'Small', spacing: 'Small' }),
      ],
    });
  const actions: CardElement[] = [];
  if (opts.calendar && opts.calendar !== 'unavailable')
    actions.push({ type: 'Action.OpenUrl', title: p.calendar.open, url: opts.calendar.url });
  else if (!meeting.cancelled)
    actions.push(execute(p.calendar.button, Verbs.meetingCalendar, { meetingId: meeting.id }));
  if (opts.canChange && !meeting.cancelled) {
    actions.push(...changeActions(t, meeting));
    if (opts.today && meeting.date <= opts.today)
      actions.push(execute(p.minutes.button, Verbs.openMinutes, { meetingId: meeting.id }));
  }
  actions.push(execute(m.listButton, Verbs.listMeetings));
  return card(body, actions);
}

function minutesErrorText(t: Texts, e: MinutesError): string {
  const p = t.planning.minutes;
  if (e.code === 'personalData')
    return t.followUp.meetings.personalData(e.kinds.map((k) => t.report.kindNames[k] ?? k));
  if (e.code === 'tooLong') return p.tooLong(MEETING_RULES.maxMinutesLength);
  return p.required;
}

/**
 * After a meeting: what it decided and what is to be done before the next one. On a refused save
 * it comes back with what was typed and the error under its field.
 */
export function minutesCard(
  t: Texts,
  meeting: Meeting,
  opts: { values?: Record<string, unknown>; errors?: MinutesError[]; note?: string } = {},
): AdaptiveCardJson {
  const p = t.planning.minutes;
  const v = opts.values ?? { decisions: meeting.minutes?.decisions ?? '', followUps: meeting.minutes?.followUps ?? '' };
  const errors = opts.errors ?? [];
  const errorsFor = (field: string) =>
    errors.filter((e) => e.field === field).map((e) => errorLine(minutesErrorText(t, e)));
  const body: CardElement[] = [heading(p.title), textBlock(meetingTitle(t, meeting), { weight: 'Bolder' })];
  if (opts.note) body.push(textBlock(opts.note, { weight: 'Bolder' }));
  if (errors.length > 0) body.push({ type: 'Container', style: 'attention', items: [textBlock(p.errorSummary)] });
  else if (meeting.minutes && !opts.note)
    body.push(subtle(p.recorded(localDateOf(new Date(meeting.minutes.recordedAt)))));
  body.push(
    {
      type: 'Input.Text',
      id: 'decisions',
      label: p.decisions,
      placeholder: p.decisionsPlaceholder,
      isMultiline: true,
      maxLength: MEETING_RULES.maxMinutesLength,
      value: asText(v.decisions),
    },
    ...errorsFor('decisions'),
    {
      type: 'Input.Text',
      id: 'followUps',
      label: p.followUps,
      placeholder: p.followUpsPlaceholder,
      isMultiline: true,
      maxLength: MEETING_RULES.maxMinutesLength,
      value: asText(v.followUps),
    },
    ...errorsFor('followUps'),
    subtle(t.privacyNote),
  );
  return card(body, [
    execute(p.saveButton, Verbs.saveMinutes, { meetingId: meeting.id }),
    execute(t.followUp.meetings.listButton, Verbs.listMeetings),
  ]);
}

/** "Ställ in" asks first: a cancelled meeting stops its reminders. */
export function cancelConfirmCard(t: Texts, meeting: Meeting): AdaptiveCardJson {
  const m = t.followUp.meetings;
  return card(
    [
      textBlock(meetingTitle(t, meeting), { weight: 'Bolder', size: 'Medium' }),
      ...meetingDetails(t, meeting),
      textBlock(m.cancelQuestion),
    ],
    [
      execute(m.confirmCancelButton, Verbs.confirmCancelMeeting, { meetingId: meeting.id }),
      execute(m.keepButton, Verbs.listMeetings),
    ],
  );
}

/** Coming meetings in date order; coordinators get change buttons on each. */
export function meetingsListCard(t: Texts, meetings: Meeting[], canChange: boolean, note?: string): AdaptiveCardJson {
  const m = t.followUp.meetings;
  const body: CardElement[] = [heading(m.listTitle)];
  if (note) body.push(textBlock(note, { weight: 'Bolder' }));
  if (meetings.length === 0) body.push(textBlock(canChange ? m.listEmptyCoordinator : m.listEmpty));
  for (const meeting of meetings.slice(0, MAX_MEETING_ROWS)) {
    const items: CardElement[] = [
      textBlock(meetingTitle(t, meeting), { weight: 'Bolder' }),
      ...meetingDetails(t, meeting),
    ];
    // Everyone may add a meeting to their calendar; coordinators also change and cancel.
    const calendar = execute(t.planning.calendar.button, Verbs.meetingCalendar, { meetingId: meeting.id });
    items.push(actionSet(canChange ? [calendar, ...changeActions(t, meeting)] : [calendar]));
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  if (meetings.length > MAX_MEETING_ROWS) body.push(subtle(m.more(meetings.length - MAX_MEETING_ROWS)));
  return card(body, canChange ? [execute(m.newButton, Verbs.newMeeting)] : []);
}

/** The lines the status card shows about the linked channel and the next meeting. */
export function followUpStatusLines(
  t: Texts,
  view: {
    linkedChannel?: { name?: string; hidden?: boolean; linkedAt: string };
    nextMeeting?: Meeting;
    latestFollowUp?: {
      period: { kind: string; key: string };
      missing: string[];
      signedOnce: boolean;
      channels: string[];
    };
  },
): CardElement[] {
  const lines: CardElement[] = [];
  if (view.nextMeeting)
    lines.push(
      textBlock(
        t.followUp.meetings.nextLine(
          t.followUp.meetings.kindNames[view.nextMeeting.kind],
          t.followUp.meetings.when(view.nextMeeting.date, view.nextMeeting.time),
        ),
        { spacing: 'Small' },
      ),
    );
  if (view.linkedChannel) {
    // The channel name comes from Teams: a TextRun, never markdown.
    const line = t.followUp.channel.statusLine(
      view.linkedChannel.hidden ? t.followUp.channel.hiddenName : view.linkedChannel.name,
      localDateOf(new Date(view.linkedChannel.linkedAt)),
    );
    lines.push(plainText(line, { isSubtle: true, size: 'Small' }));
  }
  // The latest follow-up both parties sign (issue #15): signed or not, communicated or not.
  const f = view.latestFollowUp;
  if (f) {
    const r = t.followUpReport;
    lines.push(
      textBlock(
        r.status.line(
          r.period(f.period as { kind: 'tertial'; key: string }),
          f.missing.map((p) => (p === 'Polisen' || p === 'Kommunen' ? t.party(p) : p)),
          f.signedOnce,
          f.channels.map((c) => r.channelNames[c as keyof typeof r.channelNames] ?? c),
        ),
        { isSubtle: true, size: 'Small', spacing: 'None' },
      ),
    );
  }
  return lines;
}

/** The answer to "när är nästa möte?": the next meeting with its place and agenda, or how to add one. */
export function nextMeetingElements(t: Texts, meeting: Meeting | undefined): CardElement[] {
  if (!meeting) return [textBlock(t.followUp.meetings.nextNone)];
  return [
    textBlock(
      t.followUp.meetings.nextLine(
        t.followUp.meetings.kindNames[meeting.kind],
        t.followUp.meetings.when(meeting.date, meeting.time),
      ),
      { weight: 'Bolder' },
    ),
    ...meetingDetails(t, meeting),
  ];
}
