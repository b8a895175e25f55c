import assert from 'node:assert/strict';
import {
  DEFAULT_REMINDER_SETTINGS,
  dueReminders,
  meetingDigestInstants,
  parseReminderSettings,
  periodWarningInstants,
  tertialsEndingInPeriod,
  tertialSummaryInstant,
  weeklyReminderDate,
  weeklyReminderInstant,
  type DueInput,
  type MeetingLike,
  type DueReminder,
  type ReminderSettings,
  type ReporterLike,
} from '../../src/domain/reminders.js';

const S = DEFAULT_REMINDER_SETTINGS;
const at = (s: string): Date => new Date(s);
const iso = (d: Date | undefined): string | undefined => d?.toISOString();
const keys = (os: DueReminder[]): string[] => os.map((o) => o.key);
const with_ = (patch: Partial<ReminderSettings>): ReminderSettings => ({ ...S, ...patch });

const TRANAS = { id: 'tranas-2023-2024', periodStart: '2023-01-01', periodEnd: '2024-12-31' };
const nobodyReported = (): Set<string> => new Set();

function run(partial: Partial<DueInput> & Pick<DueInput, 'now' | 'lastCheck'>): ReturnType<typeof dueReminders> {
  return dueReminders({
    agreement: TRANAS,
    reporters: [],
    reportedThisWeek: nobodyReported,
    meetings: [],
    settings: S,
    ...partial,
  });
}

const meeting = (patch: Partial<MeetingLike> = {}): MeetingLike => ({
  id: 'm1',
  agreementId: TRANAS.id,
  date: '2024-03-20',
  time: '13:00',
  revision: 1,
  ...patch,
});

