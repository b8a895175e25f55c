import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  DEFAULT_REMINDER_SETTINGS,
  dueReminders,
  meetingDigestKey,
  weeklySummaryInstant,
  weeklySummaryKey,
  type DueInput,
} from '../../src/domain/reminders.js';

const TRANAS = { id: 'tranas-2023-2024', periodStart: '2023-01-01', periodEnd: '2024-12-31' };
const run = (partial: Partial<DueInput> & Pick<DueInput, 'now' | 'lastCheck'>) =>
  dueReminders({
    agreement: TRANAS,
    reporters: [],
    reportedThisWeek: () => new Set(),
    meetings: [],
    settings: DEFAULT_REMINDER_SETTINGS,
    ...partial,
  });
const at = (s: string) => new Date(s);

describe('reminder policy: a meeting saved after its digest time, and the weekly summary', () => {
  // Thursday 28 March 2024 14:00; three working days before is Monday 25 March (08:00 CET = 07:00Z).
  const meeting = { id: 'm2', date: '2024-03-28', time: '14:00', revision: 1 };

  it('a meeting saved after its digest time gets the latest passed digest at the next check, once', () => {
    // Saved Wednesday 27 March 11:00 CET; the previous check a minute earlier.
    const saved = { ...meeting, knownSince: '2024-03-27T10:00:00.000Z' };
    const first = run({ now: at('2024-03-27T10:00:30Z'), lastCheck: at('2024-03-27T09:59:30Z'), meetings: [saved] });
    assert.deepEqual(
      first.due.map((o) => o.key),
      [meetingDigestKey('m2', 1, '3wd')],
    );
    assert.deepEqual(first.expired, []);
    // The next check: the meeting is no longer new; nothing again (the morning digest is tomorrow).
    const next = run({ now: at('2024-03-27T10:01:30Z'), lastCheck: at('2024-03-27T10:00:30Z'), meetings: [saved] });
    assert.deepEqual(next.due, []);
    // Without knownSince (as before the fix) the passed digest never came.
    const old = run({ now: at('2024-03-27T10:00:30Z'), lastCheck: at('2024-03-27T09:59:30Z'), meetings: [meeting] });
    assert.deepEqual(old.due, []);
  });

  it('only the latest passed digest, none once the meeting has started, and on-time ones as before', () => {
    // Saved on the meeting day after the morning digest: the morning one only, not the 3-day one as well.
    const sameDay = { ...meeting, knownSince: '2024-03-28T08:00:00.000Z' };
    const r = run({ now: at('2024-03-28T08:00:30Z'), lastCheck: at('2024-03-28T07:59:30Z'), meetings: [sameDay] });
    assert.deepEqual(
      r.due.map((o) => o.key),
      [meetingDigestKey('m2', 1, 'morning')],
    );
    // Saved after the start (an agenda correction): nothing.
    const afterStart = { ...meeting, knownSince: '2024-03-28T13:30:00.000Z' };
    assert.deepEqual(
      run({ now: at('2024-03-28T13:30:30Z'), lastCheck: at('2024-03-28T13:29:30Z'), meetings: [afterStart] }).due,
      [],
    );
    // Saved well before: the digest comes on time, not earlier.
    const early = { ...meeting, knownSince: '2024-03-01T10:00:00.000Z' };
    assert.deepEqual(
      run({ now: at('2024-03-25T07:00:30Z'), lastCheck: at('2024-03-25T06:59:30Z'), meetings: [early] }).due.map(
        (o) => o.key,
      ),
      [meetingDigestKey('m2', 1, '3wd')],
    );
  });

  it('the weekly summary of the week before: Monday 08:00 in Stockholm, Easter Monday moves it to Tuesday', () => {
    assert.equal(weeklySummaryInstant('2024-W11').toISOString(), '2024-03-11T07:00:00.000Z');
    // Summer time: 08:00 CEST is 06:00Z; Monday 1 April 2024 is Easter Monday.
    assert.equal(weeklySummaryInstant('2024-W14').toISOString(), '2024-04-02T06:00:00.000Z');
    const on = run({ now: at('2024-03-11T07:00:30Z'), lastCheck: at('2024-03-11T06:59:30Z'), weeklySummary: true });
    assert.deepEqual(
      on.due.map((o) => [o.key, o.week]),
      [[weeklySummaryKey(TRANAS.id, '2024-W10'), '2024-W10']],
    );
    const off = run({ now: at('2024-03-11T07:00:30Z'), lastCheck: at('2024-03-11T06:59:30Z') });
    assert.deepEqual(off.due, []);
    // Missed that day (the bot was down): skipped, not posted days late.
    const late = run({ now: at('2024-03-14T07:00:30Z'), lastCheck: at('2024-03-07T07:00:30Z'), weeklySummary: true });
    assert.deepEqual(
      late.due.filter((o) => o.kind === 'weeklySummary'),
      [],
    );
    assert.deepEqual(
      late.expired.filter((o) => o.kind === 'weeklySummary').map((o) => o.key),
      [weeklySummaryKey(TRANAS.id, '2024-W10')],
    );
  });

  it('a summarised week must overlap the period: the week after the period still gets one, the next not', () => {
    const days = (from: string, to: string) =>
      run({ now: at(to), lastCheck: at(from), weeklySummary: true })
        .due.concat(run({ now: at(to), lastCheck: at(from), weeklySummary: true }).expired)
        .filter((o) => o.kind === 'weeklySummary')
        .map((o) => o.week);
    // 2024-12-31 is a Tuesday of 2025-W01; the summaries of W52 and W01 come, W02 does not.
    assert.deepEqual(days('2024-12-29T00:00:00Z', '2025-01-20T00:00:00Z'), ['2024-W52', '2025-W01']);
  });
});
