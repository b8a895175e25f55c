import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { AgreementSchema, type Agreement } from '../../src/domain/agreement.js';
import {
  changedFields,
  DEFAULT_REPORT_RULES,
  reportableActivities,
  selectableWeeks,
  validateReport,
  type ReportContent,
} from '../../src/domain/report.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';

const tranas = AgreementSchema.parse(TRANAS_2023_2024);
const wide: Agreement = { ...tranas, id: 'wide', periodStart: '2019-01-01', periodEnd: '2030-12-31' };
const input = (extra: Record<string, unknown> = {}) => ({
  week: '2024-W11',
  activityId: 'trafikkontroller',
  count: '3',
  date: '2024-03-13',
  area: 'Centrum',
  description: 'Kontroller vid infarten',
  party: 'Polisen',
  ...extra,
});
const codes = (r: ReturnType<typeof validateReport>) => (r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`));

describe('report validation', () => {
  const ctx = { agreement: tranas, today: '2024-03-14', rules: DEFAULT_REPORT_RULES };

  it('accepts a complete report and normalises its values', () => {
    const r = validateReport(
      input({
        activityId: 'riktade-insatser-narkotika',
        raiseAtNextMeeting: 'true',
        ageUnder18: '2',
        age18to21: '',
        ageOver21: '1',
      }),
      ctx,
    );
    assert.ok(r.ok);
    assert.equal(r.value.count, 3);
    assert.equal(r.value.pledgeNumber, 1);
    assert.equal(r.value.raiseAtNextMeeting, true);
    assert.deepEqual(r.value.ageBands, { under18: 2, from18to21: 0, over21: 1 });
  });

  it('takes age bands only for activities about young people (and Övrigt)', () => {
    assert.deepEqual(codes(validateReport(input({ ageUnder18: '2' }), ctx)), ['ageBands:notYouthActivity']);
    assert.ok(validateReport(input({ ageUnder18: '0', age18to21: '', ageOver21: '0' }), ctx).ok);
    assert.ok(validateReport(input({ activityId: 'langning-kampanjer', ageUnder18: '12' }), ctx).ok);
    assert.ok(validateReport(input({ activityId: 'ovrigt-lofte-2', ageOver21: '3' }), ctx).ok);
  });

  it('accepts "Övrigt" under a pledge', () => {
    const r = validateReport(input({ activityId: 'ovrigt-lofte-2' }), ctx);
    assert.ok(r.ok);
    assert.equal(r.value.pledgeNumber, 2);
  });

  it('names every missing field', () => {
    assert.deepEqual(codes(validateReport({}, ctx)), [
      'week:required',
      'activityId:required',
      'count:required',
      'date:required',
      'area:required',
      'party:required',
    ]);
  });

  it('refuses non-whole, negative and huge counts', () => {
    for (const count of ['2.5', '-1', 'tre', '1e3'])
      assert.deepEqual(codes(validateReport(input({ count }), ctx)), ['count:notWholeNumber'], count);
    assert.deepEqual(codes(validateReport(input({ count: '10001' }), ctx)), ['count:tooLarge']);
    assert.ok(validateReport(input({ count: '0' }), ctx).ok);
  });

  it('refuses future weeks and weeks beyond the limit, never future dates', () => {
    assert.deepEqual(codes(validateReport(input({ week: '2024-W12', date: '2024-03-14' }), ctx)), [
      'week:futureWeek',
      'date:notInWeek',
    ]);
    assert.deepEqual(codes(validateReport(input({ week: '2024-W06', date: '2024-02-06' }), ctx)), ['week:tooOld']);
    assert.ok(validateReport(input({ week: '2024-W07', date: '2024-02-13' }), ctx).ok);
    assert.deepEqual(codes(validateReport(input({ date: '2024-03-15' }), ctx)), ['date:futureDate']);
    assert.deepEqual(codes(validateReport(input({ date: '2024-03-08' }), ctx)), ['date:notInWeek']);
    assert.deepEqual(codes(validateReport(input({ week: '2024-W99' }), ctx)), ['week:invalid']);
  });

  it('handles ISO week 53 and the year boundary', () => {
    // 2021-01-03 (a Sunday) lies in 2020-W53.
    const r = validateReport(input({ week: '2020-W53', date: '2020-12-28' }), {
      agreement: wide,
      today: '2021-01-03',
      rules: DEFAULT_REPORT_RULES,
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(selectableWeeks('2021-01-03', { ...DEFAULT_REPORT_RULES, maxWeeksBack: 1 }), [
      '2020-W53',
      '2020-W52',
    ]);
    // 2024-12-30 is in 2025-W01; a report dated then belongs to week 2025-W01.
    const r2 = validateReport(input({ week: '2025-W01', date: '2024-12-30' }), {
      agreement: wide,
      today: '2024-12-31',
      rules: DEFAULT_REPORT_RULES,
    });
    assert.ok(r2.ok);
    assert.deepEqual(
      codes(
        validateReport(input({ week: '2024-W52', date: '2024-12-30' }), {
          agreement: wide,
          today: '2024-12-31',
          rules: DEFAULT_REPORT_RULES,
        }),
      ),
      ['date:notInWeek'],
    );
    assert.deepEqual(codes(validateReport(input({ week: '2021-W53' }), ctx)), ['week:invalid']);
  });

  it('handles the week of the spring DST change (2024-03-31 is a Sunday in 2024-W13)', () => {
    const r = validateReport(input({ week: '2024-W13', date: '2024-03-31' }), {
      agreement: tranas,
      today: '2024-03-31',
      rules: DEFAULT_REPORT_RULES,
    });
    assert.ok(r.ok);
  });

  it('refuses dates outside the agreement period', () => {
    assert.deepEqual(
      codes(
        validateReport(input({ week: '2022-W52', date: '2022-12-30' }), {
          agreement: tranas,
          today: '2023-01-02',
          rules: DEFAULT_REPORT_RULES,
        }),
      ),
      ['date:outsidePeriod'],
    );
  });

  it('accepts only areas from the list and activities of the agreement', () => {
    assert.deepEqual(codes(validateReport(input({ area: 'Storgatan 12' }), ctx)), ['area:invalid']);
    assert.deepEqual(codes(validateReport(input({ activityId: 'hacking' }), ctx)), ['activityId:invalid']);
    assert.deepEqual(codes(validateReport(input({ party: 'Båda' }), ctx)), ['party:invalid']);
  });

  it('refuses personal data in the free text and says which kinds, not which values', () => {
    const r = validateReport(input({ description: 'Kontroll av ABC123, ring 070-123 45 67' }), ctx);
    assert.equal(r.ok, false);
    const e = r.ok ? undefined : r.errors[0];
    assert.deepEqual(e, {
      field: 'description',
      code: 'personalData',
      kinds: ['registreringsnummer', 'telefonnummer'],
    });
    assert.deepEqual(codes(validateReport(input({ description: 'x'.repeat(501) }), ctx)), ['description:tooLong']);
  });

  it('never throws on odd input types', () => {
    for (const odd of [
      { count: {}, week: [], date: null, area: 5, description: { x: 1 }, party: true, ageUnder18: 'x' },
      { count: Infinity },
    ]) {
      const r = validateReport(odd as Record<string, unknown>, ctx);
      assert.equal(r.ok, false);
    }
  });

  it('offers all activities grouped by pledge plus Övrigt per pledge', () => {
    const ids = reportableActivities(tranas).map((a) => a.id);
    assert.equal(ids.length, 9);
    assert.deepEqual(
      ids.filter((i) => i.startsWith('ovrigt')),
      ['ovrigt-lofte-1', 'ovrigt-lofte-2', 'ovrigt-lofte-3'],
    );
  });

  it('lists only the changed fields with their earlier values', () => {
    const a: ReportContent = {
      week: '2024-W11',
      activityId: 'x',
      pledgeNumber: 1,
      count: 1,
      date: '2024-03-13',
      area: 'Centrum',
      description: '',
      raiseAtNextMeeting: false,
      party: 'Polisen',
    };
    assert.deepEqual(changedFields(a, { ...a, count: 2, area: 'Skolor' }), { count: 1, area: 'Centrum' });
    assert.deepEqual(changedFields(a, { ...a }), {});
  });
});
