import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { AgreementSchema } from '../../src/domain/agreement.js';
import {
  DEFAULT_REPORT_RULES,
  MAX_REPORT_ROWS,
  rowCountOf,
  rowInputId,
  subcountInputId,
  validateWeekCard,
} from '../../src/domain/report.js';
import { isCountable } from '../../src/domain/report-tally.js';
import { snoozeKey, snoozeTime } from '../../src/domain/snooze.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { ORDINARY_REPORT_SENTENCES } from '../fixtures/ordinary-report-sentences.js';
import { anyDisguised, inContext, SEED, splitInTwo } from '../helpers/identifiers.js';
import { storedReport } from '../helpers/report-builder.js';
import { runs } from '../helpers/runs.js';

const tranas = AgreementSchema.parse(TRANAS_2023_2024);
const ctx = { agreement: tranas, today: '2024-03-14', rules: DEFAULT_REPORT_RULES };
const ROW_ACTIVITIES = ['trafikkontroller', 'krogkontroller', 'lob-och-polislagen', 'ovrigt-lofte-2'];

/** A card of `rows` filled rows, each with an ordinary note unless `notes` says otherwise. */
function cardOf(rows: number, notes: Record<number, string> = {}): Record<string, unknown> {
  const raw: Record<string, unknown> = { week: '2024-W11', date: '2024-03-13', party: 'Kommunen', rows };
  for (let i = 0; i < rows; i++) {
    raw[rowInputId('activityId', i)] = ROW_ACTIVITIES[i % ROW_ACTIVITIES.length];
    raw[rowInputId('count', i)] = String(i + 1);
    raw[rowInputId('area', i)] = 'Centrum';
    raw[rowInputId('description', i)] = notes[i] ?? 'Kontroller vid infarten';
  }
  return raw;
}

