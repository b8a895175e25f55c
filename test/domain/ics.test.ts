import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { escapeIcsText, foldIcsLine, meetingIcs } from '../../src/domain/ics.js';
import { parseIcs } from '../helpers/ics.js';

const base = {
  uid: 'meeting-1@medborgarlofte-bot',
  sequence: 0,
  stamp: new Date('2024-03-14T10:00:00Z'),
  durationMinutes: 60,
  summary: 'Samverkansmöte – medborgarlöftet Tranås kommun',
};

describe('calendar invitation (RFC 5545, parsed back with ical.js)', () => {
  it('a winter meeting: local 10.00 with TZID Europe/Stockholm is 09:00 UTC, an hour long', () => {
    const p = parseIcs(meetingIcs({ ...base, date: '2024-03-20', time: '10:00' }));
    assert.equal(p.method, 'PUBLISH');
    assert.equal(p.version, '2.0');
    assert.equal(p.zoneId, 'Europe/Stockholm');
    assert.equal(p.startTzid, 'Europe/Stockholm');
    assert.equal(p.startLocal, '2024-03-20T10:00:00');
    assert.equal(p.endLocal, '2024-03-20T11:00:00');
    assert.equal(p.startUtc, '2024-03-20T09:00:00.000Z');
    assert.equal(p.endUtc, '2024-03-20T10:00:00.000Z');
    assert.equal(p.uid, base.uid);
    assert.equal(p.sequence, 0);
    assert.equal(p.summary, base.summary);
    assert.equal(p.status, 'CONFIRMED');
  });

  it('across the DST changes: summer time from the last Sunday of March, winter time from the last of October', () => {
    for (const [date, time, utc] of [
      ['2024-03-31', '10:00', '2024-03-31T08:00:00.000Z'],
      ['2024-03-30', '10:00', '2024-03-30T09:00:00.000Z'],
      ['2024-10-26', '10:00', '2024-10-26T08:00:00.000Z'],
      ['2024-10-27', '10:00', '2024-10-27T09:00:00.000Z'],
      ['2025-06-10', '13:15', '2025-06-10T11:15:00.000Z'],
    ] as const) {
      const p = parseIcs(meetingIcs({ ...base, date, time }));
      assert.equal(p.startUtc, utc, `${date} ${time}`);
      assert.equal(p.startLocal, `${date}T${time}:00`);
    }
    // An hour that ends after midnight ends on the next day.
    const late = parseIcs(meetingIcs({ ...base, date: '2024-05-02', time: '23:30' }));
    assert.equal(late.endLocal, '2024-05-03T00:30:00');
  });

  it('keeps Swedish text, commas, semicolons and line breaks through escaping and folding', () => {
    const location = 'Polishuset, sal 2; ingång från Storgatan';
    const description = `Uppföljningsmöte för medborgarlöftet.\nAtt ta upp: ${'trygghet på torget, åäö '.repeat(12)}`;
    const text = meetingIcs({ ...base, sequence: 3, date: '2024-04-03', time: '10:30', location, description });
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line);
    assert.ok(text.endsWith('\r\n') && !/[^\r]\n/.test(text), 'CRLF line ends');
    const p = parseIcs(text);
    assert.equal(p.location, location);
    assert.equal(p.description, description);
    assert.equal(p.sequence, 3);
  });

  it('a cancelled meeting is STATUS:CANCELLED', () => {
    assert.equal(
      parseIcs(meetingIcs({ ...base, date: '2024-04-03', time: '10:30', cancelled: true })).status,
      'CANCELLED',
    );
  });

  it('escapes and folds by the rules', () => {
    assert.equal(escapeIcsText('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne');
    const folded = foldIcsLine(`SUMMARY:${'ö'.repeat(60)}`);
    const parts = folded.split('\r\n');
    assert.ok(parts.length > 1);
    assert.ok(parts.slice(1).every((p) => p.startsWith(' ')));
    assert.equal(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join(''), `SUMMARY:${'ö'.repeat(60)}`);
  });
});
