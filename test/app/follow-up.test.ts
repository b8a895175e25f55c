import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'mocha';
import type { Actor } from '../../src/app/actor.js';
import { AgreementService } from '../../src/app/agreements.js';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ChannelService, type LinkTarget } from '../../src/app/channel-links.js';
import { ManualClock } from '../../src/app/clock.js';
import { MeetingService, nextMeetingOf, normaliseTime, validateMeeting } from '../../src/app/meetings.js';
import { ReporterService, parsePartyWord, parseUntilDate } from '../../src/app/reporters.js';
import { ReportService } from '../../src/app/reports.js';
import { StatusService } from '../../src/app/status.js';
import { DEFAULT_REPORT_RULES } from '../../src/domain/report.js';
import { DEFAULT_THRESHOLDS } from '../../src/domain/status.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { formatMeetingWhen } from '../../src/texts/follow-up.js';

const POLICE_TENANT = 'pppppppp-0000-4000-8000-000000000000';
const COORDINATOR: Actor = { id: 'cccccccc-0000-4000-8000-000000000003', tenantId: POLICE_TENANT, isCoordinator: true };
const OTHER_COORDINATOR: Actor = {
  id: 'dddddddd-0000-4000-8000-000000000004',
  tenantId: POLICE_TENANT,
  isCoordinator: true,
};
const REPORTER: Actor = { id: 'aaaaaaaa-0000-4000-8000-000000000001', tenantId: POLICE_TENANT, isCoordinator: false };
const MUNICIPAL: Actor = {
  id: 'bbbbbbbb-0000-4000-8000-000000000002',
  tenantId: 'kkkkkkkk-0000-4000-8000-000000000000',
  isCoordinator: false,
};

const channel = (id: string, name?: string): LinkTarget => ({
  kind: 'channel',
  conversationId: id,
  teamId: '19:team@thread.tacv2',
  channelId: id,
  tenantId: POLICE_TENANT,
  channelName: name,
});

function setup(now = '2024-03-14T10:00:00Z') {
  const store = new MemoryStore();
  const clock = new ManualClock(now); // Thursday, week 11 2024, inside the Tranås period
  const audit = new MemoryAuditLog();
  const agreements = new AgreementService(store, clock);
  const reports = new ReportService(
    store,
    agreements,
    clock,
    {
      ...DEFAULT_REPORT_RULES,
      editWeeks: 4,
      partyByTenant: { [POLICE_TENANT]: 'Polisen' },
      partyByPerson: { [MUNICIPAL.id]: 'Kommunen' },
    },
    audit,
  );
  return {
    store,
    clock,
    audit,
    agreements,
    reports,
    channels: new ChannelService(store, agreements, clock, audit),
    reporters: new ReporterService(store, reports, clock, audit),
    meetings: new MeetingService(store, agreements, clock, audit),
    status: new StatusService(store, agreements, clock, DEFAULT_THRESHOLDS),
    actions: () => audit.entries.map((e) => `${e.action}:${e.outcome}`),
  };
}