describe('the week card (domain)', () => {
  it('validates every filled row, ignores empty ones, and keeps the row index of each', () => {
    const raw = cardOf(3);
    raw[rowInputId('area', 3)] = 'Centrum'; // an area alone is not a row
    raw.rows = 4;
    const r = validateWeekCard(raw, ctx);
    assert.ok(r.ok);
    assert.deepEqual(
      r.rows.map((x) => [x.row, x.value.activityId, x.value.count, x.value.party, x.value.week]),
      [
        [0, 'trafikkontroller', 1, 'Kommunen', '2024-W11'],
        [1, 'krogkontroller', 2, 'Kommunen', '2024-W11'],
        [2, 'lob-och-polislagen', 3, 'Kommunen', '2024-W11'],
      ],
    );
  });

  it("keeps each row's sub-counts with its row, and refuses one over its row's count in that row only", () => {
    const raw = cardOf(3);
    raw[rowInputId('count', 0)] = '9';
    raw[rowInputId(subcountInputId('hastighet'), 0)] = '5';
    raw[rowInputId(subcountInputId('mobil'), 0)] = '';
    const ok = validateWeekCard(raw, ctx);
    assert.ok(ok.ok);
    assert.deepEqual(
      ok.rows.map((x) => x.value.subcounts),
      [{ hastighet: 5 }, undefined, undefined],
    );
    // Row 1 is a krogkontroll (no sub-categories) and row 0's sub-count is over its count of 1.
    const bad = cardOf(3);
    bad[rowInputId(subcountInputId('nykterhet'), 0)] = '2';
    bad[rowInputId(subcountInputId('mobil'), 1)] = '1';
    const r = validateWeekCard(bad, ctx);
    assert.ok(!r.ok && !r.empty);
    assert.deepEqual(
      [...r.rowErrors].map(([row, errors]) => [row, errors.map((e) => `${e.field}:${e.code}`)]),
      [
        [0, ['subcounts:moreThanCount']],
        [1, ['subcounts:noSubcategories']],
      ],
    );
  });

  it('says empty when no row is filled, and gives the card errors once, not per row', () => {
    const empty = validateWeekCard({ week: '2024-W11', date: '2024-03-13', party: 'Polisen', rows: 3 }, ctx);
    assert.ok(!empty.ok && empty.empty);
    const r = validateWeekCard({ ...cardOf(3), party: '', date: '2024-03-20' }, ctx);
    assert.ok(!r.ok && !r.empty);
    assert.deepEqual(
      r.cardErrors.map((e) => `${e.field}:${e.code}`),
      ['date:futureDate', 'party:required'],
    );
    assert.equal(r.rowErrors.size, 0);
  });

  it('caps the rows of a card at the maximum, whatever the card claims', () => {
    assert.equal(rowCountOf({ rows: 500 }), MAX_REPORT_ROWS);
    assert.equal(rowCountOf({ rows: 'x', activityId_5: 'a' }), 6);
    assert.equal(rowCountOf({}), 1);
  });

  it("refuses the whole card when any row's note holds a generated identifier, flagging that row", () => {
    fc.assert(
      fc.property(inContext, fc.integer({ min: 1, max: MAX_REPORT_ROWS }), fc.nat(), (d, rows, pick) => {
        const at = pick % rows;
        const r = validateWeekCard(cardOf(rows, { [at]: d.text }), ctx);
        if (r.ok) return false;
        const errors = r.rowErrors.get(at) ?? [];
        return errors.some((e) => e.code === 'personalData') && [...r.rowErrors.keys()].every((k) => k === at);
      }),
      { seed: SEED, numRuns: runs(1500) },
    );
  });

  it('refuses an identifier split across the notes of two rows (one personnummer in two places)', () => {
    fc.assert(
      fc.property(
        anyDisguised.chain((d) => splitInTwo(d)),
        fc.integer({ min: 2, max: MAX_REPORT_ROWS }),
        ([a, b], rows) => {
          const r = validateWeekCard(cardOf(rows, { 0: a, [rows - 1]: b }), ctx);
          return !r.ok && (r.rowErrors.size > 0 || r.cardErrors.some((e) => e.code === 'personalData'));
        },
      ),
      { seed: SEED, numRuns: runs(1500) },
    );
  });

  it('accepts ordinary report sentences in every row', () => {
    for (let i = 0; i + MAX_REPORT_ROWS <= ORDINARY_REPORT_SENTENCES.length; i += MAX_REPORT_ROWS) {
      const notes = Object.fromEntries(
        ORDINARY_REPORT_SENTENCES.slice(i, i + MAX_REPORT_ROWS).map((s, k) => [k, s.slice(0, 500)]),
      );
      const r = validateWeekCard(cardOf(MAX_REPORT_ROWS, notes), ctx);
      assert.ok(r.ok, JSON.stringify(r.ok ? [] : [...r.rowErrors, ...r.cardErrors].slice(0, 3)));
    }
  });

  it('never counts "inget att rapportera"', () => {
    assert.equal(isCountable(storedReport({ kind: 'nothingToReport', count: 0 })), false);
    assert.equal(isCountable(storedReport({ count: 0 })), true);
  });
});

describe('snooze times (Europe/Stockholm)', () => {
  it('"kl. 15" is today at 15:00 before then, tomorrow at 15:00 from 15:00 on', () => {
    const before = snoozeTime(new Date('2024-03-14T13:59:00Z'), 'at15'); // 14:59 CET
    assert.equal(before.at.toISOString(), '2024-03-14T14:00:00.000Z');
    assert.equal(before.late, false);
    const at = snoozeTime(new Date('2024-03-14T14:00:00Z'), 'at15'); // 15:00 CET
    assert.equal(at.at.toISOString(), '2024-03-15T14:00:00.000Z');
    assert.equal(at.late, true);
  });

  it('"i morgon" is 09:00 the next day, across the change to summer time', () => {
    // Saturday 30 March 2024 evening CET → Sunday 31 March 09:00 CEST (UTC+2).
    const t = snoozeTime(new Date('2024-03-30T20:00:00Z'), 'tomorrow');
    assert.equal(t.date, '2024-03-31');
    assert.equal(t.at.toISOString(), '2024-03-31T07:00:00.000Z');
  });

  it('keys one occurrence per reporter, week and time', () => {
    assert.equal(snoozeKey('a', '2024-W11', 'u', 'x'), 'snooze:a:2024-W11:u:x');
    assert.notEqual(snoozeKey('a', '2024-W11', 'u', 'x'), snoozeKey('a', '2024-W11', 'v', 'x'));
  });
});
