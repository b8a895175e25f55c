import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseAgreement } from '../../src/domain/agreement.js';
import { flaggedForMeeting, notReportedByParty } from '../../src/domain/reminders.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { atRiskOrBehind, computeStatus } from '../../src/domain/status.js';
import { reportOn } from '../helpers/report-builder.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';

const parsed = parseAgreement(TRANAS_2023_2024);
if (!parsed.ok) throw new Error('Tranås agreement does not parse');
const tranas = parsed.value;

const report = (date: string, count: number, activityId: string, extra: Partial<WeeklyReport> = {}): WeeklyReport =>
  reportOn(tranas, date, count, activityId, extra);

describe('what a digest before a meeting holds', () => {
  describe('"ligger vi efter?": one rule for the status card and the digest', () => {
    it('names an activity at Risk (10 of 15 with 13,1 expected), not only those Efter', () => {
      // 14 November 2024: 15 × 319/366 = 13.07 expected; 10/13.07 = 0.77 → Risk with 0.9/0.7.
      const status = computeStatus(
        tranas,
        [report('2024-06-03', 10, 'riktade-insatser-narkotika'), report('2024-06-03', 30, 'trafikkontroller')],
        '2024-11-14',
      );
      const { activities, pledges } = atRiskOrBehind(status);
      assert.deepEqual(
        activities.map((a) => [a.activityId, a.effectiveLevel]),
        [['riktade-insatser-narkotika', 'atRisk']],
      );
      assert.deepEqual(
        pledges.map((p) => [p.pledgeNumber, p.effectiveLevel]),
        [[1, 'atRisk']],
      );
    });

    it('names nothing when everything with a target is on track or achieved', () => {
      const status = computeStatus(
        tranas,
        [report('2024-06-03', 14, 'riktade-insatser-narkotika'), report('2024-06-03', 30, 'trafikkontroller')],
        '2024-11-14',
      );
      assert.deepEqual(atRiskOrBehind(status), { activities: [], pledges: [] });
    });

    it('names a löfte a coordinator set to Efter even when none of its activities is', () => {
      const status = computeStatus(tranas, [], '2024-11-14', undefined, [
        { pledgeNumber: 2, level: 'behind', reason: 'r', by: 'k', at: '2024-11-01T10:00:00Z' },
      ]);
      const { pledges } = atRiskOrBehind(status);
      assert.ok(pledges.some((p) => p.pledgeNumber === 2 && p.effectiveLevel === 'behind'));
    });
  });

  describe('flagged reports', () => {
    it('lists the newest first, by date then by when written, and says how many did not fit', () => {
      const reports = [
        report('2024-03-04', 1, 'trafikkontroller', { raiseAtNextMeeting: true, id: 'old' }),
        report('2024-03-12', 1, 'trafikkontroller', {
          raiseAtNextMeeting: true,
          id: 'new-early',
          createdAt: '2024-03-12T08:00:00Z',
        }),
        report('2024-03-12', 1, 'trafikkontroller', {
          raiseAtNextMeeting: true,
          id: 'new-late',
          createdAt: '2024-03-12T15:00:00Z',
        }),
        report('2024-03-13', 1, 'trafikkontroller', { id: 'not-flagged' }),
        report('2024-03-14', 1, 'trafikkontroller', {
          raiseAtNextMeeting: true,
          id: 'withdrawn',
          withdrawn: { at: 'x', by: 'y' },
        }),
        report('2024-03-08', 1, 'trafikkontroller', { raiseAtNextMeeting: true, id: 'middle' }),
      ];
      const all = flaggedForMeeting(reports, 10);
      assert.deepEqual(
        all.items.map((r) => r.id),
        ['new-late', 'new-early', 'middle', 'old'],
      );
      assert.equal(all.more, 0);
      const cut = flaggedForMeeting(reports, 2);
      assert.deepEqual(
        cut.items.map((r) => r.id),
        ['new-late', 'new-early'],
      );
      assert.equal(cut.more, 2);
      assert.deepEqual(flaggedForMeeting([], 2), { items: [], more: 0 });
    });

    it('keeps at most 8 by default', () => {
      const many = Array.from({ length: 11 }, (_, i) =>
        report(`2024-03-${String(i + 1).padStart(2, '0')}`, 1, 'trafikkontroller', { raiseAtNextMeeting: true }),
      );
      const { items, more } = flaggedForMeeting(many);
      assert.equal(items.length, 8);
      assert.equal(more, 3);
      assert.equal(items[0]!.date, '2024-03-11');
    });
  });

  describe('who has not reported: counts per party only', () => {
    const r = (id: string, party: string, extra: { active?: boolean; absentUntil?: string } = {}) => ({
      aadObjectId: id,
      party,
      active: extra.active ?? true,
      ...(extra.absentUntil ? { absentUntil: extra.absentUntil } : {}),
    });
    it('counts active rapportörer who have not reported and are not away, Polisen first', () => {
      const reporters = [
        r('k1', 'Kommunen'),
        r('p1', 'Polisen'),
        r('p2', 'Polisen'),
        r('p2', 'Polisen'), // listed twice: counted once
        r('p3', 'Polisen', { active: false }),
        r('p4', 'Polisen', { absentUntil: '2024-03-20' }),
        r('p5', 'Polisen', { absentUntil: '2024-03-01' }),
        r('k2', 'Kommunen'),
      ];
      assert.deepEqual(notReportedByParty(reporters, new Set(['k2']), '2024-03-15'), [
        { party: 'Polisen', count: 3 },
        { party: 'Kommunen', count: 1 },
      ]);
      assert.deepEqual(notReportedByParty(reporters, new Set(['k1', 'k2', 'p1', 'p2', 'p5']), '2024-03-15'), []);
    });
  });
});