describe('ChannelService: koppla kanal', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(async () => {
    s = setup();
    await s.agreements.seedDefaults();
  });

  it('links the channel of the current agreement for a coordinator, and audits it', async () => {
    const result = await s.channels.link(COORDINATOR, channel('19:general@thread.tacv2', 'Medborgarlöfte'), 'corr-1');
    assert.equal(result.kind, 'linked');
    const stored = await s.store.channelLinks.get('tranas-2023-2024');
    assert.deepEqual(stored, {
      agreementId: 'tranas-2023-2024',
      conversationId: '19:general@thread.tacv2',
      teamId: '19:team@thread.tacv2',
      channelId: '19:general@thread.tacv2',
      tenantId: POLICE_TENANT,
      channelName: 'Medborgarlöfte',
      linkedBy: COORDINATOR.id,
      linkedAt: '2024-03-14T10:00:00.000Z',
    });
    assert.deepEqual(s.audit.entries.at(-1), {
      at: '2024-03-14T10:00:00.000Z',
      actor: { id: COORDINATOR.id, tenantId: POLICE_TENANT },
      action: 'channel.linked',
      objectId: 'tranas-2023-2024',
      outcome: 'ok',
      correlationId: 'corr-1',
      detail: 'first',
    });
  });

  it('refuses people who are not coordinators, audited, and stores nothing', async () => {
    assert.equal((await s.channels.link(REPORTER, channel('19:general@thread.tacv2'))).kind, 'forbidden');
    assert.equal(await s.store.channelLinks.get('tranas-2023-2024'), undefined);
    assert.deepEqual(s.actions(), ['access.refused:refused']);
  });

  it('explains that personal and group chats cannot be linked', async () => {
    for (const kind of ['personal', 'groupChat'] as const) {
      assert.equal((await s.channels.link(COORDINATOR, { kind, conversationId: 'a:personal-1' })).kind, 'notInChannel');
    }
    assert.equal(await s.store.channelLinks.get('tranas-2023-2024'), undefined);
  });

  it('says "already linked" for the same channel without a new audit entry, and moves the link to another channel', async () => {
    await s.channels.link(COORDINATOR, channel('19:general@thread.tacv2'));
    s.clock.advance(86_400_000);
    const again = await s.channels.link(OTHER_COORDINATOR, channel('19:general@thread.tacv2'));
    assert.equal(again.kind, 'alreadyLinked');
    assert.equal(again.kind === 'alreadyLinked' && again.link.linkedAt, '2024-03-14T10:00:00.000Z');
    assert.deepEqual(s.actions(), ['channel.linked:ok']);

    const moved = await s.channels.link(OTHER_COORDINATOR, channel('19:samverkan@thread.tacv2', 'Samverkan'));
    assert.equal(moved.kind, 'linked');
    assert.equal(moved.kind === 'linked' && moved.previous?.conversationId, '19:general@thread.tacv2');
    const stored = await s.store.channelLinks.get('tranas-2023-2024');
    assert.equal(stored?.conversationId, '19:samverkan@thread.tacv2');
    assert.equal(stored?.linkedBy, OTHER_COORDINATOR.id);
    assert.equal(stored?.linkedAt, '2024-03-15T10:00:00.000Z');
    assert.equal((await s.store.channelLinks.list()).length, 1);
    assert.equal(s.audit.entries.at(-1)?.detail, 'moved');
  });

  it('shows the link on the status view', async () => {
    await s.channels.link(COORDINATOR, channel('19:general@thread.tacv2', 'Medborgarlöfte'));
    const view = await s.status.current();
    assert.deepEqual(view?.linkedChannel, { name: 'Medborgarlöfte', linkedAt: '2024-03-14T10:00:00.000Z' });
  });

  it('refuses when no agreement exists', async () => {
    const empty = setup();
    assert.equal((await empty.channels.link(COORDINATOR, channel('19:general@thread.tacv2'))).kind, 'noAgreement');
  });
});

