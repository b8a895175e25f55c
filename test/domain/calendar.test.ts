import assert from 'node:assert/strict';
import {
  addLocalDays,
  addTertials,
  addWeeks,
  compareWeeks,
  easterSunday,
  isoWeekOf,
  isoWeekOfLocalDate,
  isSwedishHoliday,
  isWorkingDay,
  localDateOf,
  localDateTimeToInstant,
  localTimeOf,
  mondayOfWeek,
  parseIsoWeek,
  parseLocalDate,
  parseTertial,
  previousWorkingDay,
  subtractWorkingDays,
  swedishHolidayName,
  swedishHolidays,
  tertialEndDates,
  tertialOf,
  tertialOfLocalDate,
  tertialRange,
  weekEnd,
  weeksInYear,
  weekStart,
  workingDayOnOrBefore,
} from '../../src/domain/calendar.js';

const Z = 'Europe/Stockholm';
const iso = (d: Date): string => d.toISOString();
const HOUR = 3_600_000;

describe('calendar', () => {
  describe('ISO weeks', () => {
    it('week years with 53 weeks', () => {
      assert.equal(weeksInYear(2020), 53);
      assert.equal(weeksInYear(2026), 53);
      assert.equal(weeksInYear(2015), 53);
      assert.equal(weeksInYear(2021), 52);
      assert.equal(weeksInYear(2024), 52);
      assert.equal(weeksInYear(2025), 52);
    });

    it('parseIsoWeek checks that the week exists', () => {
      assert.deepEqual(parseIsoWeek('2020-W53'), { year: 2020, week: 53 });
      assert.deepEqual(parseIsoWeek('2026-W53'), { year: 2026, week: 53 });
      assert.equal(parseIsoWeek('2021-W53'), null);
      assert.equal(parseIsoWeek('2024-W00'), null);
      assert.equal(parseIsoWeek('2024-W1'), null);
      assert.equal(parseIsoWeek('2024W12'), null);
      assert.deepEqual(parseIsoWeek('2024-W01'), { year: 2024, week: 1 });
    });

    it('year boundaries', () => {
      assert.equal(isoWeekOfLocalDate('2024-12-30'), '2025-W01');
      assert.equal(isoWeekOfLocalDate('2021-01-03'), '2020-W53');
      assert.equal(isoWeekOfLocalDate('2021-01-04'), '2021-W01');
      assert.equal(isoWeekOfLocalDate('2026-12-31'), '2026-W53');
      assert.equal(isoWeekOfLocalDate('2027-01-03'), '2026-W53');
      assert.equal(isoWeekOfLocalDate('2027-01-04'), '2027-W01');
      assert.equal(isoWeekOfLocalDate('2024-03-14'), '2024-W11');
      assert.equal(isoWeekOf(new Date('2021-01-03T12:00:00Z'), Z), '2020-W53');
      assert.equal(isoWeekOf(new Date('2024-12-30T12:00:00Z')), '2025-W01');
    });

    it('Sunday 23:30 UTC is already Monday in Stockholm', () => {
      const sundayLate = new Date('2024-03-17T23:30:00Z'); // Sunday in UTC
      assert.equal(localDateOf(sundayLate, Z), '2024-03-18');
      assert.equal(isoWeekOf(sundayLate, Z), '2024-W12');
      assert.equal(isoWeekOf(sundayLate, 'UTC'), '2024-W11');
      // Across the new year: Sunday 2024-12-29 23:30Z is Monday 30 Dec locally → 2025-W01
      assert.equal(isoWeekOf(new Date('2024-12-29T23:30:00Z'), Z), '2025-W01');
    });

    it('weekStart/weekEnd in an ordinary winter week', () => {
      assert.equal(mondayOfWeek('2024-W11'), '2024-03-11');
      assert.equal(iso(weekStart('2024-W11', Z)), '2024-03-10T23:00:00.000Z');
      assert.equal(iso(weekEnd('2024-W11', Z)), '2024-03-17T23:00:00.000Z');
      assert.equal(mondayOfWeek('2025-W01'), '2024-12-30');
      assert.equal(mondayOfWeek('2020-W53'), '2020-12-28');
    });

    it('weekStart/weekEnd across the spring change to summer time (the week of 2024-03-31)', () => {
      const w = isoWeekOfLocalDate('2024-03-31');
      assert.equal(w, '2024-W13');
      const start = weekStart(w, Z);
      const end = weekEnd(w, Z);
      assert.equal(iso(start), '2024-03-24T23:00:00.000Z'); // Mon 00:00 CET
      assert.equal(iso(end), '2024-03-31T22:00:00.000Z'); // Mon 00:00 CEST
      assert.equal(end.getTime() - start.getTime(), 167 * HOUR);
    });

    it('weekStart/weekEnd across the autumn change (the week of 2024-10-27)', () => {
      const w = isoWeekOfLocalDate('2024-10-27');
      assert.equal(w, '2024-W43');
      const start = weekStart(w, Z);
      const end = weekEnd(w, Z);
      assert.equal(iso(start), '2024-10-20T22:00:00.000Z'); // Mon 00:00 CEST
      assert.equal(iso(end), '2024-10-27T23:00:00.000Z'); // Mon 00:00 CET
      assert.equal(end.getTime() - start.getTime(), 169 * HOUR);
      assert.equal(iso(weekEnd(w, Z)), iso(weekStart(addWeeks(w, 1), Z)));
    });

    it('addWeeks and compareWeeks', () => {
      assert.equal(addWeeks('2020-W52', 1), '2020-W53');
      assert.equal(addWeeks('2020-W53', 1), '2021-W01');
      assert.equal(addWeeks('2025-W01', -1), '2024-W52');
      assert.equal(addWeeks('2024-W12', 0), '2024-W12');
      assert.equal(addWeeks('2024-W12', 52), '2025-W12');
      assert.equal(compareWeeks('2024-W12', '2024-W13'), -1);
      assert.equal(compareWeeks('2025-W01', '2024-W52'), 1);
      assert.equal(compareWeeks('2024-W05', '2024-W05'), 0);
      assert.throws(() => compareWeeks('2021-W53', '2021-W01'), RangeError);
    });
  });

  describe('local dates and times', () => {
    it('parseLocalDate validates', () => {
      assert.deepEqual(parseLocalDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
      assert.equal(parseLocalDate('2023-02-29'), null);
      assert.equal(parseLocalDate('2024-13-01'), null);
      assert.equal(parseLocalDate('2024-1-01'), null);
      assert.equal(addLocalDays('2024-02-28', 2), '2024-03-01');
      assert.equal(addLocalDays('2025-01-01', -1), '2024-12-31');
    });

    it('localDateTimeToInstant in winter and summer time', () => {
      assert.equal(iso(localDateTimeToInstant('2024-03-14', '13:00', Z)), '2024-03-14T12:00:00.000Z');
      assert.equal(iso(localDateTimeToInstant('2024-07-01', '13:00', Z)), '2024-07-01T11:00:00.000Z');
      assert.equal(iso(localDateTimeToInstant('2024-03-14', '13:00', 'UTC')), '2024-03-14T13:00:00.000Z');
      assert.equal(iso(localDateTimeToInstant('2024-03-14', '13:00:30', Z)), '2024-03-14T12:00:30.000Z');
    });

    it('the spring gap: 2024-03-31 02:30 does not exist → 03:30 CEST', () => {
      const t = localDateTimeToInstant('2024-03-31', '02:30', Z);
      assert.equal(iso(t), '2024-03-31T01:30:00.000Z');
      assert.equal(localTimeOf(t, Z), '03:30');
      assert.equal(iso(localDateTimeToInstant('2024-03-31', '01:59', Z)), '2024-03-31T00:59:00.000Z');
      assert.equal(iso(localDateTimeToInstant('2024-03-31', '03:00', Z)), '2024-03-31T01:00:00.000Z');
    });

    it('the autumn ambiguity: 2024-10-27 02:30 → the first occurrence (CEST)', () => {
      const t = localDateTimeToInstant('2024-10-27', '02:30', Z);
      assert.equal(iso(t), '2024-10-27T00:30:00.000Z');
      assert.equal(localTimeOf(t, Z), '02:30');
      assert.equal(localTimeOf(new Date(t.getTime() + HOUR), Z), '02:30'); // the second occurrence
      assert.equal(iso(localDateTimeToInstant('2024-10-27', '03:00', Z)), '2024-10-27T02:00:00.000Z');
      assert.equal(iso(localDateTimeToInstant('2024-10-27', '01:59', Z)), '2024-10-26T23:59:00.000Z');
    });

    it('the change to the second, even when the same minute and the same day were asked before (the offset is cached per minute)', () => {
      const switchAt = Date.parse('2024-03-31T01:00:00.000Z'); // 02:00 CET → 03:00 CEST
      for (let round = 0; round < 2; round++) {
        assert.equal(localTimeOf(new Date(switchAt - 1), Z), '01:59');
        assert.equal(localTimeOf(new Date(switchAt - 60_000), Z), '01:59');
        assert.equal(localTimeOf(new Date(switchAt), Z), '03:00');
        assert.equal(localTimeOf(new Date(switchAt + 59_999), Z), '03:00');
        assert.equal(localDateOf(new Date('2024-10-26T21:59:59.999Z'), Z), '2024-10-26');
        assert.equal(localDateOf(new Date('2024-10-26T22:00:00.000Z'), Z), '2024-10-27');
        assert.equal(localTimeOf(new Date('2024-10-27T00:59:59.999Z'), Z), '02:59'); // CEST
        assert.equal(localTimeOf(new Date('2024-10-27T01:00:00.000Z'), Z), '02:00'); // CET
      }
      // A zone whose change fell inside a minute (Monrovia, 1972-01-07: −0:44:30 → UTC): each
      // instant of that minute gets the offset in force at that instant.
      const monrovia = 'Africa/Monrovia';
      const before = localTimeOf(new Date('1972-01-07T00:44:29.000Z'), monrovia);
      assert.equal(localTimeOf(new Date('1972-01-07T00:44:31.000Z'), monrovia), '00:44');
      assert.equal(localTimeOf(new Date('1972-01-07T00:44:29.000Z'), monrovia), before);
      assert.equal(localTimeOf(new Date('1972-01-07T00:45:00.000Z'), monrovia), '00:45');
    });

    it('invalid input throws RangeError', () => {
      assert.throws(() => localDateTimeToInstant('2024-02-30', '12:00', Z), RangeError);
      assert.throws(() => localDateTimeToInstant('2024-03-14', '24:00', Z), RangeError);
      assert.throws(() => localDateTimeToInstant('2024-03-14', '12:00', 'Mars/Olympus'), RangeError);
      assert.throws(() => localDateOf(new Date('nonsense'), Z), RangeError);
    });
  });

  describe('tertials', () => {
    it('tertialOfLocalDate', () => {
      assert.equal(tertialOfLocalDate('2024-01-01'), '2024-T1');
      assert.equal(tertialOfLocalDate('2024-04-30'), '2024-T1');
      assert.equal(tertialOfLocalDate('2024-05-01'), '2024-T2');
      assert.equal(tertialOfLocalDate('2024-08-31'), '2024-T2');
      assert.equal(tertialOfLocalDate('2024-09-01'), '2024-T3');
      assert.equal(tertialOfLocalDate('2024-12-31'), '2024-T3');
    });

    it('tertial boundary in local time: 2024-04-30T22:30Z is already 1 May in Stockholm', () => {
      const t = new Date('2024-04-30T22:30:00Z');
      assert.equal(localDateOf(t, Z), '2024-05-01');
      assert.equal(tertialOf(t, Z), '2024-T2');
      assert.equal(tertialOf(t, 'UTC'), '2024-T1');
      assert.equal(tertialOf(new Date('2024-04-30T21:59:59Z'), Z), '2024-T1');
      assert.equal(tertialOf(new Date('2024-12-31T23:30:00Z'), Z), '2025-T1');
    });

    it('tertialRange with local midnight bounds', () => {
      const t1 = tertialRange('2024-T1', Z);
      assert.equal(iso(t1.start), '2023-12-31T23:00:00.000Z');
      assert.equal(iso(t1.end), '2024-04-30T22:00:00.000Z');
      const t2 = tertialRange('2024-T2', Z);
      assert.equal(iso(t2.start), iso(t1.end));
      assert.equal(iso(t2.end), '2024-08-31T22:00:00.000Z');
      const t3 = tertialRange('2024-T3', Z);
      assert.equal(iso(t3.end), '2024-12-31T23:00:00.000Z');
      assert.equal(iso(t3.end), iso(tertialRange('2025-T1', Z).start));
    });

    it('tertialEndDates, parseTertial and addTertials', () => {
      assert.deepEqual(tertialEndDates(2024), ['2024-04-30', '2024-08-31', '2024-12-31']);
      assert.deepEqual(parseTertial('2024-T3'), { year: 2024, tertial: 3 });
      assert.equal(parseTertial('2024-T4'), null);
      assert.equal(addTertials('2024-T3', 1), '2025-T1');
      assert.equal(addTertials('2024-T1', -1), '2023-T3');
    });
  });

  describe('Swedish public holidays', () => {
    it('Easter Sunday', () => {
      assert.equal(easterSunday(2024), '2024-03-31');
      assert.equal(easterSunday(2025), '2025-04-20');
      assert.equal(easterSunday(2019), '2019-04-21');
      assert.equal(easterSunday(2038), '2038-04-25');
    });

    it('holidays 2024', () => {
      const h = swedishHolidays(2024);
      const byName = new Map(h.map((x) => [x.name, x.date]));
      assert.equal(h.length, 16);
      assert.equal(byName.get('Nyårsdagen'), '2024-01-01');
      assert.equal(byName.get('Trettondedag jul'), '2024-01-06');
      assert.equal(byName.get('Långfredagen'), '2024-03-29');
      assert.equal(byName.get('Påskdagen'), '2024-03-31');
      assert.equal(byName.get('Annandag påsk'), '2024-04-01');
      assert.equal(byName.get('Första maj'), '2024-05-01');
      assert.equal(byName.get('Kristi himmelsfärds dag'), '2024-05-09');
      assert.equal(byName.get('Sveriges nationaldag'), '2024-06-06');
      assert.equal(byName.get('Pingstdagen'), '2024-05-19');
      assert.equal(byName.get('Midsommarafton'), '2024-06-21');
      assert.equal(byName.get('Midsommardagen'), '2024-06-22');
      assert.equal(byName.get('Alla helgons dag'), '2024-11-02');
      assert.equal(byName.get('Julafton'), '2024-12-24');
      assert.equal(byName.get('Juldagen'), '2024-12-25');
      assert.equal(byName.get('Annandag jul'), '2024-12-26');
      assert.equal(byName.get('Nyårsafton'), '2024-12-31');
      const sorted = [...h].map((x) => x.date).sort();
      assert.deepEqual(
        h.map((x) => x.date),
        sorted,
      );
    });

    it('holidays 2025 and movable feasts', () => {
      const byName = new Map(swedishHolidays(2025).map((x) => [x.name, x.date]));
      assert.equal(byName.get('Påskdagen'), '2025-04-20');
      assert.equal(byName.get('Långfredagen'), '2025-04-18');
      assert.equal(byName.get('Kristi himmelsfärds dag'), '2025-05-29');
      assert.equal(byName.get('Midsommarafton'), '2025-06-20');
      assert.equal(byName.get('Midsommardagen'), '2025-06-21');
      assert.equal(byName.get('Alla helgons dag'), '2025-11-01');
      // 2026: All Saints' Day 31 Oct, Midsummer Eve 19 June
      const y2026 = new Map(swedishHolidays(2026).map((x) => [x.name, x.date]));
      assert.equal(y2026.get('Alla helgons dag'), '2026-10-31');
      assert.equal(y2026.get('Midsommarafton'), '2026-06-19');
    });

    it('isSwedishHoliday, swedishHolidayName and isWorkingDay', () => {
      assert.equal(isSwedishHoliday('2024-05-09'), true);
      assert.equal(swedishHolidayName('2024-05-09'), 'Kristi himmelsfärds dag');
      assert.equal(isSwedishHoliday('2024-06-21'), true);
      assert.equal(isSwedishHoliday('2024-12-24'), true);
      assert.equal(isSwedishHoliday('2024-05-10'), false);
      assert.equal(swedishHolidayName('2024-05-10'), null);
      assert.equal(isWorkingDay('2024-05-10'), true); // the Friday after Ascension Day
      assert.equal(isWorkingDay('2024-05-09'), false);
      assert.equal(isWorkingDay('2024-06-21'), false); // Midsummer Eve
      assert.equal(isWorkingDay('2024-03-16'), false); // Saturday
      assert.equal(isWorkingDay('2024-03-17'), false); // Sunday
      assert.equal(isWorkingDay('2024-03-18'), true);
    });

    it('workingDayOnOrBefore', () => {
      assert.equal(workingDayOnOrBefore('2024-05-09'), '2024-05-08'); // Ascension Day (Thursday)
      assert.equal(workingDayOnOrBefore('2024-05-08'), '2024-05-08');
      assert.equal(workingDayOnOrBefore('2024-03-17'), '2024-03-15'); // Sunday → Friday
      assert.equal(workingDayOnOrBefore('2024-04-01'), '2024-03-28'); // Easter Monday → Maundy Thursday
      assert.equal(workingDayOnOrBefore('2025-01-01'), '2024-12-30'); // New Year's Day → (New Year's Eve is off)
    });

    it('previousWorkingDay and subtractWorkingDays', () => {
      assert.equal(previousWorkingDay('2024-03-18'), '2024-03-15');
      assert.equal(previousWorkingDay('2024-03-19'), '2024-03-18');
      assert.equal(subtractWorkingDays('2024-03-19', 0), '2024-03-19');
      // Across a weekend: Tuesday 19 March − 3 = Thursday 14 March
      assert.equal(subtractWorkingDays('2024-03-19', 3), '2024-03-14');
      // Across a weekend and Ascension Day: Mon 13 May − 2 = Wed 8 May
      assert.equal(subtractWorkingDays('2024-05-13', 2), '2024-05-08');
      // Across Easter: Tuesday 2 April − 2 = Wednesday 27 March (28 March is 1 day before)
      assert.equal(subtractWorkingDays('2024-04-02', 2), '2024-03-27');
      assert.throws(() => subtractWorkingDays('2024-04-02', -1), RangeError);
    });
  });
});