describe('domain/reminders', () => {
  describe('settings', () => {
    it('defaults: Thursday 13:00, 3 working days before at 08:00, morning 07:30, 90/30 days', () => {
      assert.equal(S.weeklyWeekday, 4);
      assert.equal(S.weeklyTime, '13:00');
      assert.deepEqual(S.digestWorkingDaysBefore, [3]);
      assert.equal(S.digestTime, '08:00');
      assert.equal(S.morningTime, '07:30');
      assert.deepEqual(S.periodWarningDays, [90, 30]);
      assert.equal(S.zone, 'Europe/Stockholm');
    });

    it('parseReminderSettings fills in defaults and names wrong fields', () => {
      const ok = parseReminderSettings({ weeklyWeekday: 5 });
      assert.ok(ok.ok);
      assert.equal(ok.value.weeklyWeekday, 5);
      assert.equal(ok.value.weeklyTime, '13:00');
      const bad = parseReminderSettings({ weeklyWeekday: 8, digestTime: '25:00' });
      assert.ok(!bad.ok);
      assert.deepEqual(bad.errors.map((e) => e.path).sort(), ['digestTime', 'weeklyWeekday']);
    });
  });

  describe('the weekly reminder instant', () => {
    it('follows summer time: weeks 13 and 44 are CET (12:00Z), June is CEST (11:00Z)', () => {
      assert.equal(iso(weeklyReminderInstant('2024-W13', S)), '2024-03-28T12:00:00.000Z');
      assert.equal(iso(weeklyReminderInstant('2024-W44', S)), '2024-10-31T12:00:00.000Z');
      assert.equal(iso(weeklyReminderInstant('2024-W24', S)), '2024-06-13T11:00:00.000Z');
    });

    it('Ascension Day, Thursday 2024-05-09, moves the reminder to Wednesday 2024-05-08 13:00', () => {
      assert.equal(weeklyReminderDate('2024-W19', S), '2024-05-08');
      assert.equal(iso(weeklyReminderInstant('2024-W19', S)), '2024-05-08T11:00:00.000Z');
    });

    it('Midsummer Eve, Friday 2025-06-20, with a Friday reminder → Thursday 2025-06-19', () => {
      const fri = with_({ weeklyWeekday: 5 });
      assert.equal(weeklyReminderDate('2025-W25', fri), '2025-06-19');
      assert.equal(iso(weeklyReminderInstant('2025-W25', fri)), '2025-06-19T11:00:00.000Z');
      // An ordinary Friday is not moved.
      assert.equal(weeklyReminderDate('2025-W24', fri), '2025-06-13');
    });

    it('never leaves its week: Easter Monday on a Monday → Tuesday of the same week', () => {
      assert.equal(weeklyReminderDate('2024-W14', with_({ weeklyWeekday: 1 })), '2024-04-02');
    });

    it('Saturday as the weekday → the Friday before', () => {
      assert.equal(weeklyReminderDate('2024-W11', with_({ weeklyWeekday: 6 })), '2024-03-15');
    });
  });

  describe('weekly reminders in dueReminders', () => {
    const reporters: ReporterLike[] = [
      { aadObjectId: 'anna', active: true },
      { aadObjectId: 'borta', active: true, absentUntil: '2024-03-20' },
      { aadObjectId: 'klar', active: true },
      { aadObjectId: 'avregistrerad', active: false },
      { aadObjectId: 'tillbaka', active: true, absentUntil: '2024-03-13' },
      { aadObjectId: 'borta-idag', active: true, absentUntil: '2024-03-14' },
      { aadObjectId: 'anna', active: true },
    ];
    const reported = (week: string): Set<string> => (week === '2024-W11' ? new Set(['klar']) : new Set());

    it('week 11: reminds only active reporters who have not reported and are not absent, one occurrence each', () => {
      const asked: string[] = [];
      const r = run({
        now: at('2024-03-14T12:00:30Z'),
        lastCheck: at('2024-03-14T11:59:30Z'),
        reporters,
        reportedThisWeek: (w) => {
          asked.push(w);
          return reported(w);
        },
      });
      assert.deepEqual(keys(r.due), ['weekly:2024-W11:anna', 'weekly:2024-W11:tillbaka']);
      assert.deepEqual(r.expired, []);
      assert.deepEqual(asked, ['2024-W11']);
      const o = r.due[0]!;
      assert.equal(o.kind, 'weekly');
      assert.equal(o.week, '2024-W11');
      assert.equal(o.reporterId, 'anna');
      assert.deepEqual(o.recipients, ['anna']);
      assert.equal(o.localDate, '2024-03-14');
      assert.equal(iso(o.dueAt), '2024-03-14T12:00:00.000Z');
      assert.equal(iso(o.expiresAt), '2024-03-17T23:00:00.000Z');
    });

    it('the window is (lastCheck, now]: dueAt = lastCheck does not count, dueAt = now counts', () => {
      assert.deepEqual(
        keys(run({ now: at('2024-03-14T12:05:00Z'), lastCheck: at('2024-03-14T12:00:00Z'), reporters }).due),
        [],
      );
      assert.equal(
        run({
          now: at('2024-03-14T12:00:00Z'),
          lastCheck: at('2024-03-14T11:00:00Z'),
          reporters,
          reportedThisWeek: reported,
        }).due.length,
        2,
      );
      assert.equal(
        run({
          now: at('2024-03-14T11:59:59Z'),
          lastCheck: at('2024-03-14T11:00:00Z'),
          reporters,
          reportedThisWeek: reported,
        }).due.length,
        0,
      );
    });

    it('no occurrence when everyone has reported', () => {
      const r = run({
        now: at('2024-03-14T12:01:00Z'),
        lastCheck: at('2024-03-14T11:59:00Z'),
        reporters: [{ aadObjectId: 'klar', active: true }],
        reportedThisWeek: reported,
      });
      assert.deepEqual(r.due, []);
      assert.deepEqual(r.expired, []);
    });

    it('only within the agreement period', () => {
      const after = run({ now: at('2025-01-09T12:01:00Z'), lastCheck: at('2025-01-09T11:59:00Z'), reporters });
      assert.deepEqual(after.due, []);
      const before = run({
        agreement: { id: 'x', periodStart: '2024-03-15', periodEnd: '2024-12-31' },
        now: at('2024-03-14T12:01:00Z'),
        lastCheck: at('2024-03-14T11:59:00Z'),
        reporters,
      });
      assert.deepEqual(before.due, []);
    });

    it("week 53 (2020-W53) in an agreement 2020–2021: New Year's Eve on Thursday → Wednesday 2020-12-30", () => {
      assert.equal(weeklyReminderDate('2020-W53', S), '2020-12-30');
      const r = run({
        agreement: { id: 'syntet-2020-2021', periodStart: '2020-01-01', periodEnd: '2021-12-31' },
        now: at('2020-12-30T12:00:00Z'),
        lastCheck: at('2020-12-29T12:00:00Z'),
        reporters: [{ aadObjectId: 'anna', active: true }],
      });
      assert.deepEqual(keys(r.due), ['weekly:2020-W53:anna']);
      assert.equal(iso(r.due[0]!.expiresAt), '2021-01-03T23:00:00.000Z');
    });

    it('missed while the bot was down: lastCheck two days back gives the reminder while the week lasts, else skipped', () => {
      const same = run({
        now: at('2024-03-15T09:00:00Z'),
        lastCheck: at('2024-03-13T09:00:00Z'),
        reporters,
        reportedThisWeek: reported,
      });
      assert.deepEqual(keys(same.due), ['weekly:2024-W11:anna', 'weekly:2024-W11:tillbaka']);
      const nextWeek = run({
        now: at('2024-03-18T08:00:00Z'),
        lastCheck: at('2024-03-16T08:00:00Z'),
        reporters,
        reportedThisWeek: reported,
      });
      assert.deepEqual(nextWeek.due, []);
      const late = run({
        now: at('2024-03-18T08:00:00Z'),
        lastCheck: at('2024-03-13T08:00:00Z'),
        reporters,
        reportedThisWeek: reported,
      });
      assert.deepEqual(late.due, []);
      assert.deepEqual(keys(late.expired), ['weekly:2024-W11:anna', 'weekly:2024-W11:tillbaka']);
    });
  });

  describe('meeting digests', () => {
    it('a meeting on Wednesday 2024-03-20 13:00 → Friday 2024-03-15 08:00 and the meeting day 07:30', () => {
      const d = meetingDigestInstants(meeting(), S);
      assert.deepEqual(
        d.map((x) => [x.slot, iso(x.dueAt)]),
        [
          ['3wd', '2024-03-15T07:00:00.000Z'],
          ['morning', '2024-03-20T06:30:00.000Z'],
        ],
      );
      assert.equal(iso(d[0]!.meetingStart), '2024-03-20T12:00:00.000Z');
    });

    it('working days are counted past Easter and the change to summer time', () => {
      // 3 working days before Wednesday 3 April 2024: Tue 2/4, (Easter Monday, Good Friday) Thu 28/3, Wed 27/3.
      const d = meetingDigestInstants(meeting({ date: '2024-04-03', time: '10:00' }), S);
      assert.deepEqual(
        d.map((x) => iso(x.dueAt)),
        ['2024-03-27T07:00:00.000Z', '2024-04-03T05:30:00.000Z'],
      );
    });

    it('the morning digest is skipped when the meeting starts at 07:30 or earlier; a cancelled meeting gives nothing', () => {
      assert.deepEqual(
        meetingDigestInstants(meeting({ time: '07:30' }), S).map((x) => x.slot),
        ['3wd'],
      );
      assert.deepEqual(
        meetingDigestInstants(meeting({ time: '07:45' }), S).map((x) => x.slot),
        ['3wd', 'morning'],
      );
      assert.deepEqual(meetingDigestInstants(meeting({ cancelled: { at: '2024-03-01T10:00:00Z', by: 'x' } }), S), []);
    });

    it('keys with the revision: a moved meeting (revision 2) gets new occurrences', () => {
      const r1 = run({ now: at('2024-03-15T07:00:00Z'), lastCheck: at('2024-03-15T06:59:00Z'), meetings: [meeting()] });
      assert.deepEqual(keys(r1.due), ['meeting-digest:m1:r1:3wd']);
      const o = r1.due[0]!;
      assert.equal(o.meetingId, 'm1');
      assert.equal(o.meetingRevision, 1);
      assert.equal(o.workingDaysBefore, 3);
      assert.equal(iso(o.expiresAt), '2024-03-20T12:00:00.000Z');

      // Moved to Friday 22 March: 3 working days before = Tuesday 19 March.
      const moved = meeting({ date: '2024-03-22', revision: 2 });
      const r2 = run({ now: at('2024-03-22T07:00:00Z'), lastCheck: at('2024-03-15T07:00:00Z'), meetings: [moved] });
      assert.deepEqual(keys(r2.due), ['meeting-digest:m1:r2:3wd', 'meeting-digest:m1:r2:morning']);
      assert.equal(iso(r2.due[0]!.dueAt), '2024-03-19T07:00:00.000Z');
    });

    it('a cancelled meeting gives no occurrences, not even skipped ones', () => {
      const r = run({
        now: at('2024-03-21T00:00:00Z'),
        lastCheck: at('2024-03-01T00:00:00Z'),
        meetings: [meeting({ cancelled: { at: '2024-03-10T10:00:00Z', by: 'samordnare' } })],
      });
      assert.deepEqual(r.due, []);
      assert.deepEqual(r.expired, []);
    });

    it('a missed digest for a meeting that has already started is skipped', () => {
      const r = run({
        now: at('2024-03-14T09:30:00Z'),
        lastCheck: at('2024-03-12T09:30:00Z'),
        meetings: [
          meeting({ id: 'm2', date: '2024-03-14', time: '10:00' }),
          meeting({ id: 'm3', date: '2024-03-14', time: '15:00' }),
        ],
      });
      assert.deepEqual(keys(r.expired), ['meeting-digest:m2:r1:morning']);
      assert.deepEqual(keys(r.due), ['meeting-digest:m3:r1:morning']);
    });

    it('meetings of other agreements are ignored; invalid dates are reported', () => {
      const r = run({
        now: at('2024-03-15T07:00:00Z'),
        lastCheck: at('2024-03-15T06:00:00Z'),
        meetings: [meeting({ agreementId: 'annat-lofte' }), meeting({ id: 'trasig', date: '2024-02-30' })],
      });
      assert.deepEqual(r.due, []);
      assert.deepEqual(r.invalidMeetings, ['trasig']);
    });
  });

  describe('tertial summaries', () => {
    it('the last working day of the tertial at 14:00', () => {
      assert.equal(iso(tertialSummaryInstant('2024-T1', S)), '2024-04-30T12:00:00.000Z'); // Tuesday
      assert.equal(iso(tertialSummaryInstant('2024-T2', S)), '2024-08-30T12:00:00.000Z'); // 31 Aug a Saturday → Friday
      assert.equal(iso(tertialSummaryInstant('2024-T3', S)), '2024-12-30T13:00:00.000Z'); // New Year's Eve → Monday 30 Dec
    });

    it('tertials ending within the Tranås period 2023–2024', () => {
      assert.deepEqual(tertialsEndingInPeriod(TRANAS), [
        '2023-T1',
        '2023-T2',
        '2023-T3',
        '2024-T1',
        '2024-T2',
        '2024-T3',
      ]);
    });

    it('sent within 7 days, skipped after that', () => {
      const lastCheck = at('2024-04-30T11:00:00Z');
      const ok = run({ now: at('2024-05-07T11:59:00Z'), lastCheck });
      assert.deepEqual(keys(ok.due), ['tertial-summary:tranas-2023-2024:2024-T1']);
      assert.equal(ok.due[0]!.tertial, '2024-T1');
      const late = run({ now: at('2024-05-07T12:00:00Z'), lastCheck });
      assert.deepEqual(keys(late.expired), ['tertial-summary:tranas-2023-2024:2024-T1']);
      assert.deepEqual(late.due, []);
    });
  });

  describe('warnings before the end of the period', () => {
    it('Tranås periodEnd 2024-12-31: 2 October 09:00 and Friday 29 November 09:00', () => {
      assert.deepEqual(
        periodWarningInstants(TRANAS, S).map((w) => [w.daysBefore, w.localDate, iso(w.dueAt)]),
        [
          [90, '2024-10-02', '2024-10-02T07:00:00.000Z'],
          [30, '2024-11-29', '2024-11-29T08:00:00.000Z'],
        ],
      );
    });

    it('a warning before periodStart is left out', () => {
      const short = { id: 'kort', periodStart: '2024-11-01', periodEnd: '2024-12-31' };
      assert.deepEqual(
        periodWarningInstants(short, S).map((w) => w.daysBefore),
        [30],
      );
    });

    it('a missed warning is sent up to and including periodEnd, skipped after that', () => {
      const r = run({ now: at('2024-12-31T22:59:00Z'), lastCheck: at('2024-11-29T06:59:00Z') });
      assert.deepEqual(keys(r.due.filter((o) => o.kind === 'periodWarning')), ['period-warning:tranas-2023-2024:30']);
      assert.equal(r.due.find((o) => o.kind === 'periodWarning')!.daysBefore, 30);
      const after = run({ now: at('2024-12-31T23:00:00Z'), lastCheck: at('2024-11-29T06:59:00Z') });
      assert.deepEqual(keys(after.expired.filter((o) => o.kind === 'periodWarning')), [
        'period-warning:tranas-2023-2024:30',
      ]);
    });
  });

  describe('the whole period at once', () => {
    it('gives every occurrence once, sorted by time, with unique keys', () => {
      const r = run({
        now: at('2025-01-10T00:00:00Z'),
        lastCheck: at('2020-01-01T00:00:00Z'),
        reporters: [{ aadObjectId: 'anna', active: true }],
        meetings: [meeting()],
      });
      assert.deepEqual(r.due, []);
      const all = r.expired;
      assert.equal(new Set(keys(all)).size, all.length);
      assert.equal(all.filter((o) => o.kind === 'tertialSummary').length, 6);
      assert.equal(all.filter((o) => o.kind === 'periodWarning').length, 2);
      assert.equal(all.filter((o) => o.kind === 'meetingDigest').length, 2);
      // 2023-W01 (Thu 5 Jan) to 2024-W52 (Thu 26 Dec); 2025-W01 falls after periodEnd.
      const weeks = all.filter((o) => o.kind === 'weekly');
      assert.equal(weeks[0]!.week, '2023-W01');
      assert.equal(weeks[weeks.length - 1]!.week, '2024-W52');
      assert.equal(weeks.length, 52 + 52);
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.dueAt.getTime() <= all[i]!.dueAt.getTime());
    });

    it('lastCheck >= now gives nothing', () => {
      const r = run({
        now: at('2024-03-14T12:00:00Z'),
        lastCheck: at('2024-03-14T12:00:00Z'),
        reporters: [{ aadObjectId: 'a', active: true }],
      });
      assert.deepEqual(r, { due: [], expired: [], invalidMeetings: [] });
    });
  });
});