describe('ReporterService: reporters', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(async () => {
    s = setup();
    await s.agreements.seedDefaults();
  });
  const personal = (name = 'Rapportör Ett') => ({ kind: 'personal' as const, conversationId: 'a:personal-1', name });
  const inChannel = { kind: 'channel' as const, conversationId: '19:general@thread.tacv2', name: 'Rapportör Ett' };

  it('reads the party from "för Kommunen", "Polisen", "for the police"', () => {
    assert.equal(parsePartyWord('för Kommunen'), 'Kommunen');
    assert.equal(parsePartyWord('Polisen'), 'Polisen');
    assert.equal(parsePartyWord('for the police'), 'Polisen');
    assert.equal(parsePartyWord(''), undefined);
    assert.equal(parsePartyWord('för skojs skull'), 'unknown');
  });

  it('registers from a personal chat with the party by tenant, the name and the chat for 1:1 reminders', async () => {
    const result = await s.reporters.register(REPORTER, personal(), '', 'corr-2');
    assert.equal(result.kind, 'registered');
    const stored = await s.store.reporters.get(REPORTER.id);
    assert.deepEqual(stored, {
      aadObjectId: REPORTER.id,
      party: 'Polisen',
      name: 'Rapportör Ett',
      tenantId: POLICE_TENANT,
      personalConversationId: 'a:personal-1',
      registeredAt: '2024-03-14T10:00:00.000Z',
      active: true,
    });
    assert.deepEqual(s.audit.entries.at(-1), {
      at: '2024-03-14T10:00:00.000Z',
      actor: { id: REPORTER.id, tenantId: POLICE_TENANT },
      action: 'reporter.registered',
      objectId: REPORTER.id,
      outcome: 'ok',
      correlationId: 'corr-2',
      detail: 'Polisen',
    });
  });

  it('uses the party the person names, and the party by person', async () => {
    await s.reporters.register(REPORTER, personal(), 'för Kommunen');
    assert.equal((await s.store.reporters.get(REPORTER.id))?.party, 'Kommunen');
    await s.reporters.register(MUNICIPAL, personal('Kommunens rapportör'), '');
    assert.equal((await s.store.reporters.get(MUNICIPAL.id))?.party, 'Kommunen');
  });

  it('asks for the party in a channel when only the tenant would say it (shared channels carry the host tenant)', async () => {
    assert.equal((await s.reporters.register(REPORTER, inChannel, '')).kind, 'needParty');
    assert.equal((await s.reporters.register(REPORTER, inChannel, 'för skojs skull')).kind, 'unknownParty');
    assert.equal(await s.store.reporters.get(REPORTER.id), undefined);
    assert.equal((await s.reporters.register(REPORTER, inChannel, 'för Polisen')).kind, 'registered');
  });

  it('keeps the personal chat when the person registers again from a channel, and does not audit a repeat', async () => {
    await s.reporters.register(REPORTER, personal(), '');
    const again = await s.reporters.register(REPORTER, inChannel, 'Polisen');
    assert.equal(again.kind === 'registered' && again.already, true);
    assert.equal((await s.store.reporters.get(REPORTER.id))?.personalConversationId, 'a:personal-1');
    assert.deepEqual(s.actions(), ['reporter.registered:ok']);
  });

  it('unregisters (kept, inactive) and registers again', async () => {
    await s.reporters.register(REPORTER, personal(), '');
    assert.equal((await s.reporters.unregister(REPORTER)).kind, 'unregistered');
    assert.equal((await s.store.reporters.get(REPORTER.id))?.active, false);
    assert.equal((await s.reporters.unregister(REPORTER)).kind, 'notRegistered');
    const back = await s.reporters.register(REPORTER, personal(), '');
    assert.equal(back.kind === 'registered' && back.already, false);
    assert.equal((await s.store.reporters.get(REPORTER.id))?.active, true);
    assert.deepEqual(s.actions(), ['reporter.registered:ok', 'reporter.unregistered:ok', 'reporter.registered:ok']);
  });

  it('parses absence dates: ISO, "31 juli", "31/7", with the next such day when no year is given', () => {
    assert.deepEqual(parseUntilDate('2024-07-31', '2024-03-14'), { ok: true, date: '2024-07-31' });
    assert.deepEqual(parseUntilDate('till 2024-07-31', '2024-03-14'), { ok: true, date: '2024-07-31' });
    assert.deepEqual(parseUntilDate('31 juli', '2024-03-14'), { ok: true, date: '2024-07-31' });
    assert.deepEqual(parseUntilDate('31 July 2024', '2024-03-14'), { ok: true, date: '2024-07-31' });
    assert.deepEqual(parseUntilDate('31/7', '2024-03-14'), { ok: true, date: '2024-07-31' });
    assert.deepEqual(parseUntilDate('2 jan', '2024-03-14'), { ok: true, date: '2025-01-02' });
    assert.deepEqual(parseUntilDate('2024-03-14', '2024-03-14'), { ok: true, date: '2024-03-14' });
    assert.deepEqual(parseUntilDate('2024-03-13', '2024-03-14'), { ok: false, code: 'past' });
    assert.deepEqual(parseUntilDate('', '2024-03-14'), { ok: false, code: 'empty' });
    assert.deepEqual(parseUntilDate('till', '2024-03-14'), { ok: false, code: 'empty' });
    assert.deepEqual(parseUntilDate('2024-02-30', '2024-03-14'), { ok: false, code: 'format' });
    assert.deepEqual(parseUntilDate('semestern', '2024-03-14'), { ok: false, code: 'format' });
    assert.deepEqual(parseUntilDate('2026-01-01', '2024-03-14'), { ok: false, code: 'tooFar' });
  });

  it('stores an absence for a registered reporter, audited; refuses the past and the unregistered', async () => {
    assert.equal((await s.reporters.absence(REPORTER, '2024-07-31')).kind, 'notRegistered');
    await s.reporters.register(REPORTER, personal(), '');
    assert.deepEqual(await s.reporters.absence(REPORTER, '2024-03-01'), { kind: 'invalid', code: 'past' });
    assert.deepEqual(await s.reporters.absence(REPORTER, '31 juli'), { kind: 'saved', until: '2024-07-31' });
    assert.equal((await s.store.reporters.get(REPORTER.id))?.absentUntil, '2024-07-31');
    assert.equal(s.actions().at(-1), 'reporter.absence:ok');
  });

  it('lists reporters for coordinators in a personal chat: party, reported this ISO week, absences', async () => {
    await s.reporters.register(REPORTER, personal(), '');
    await s.reporters.register(MUNICIPAL, personal('Kommunens rapportör'), '');
    await s.reporters.absence(MUNICIPAL, '2024-04-05');
    const saved = await s.reports.submitWeek(REPORTER, {
      week: '2024-W11',
      activityId: 'trafikkontroller',
      count: '2',
      date: '2024-03-13',
      area: 'Centrum',
      description: '',
      party: 'Polisen',
    });
    assert.equal(saved.kind, 'saved');

    assert.equal((await s.reporters.list(REPORTER, 'personal')).kind, 'forbidden');
    assert.equal((await s.reporters.list(COORDINATOR, 'channel')).kind, 'personalChatOnly');
    const list = await s.reporters.list(COORDINATOR, 'personal');
    assert.equal(list.kind, 'list');
    if (list.kind !== 'list') return;
    assert.equal(list.week, '2024-W11');
    assert.deepEqual(
      list.rows.map((r) => [r.reporter.name, r.reporter.party, r.reportedThisWeek, r.absentUntil]),
      [
        ['Kommunens rapportör', 'Kommunen', false, '2024-04-05'],
        ['Rapportör Ett', 'Polisen', true, undefined],
      ],
    );
  });

  it('lets a coordinator take someone off the list; others are refused', async () => {
    await s.reporters.register(REPORTER, personal(), '');
    assert.equal((await s.reporters.remove(MUNICIPAL, REPORTER.id)).kind, 'forbidden');
    assert.deepEqual(await s.reporters.remove(COORDINATOR, REPORTER.id), {
      kind: 'unregistered',
      name: 'Rapportör Ett',
    });
    assert.equal((await s.store.reporters.get(REPORTER.id))?.active, false);
    assert.equal((await s.reporters.remove(COORDINATOR, REPORTER.id)).kind, 'notRegistered');
    assert.deepEqual(
      s.audit.entries
        .filter((e) => e.action === 'reporter.unregistered')
        .map((e) => [e.actor.id, e.objectId, e.detail]),
      [[COORDINATOR.id, REPORTER.id, 'coordinator']],
    );
  });
});

describe('MeetingService: follow-up meetings', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(async () => {
    s = setup();
    await s.agreements.seedDefaults();
  });
  const input = (extra: Record<string, unknown> = {}) => ({
    meetingId: `m-${Math.random().toString(36).slice(2, 12)}`,
    kind: 'samverkansmöte',
    date: '2024-03-20',
    time: '13:00',
    place: 'Polishuset, sal 2',
    agenda: 'Trafiken vid skolorna',
    ...extra,
  });
  const now = () => s.clock.now();
  const codes = (r: ReturnType<typeof validateMeeting>) => (r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`));

  it('formats the time the Swedish way', () => {
    assert.equal(formatMeetingWhen('2024-03-20', '13:00'), 'onsdag 20 mars 2024 kl. 13.00');
    assert.equal(formatMeetingWhen('2024-03-20', '13:00', 'en'), 'Wednesday 20 March 2024 at 13:00');
    assert.equal(normaliseTime('9.30'), '09:30');
    assert.equal(normaliseTime('13:00:00'), '13:00');
    assert.equal(normaliseTime('24:00'), undefined);
  });

  it('validates on the server: required fields, kinds, times, dates in the past by the bot clock', () => {
    assert.deepEqual(codes(validateMeeting({}, { now: now() })), ['kind:required', 'date:required', 'time:required']);
    assert.deepEqual(
      codes(validateMeeting(input({ kind: 'fika', time: '25:00', date: '2024-02-30' }), { now: now() })),
      ['kind:invalid', 'date:invalid', 'time:invalid'],
    );
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-03-13' }), { now: now() })), ['date:past']);
    // 10:00Z is 11:00 in Stockholm: 10:30 today has passed, 11:30 has not.
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-03-14', time: '10:30' }), { now: now() })), [
      'time:past',
    ]);
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-03-14', time: '11:30' }), { now: now() })), []);
    assert.deepEqual(codes(validateMeeting(input({ date: '2028-01-01' }), { now: now() })), ['date:tooFar']);
  });

  it('refuses a time that does not exist on the day summer time begins, and accepts the repeated hour in October', () => {
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-03-31', time: '02:30' }), { now: now() })), [
      'time:nonexistent',
    ]);
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-03-31', time: '03:00' }), { now: now() })), []);
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-03-31', time: '13:00' }), { now: now() })), []);
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-10-27', time: '02:30' }), { now: now() })), []);
  });

  it('judges "in the past" by the Stockholm date on the evening of a DST day', () => {
    // 2024-03-31 21:30Z is 23:30 CEST: still the 31st in Stockholm.
    s.clock.set('2024-03-31T21:30:00Z');
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-03-31', time: '23:45' }), { now: now() })), []);
    assert.deepEqual(codes(validateMeeting(input({ date: '2024-03-31', time: '23:00' }), { now: now() })), [
      'time:past',
    ]);
  });

  it('refuses personal data and over-long text in place and agenda, naming only the kind', () => {
    const r = validateMeeting(
      input({ place: 'Ring 070-123 45 67', agenda: `Ärende med 19121212-1212 ${'x'.repeat(1000)}` }),
      { now: now() },
    );
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.errors, [
      { field: 'place', code: 'personalData', kinds: ['telefonnummer'] },
      { field: 'agenda', code: 'tooLong' },
      { field: 'agenda', code: 'personalData', kinds: ['personnummer'] },
    ]);
  });

  it('accepts a Teams meeting link as the place', () => {
    const link =
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5ZjE2YzAtYjUwNy00OTk4LWE2ZDYtMDU1YjQ0NDc1NTEw%40thread.v2/0?context=%7b%22Tid%22%3a%2211111111-1111-4111-8111-111111111111%22%7d';
    assert.deepEqual(codes(validateMeeting(input({ place: link }), { now: now() })), []);
  });

  it('creates a meeting for coordinators (revision 1, audited); a double submit stores one', async () => {
    const data = input();
    const result = await s.meetings.create(COORDINATOR, data, 'corr-3');
    assert.equal(result.kind, 'saved');
    const again = await s.meetings.create(COORDINATOR, data);
    assert.equal(again.kind === 'saved' && again.duplicate, true);
    const all = await s.store.meetings.list();
    assert.equal(all.length, 1);
    assert.deepEqual(all[0], {
      id: data.meetingId,
      agreementId: 'tranas-2023-2024',
      kind: 'samverkansmöte',
      date: '2024-03-20',
      time: '13:00',
      place: 'Polishuset, sal 2',
      agenda: 'Trafiken vid skolorna',
      createdBy: COORDINATOR.id,
      createdAt: '2024-03-14T10:00:00.000Z',
      updatedAt: '2024-03-14T10:00:00.000Z',
      revision: 1,
    });
    assert.deepEqual(s.actions(), ['meeting.created:ok']);
  });

  it('refuses non-coordinators (audited) and invalid input (audited with field codes only)', async () => {
    assert.equal((await s.meetings.create(REPORTER, input())).kind, 'forbidden');
    assert.equal((await s.meetings.form(REPORTER)).kind, 'forbidden');
    const bad = await s.meetings.create(COORDINATOR, input({ date: '2024-03-01', agenda: 'Ring 070-123 45 67' }));
    assert.equal(bad.kind, 'invalid');
    assert.equal((await s.store.meetings.list()).length, 0);
    assert.deepEqual(s.actions(), ['access.refused:refused', 'access.refused:refused', 'meeting.created:refused']);
    assert.equal(s.audit.entries.at(-1)?.detail, 'date:past,agenda:personalData');
    assert.doesNotMatch(JSON.stringify(s.audit.entries), /070/);
  });

  it('bumps the revision only when the date or time changes', async () => {
    const data = input();
    await s.meetings.create(COORDINATOR, data);
    const agenda = await s.meetings.update(COORDINATOR, data.meetingId, {
      ...data,
      agenda: 'Ny dagordning',
      place: '',
    });
    assert.equal(agenda.kind === 'saved' && agenda.meeting.revision, 1);
    assert.equal(agenda.kind === 'saved' && agenda.rescheduled, false);
    assert.equal((await s.store.meetings.get(data.meetingId))?.place, undefined);

    const time = await s.meetings.update(COORDINATOR, data.meetingId, {
      ...data,
      agenda: 'Ny dagordning',
      place: '',
      time: '14:00',
    });
    assert.equal(time.kind === 'saved' && time.meeting.revision, 2);
    assert.equal(time.kind === 'saved' && time.rescheduled, true);
    const date = await s.meetings.update(OTHER_COORDINATOR, data.meetingId, {
      ...data,
      agenda: 'Ny dagordning',
      place: '',
      time: '14:00',
      date: '2024-03-21',
    });
    assert.equal(date.kind === 'saved' && date.meeting.revision, 3);

    const same = await s.meetings.update(COORDINATOR, data.meetingId, {
      kind: 'samverkansmöte',
      date: '2024-03-21',
      time: '14:00',
      agenda: 'Ny dagordning',
    });
    assert.equal(same.kind === 'saved' && same.duplicate, true);
    assert.equal((await s.store.meetings.get(data.meetingId))?.revision, 3);
    assert.deepEqual(
      s.audit.entries.filter((e) => e.action === 'meeting.changed').map((e) => e.detail),
      ['place,agenda', 'time', 'date'],
    );
    assert.equal((await s.meetings.update(REPORTER, data.meetingId, data)).kind, 'forbidden');
  });

  it('lets the agenda of a meeting under way be corrected, but not move it into the past', async () => {
    const data = input({ date: '2024-03-14', time: '13:00' });
    await s.meetings.create(COORDINATOR, data);
    s.clock.set('2024-03-14T12:30:00Z'); // 13:30 in Stockholm: the meeting has started
    assert.equal((await s.meetings.update(COORDINATOR, data.meetingId, { ...data, agenda: 'Rättad' })).kind, 'saved');
    const moved = await s.meetings.update(COORDINATOR, data.meetingId, { ...data, time: '12:00' });
    assert.deepEqual(moved.kind === 'invalid' && moved.errors, [{ field: 'time', code: 'past' }]);
  });

  it('cancels a meeting: kept with who and when, gone from the coming meetings, no further changes', async () => {
    const first = input({ date: '2024-03-20' });
    const second = input({ date: '2024-03-18', kind: 'EST-möte' });
    const third = input({ date: '2024-04-02', kind: 'styrgrupp' });
    for (const d of [first, second, third]) await s.meetings.create(COORDINATOR, d);
    assert.deepEqual(
      (await s.meetings.upcoming()).map((m) => m.date),
      ['2024-03-18', '2024-03-20', '2024-04-02'],
    );

    assert.equal((await s.meetings.cancel(REPORTER, second.meetingId)).kind, 'forbidden');
    s.clock.advance(60_000);
    const cancelled = await s.meetings.cancel(COORDINATOR, second.meetingId, 'corr-4');
    assert.equal(cancelled.kind, 'found');
    const stored = await s.store.meetings.get(second.meetingId);
    assert.deepEqual(stored?.cancelled, { at: '2024-03-14T10:01:00.000Z', by: COORDINATOR.id });
    assert.deepEqual(
      (await s.meetings.upcoming()).map((m) => m.date),
      ['2024-03-20', '2024-04-02'],
    );
    assert.equal((await s.meetings.cancel(COORDINATOR, second.meetingId)).kind, 'cancelled');
    assert.equal((await s.meetings.update(COORDINATOR, second.meetingId, second)).kind, 'cancelled');
    assert.equal((await s.meetings.forChange(COORDINATOR, 'no-such-meeting', 'meeting.change')).kind, 'notFound');
    assert.equal(s.actions().filter((a) => a === 'meeting.cancelled:ok').length, 1);

    const view = await s.status.current();
    assert.equal(view?.nextMeeting?.id, first.meetingId);
  });

  it('finds the next meeting by the instant it starts', async () => {
    const today = input({ date: '2024-03-14', time: '11:30' });
    const later = input({ date: '2024-03-15' });
    for (const d of [later, today]) await s.meetings.create(COORDINATOR, d);
    const all = await s.store.meetings.list();
    assert.equal(nextMeetingOf(all, 'tranas-2023-2024', s.clock.now())?.id, today.meetingId);
    s.clock.set('2024-03-14T10:45:00Z'); // 11:45 in Stockholm: today's has started
    assert.equal(nextMeetingOf(all, 'tranas-2023-2024', s.clock.now())?.id, later.meetingId);
    assert.equal((await s.meetings.upcoming()).length, 2, 'a meeting of today stays in the list of coming meetings');
  });
});
