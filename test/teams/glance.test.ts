import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { StatusView } from '../../src/app/status.js';
import { parseAgreement, type Agreement, type AgreementInput } from '../../src/domain/agreement.js';
import { flaggedForMeeting } from '../../src/domain/reminders.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { atRiskOrBehind, computeStatus } from '../../src/domain/status.js';
import { reportOn } from '../helpers/report-builder.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { myReportsCard, receiptCard } from '../../src/teams/cards/report-card.js';
import { statusCard } from '../../src/teams/cards/status-card.js';
import { TeamsReminderRenderer } from '../../src/teams/reminder-messages.js';
import { textsFor } from '../../src/texts/index.js';
import { assertValidCard } from '../helpers/card-validate.js';
import { cardText } from '../helpers/harness.js';

const sv = textsFor('sv');

function agreementOf(input: AgreementInput): Agreement {
  const r = parseAgreement(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
const tranas = agreementOf(TRANAS_2023_2024);

const report = reportOn;

function viewOf(agreement: Agreement, reports: WeeklyReport[], today: string): StatusView {
  return { agreement, inForce: true, today, status: computeStatus(agreement, reports, today) };
}

/** Six löften with long wordings, two or three activities each, half with targets. */
function sixPledges(): Agreement {
  const long =
    'Öka den upplevda tryggheten och minska brottsligheten i de centrala delarna av kommunen genom gemensamma insatser';
  const pledges = [1, 2, 3, 4, 5, 6].map((n) => ({ number: n, wording: `${long} (${n})` }));
  const activities = pledges.flatMap((p) =>
    [1, 2, 3].slice(0, p.number % 2 === 0 ? 3 : 2).map((i) => ({
      id: `a-${p.number}-${i}`,
      pledgeNumber: p.number,
      owner: 'Båda' as const,
      wording: `Riktade kontroller och trygghetsvandringar i centrum, aktivitet ${i} under löfte ${p.number}`,
      unit: 'trygghetsvandringar',
      unitSingular: 'trygghetsvandring',
      target: p.number % 2 === 0 ? ({ kind: 'none' } as const) : ({ kind: 'perYear', count: 1200 } as const),
    })),
  );
  return agreementOf({
    id: 'sex-loften',
    municipality: 'Storstadens kommun',
    policeArea: 'Lokalpolisområde Storstaden Centrum',
    periodStart: '2024-01-01',
    periodEnd: '2026-12-31',
    pledges,
    activities,
  });
}

/**
 * "Fits one screen", measured: the rendered text lines when a TextBlock wraps at 48 characters (a
 * phone held upright), or at 30 in a löfte's line, whose right side holds its button. A phone's
 * Teams chat shows about 650 pt between the header and the compose box; less two card buttons
 * (~80 pt) and the row separators, that is 26 lines of 20 pt.
 */
function estimatedLines(card: any): number {
  let lines = 0;
  const walk = (node: any, width: number): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, width));
    if (!node || typeof node !== 'object') return;
    if (node.type === 'TextBlock') lines += Math.max(1, Math.ceil(String(node.text).length / width));
    if (node.type === 'FactSet') lines += node.facts.length;
    if (node.type === 'ColumnSet')
      return node.columns.forEach((c: any) => walk(c.items, c.width === 'stretch' ? 30 : width));
    if (node.type?.startsWith?.('Chart.')) lines += 10;
    for (const [k, v] of Object.entries(node)) if (k !== 'fallback') walk(v, width);
  };
  walk(card.body, 48);
  return lines;
}

describe('figures people read at a glance', () => {
  describe('the compact status card', () => {
    it('fits one screen for six löften with long wordings: one line per löfte, a button each, at most 26 text lines on a phone', () => {
      const agreement = sixPledges();
      const reports = [
        report(agreement, '2024-03-04', 1234, 'a-1-1'),
        report(agreement, '2024-03-04', 1234, 'a-1-2'),
        report(agreement, '2024-03-04', 1, 'a-2-1'),
        report(agreement, '2024-03-05', 2, 'a-2-2'),
      ];
      const view = viewOf(agreement, reports, '2024-11-14');
      const compact = statusCard(sv, view) as any;
      assertValidCard(compact);
      const json = JSON.stringify(compact);
      assert.ok(!json.includes('Chart.') && !json.includes('FactSet'), 'no chart and no fact list');
      assert.ok(!json.includes('Öka den upplevda tryggheten'), 'no löfte wording');
      const rows = compact.body.filter((e: any) => e.type === 'ColumnSet');
      assert.equal(rows.length, 6);
      for (const [i, row] of rows.entries()) {
        const [text] = row.columns[0].items;
        assert.equal(row.columns[0].items.length, 1, 'one line per löfte');
        assert.match(text.text, new RegExp(`^\\*\\*Löfte ${i + 1}\\*\\* · `));
        assert.ok(text.text.length <= 100, `löfte line too long: ${text.text}`);
        const [button] = row.columns[1].items[0].actions;
        assert.deepEqual(
          [button.title, button.verb, button.data],
          ['Visa detaljer', 'status.pledge', { pledgeNumber: i + 1 }],
        );
      }
      assert.deepEqual(
        compact.actions.map((a: any) => a.title),
        ['Rapportera', 'Visa allt'],
      );
      assert.ok(compact.body.length <= 2 + 6, `${compact.body.length} top-level elements`);
      const lines = estimatedLines(compact);
      assert.ok(lines <= 26, `${lines} lines`);
      // Swedish number forms (a no-break space between thousands) and the unit's number in the lines.
      assert.match(cardText(compact), /1\u00a0234 av 1\u00a0200 trygghetsvandringar i år \(1\u00a0045,9 väntat\)/);
      assert.match(
        cardText(compact),
        /Löfte 2\*\* · ⚪ Inget mål · 1 trygghetsvandring, 2 trygghetsvandringar i år · \+ 1 aktivitet till/,
      );
      // The long view of the same is what does not fit.
      const full = statusCard(sv, view, undefined, true);
      assertValidCard(full);
      assert.ok(estimatedLines(full) > 3 * lines, `long view ${estimatedLines(full)} lines`);
    });

    it('names the activity that sets the löfte’s level, with its figure against the target', () => {
      const view = viewOf(
        tranas,
        [
          report(tranas, '2024-06-03', 10, 'riktade-insatser-narkotika'),
          report(tranas, '2024-06-03', 1, 'trafikkontroller'),
        ],
        '2024-11-14',
      );
      const text = cardText(statusCard(sv, view));
      assert.match(text, /\*\*Löfte 1\*\* · 🟡 Risk · 10 av 15 insatser i år \(13,1 väntat\)/);
      assert.match(text, /\*\*Löfte 3\*\* · 🔴 Efter · 1 av 30 kontroller i år \(26,1 väntat\)/);
      assert.match(text, /\*\*Löfte 2\*\* · ⚪ Inget mål · 0 ingripanden, 0 kontroller, 0 möten i år/);
    });

    it('the long view’s chart shows whole numbers only, without an axis', () => {
      const view = viewOf(tranas, [report(tranas, '2024-06-03', 10, 'riktade-insatser-narkotika')], '2024-11-14');
      const chart = (statusCard(sv, view, undefined, true).body as any[]).find((e) => e.type === 'Chart.HorizontalBar');
      assert.equal(chart.displayMode, 'AbsoluteNoAxis');
      assert.deepEqual(
        chart.data.map((d: any) => d.y),
        [10, 13, 0, 26],
      );
      assert.deepEqual(
        chart.fallback.facts.map((f: any) => f.value),
        ['10', '13', '0', '26'],
      );
    });
  });

  describe('the digest before a meeting', () => {
    const meeting = {
      id: 'm1',
      agreementId: tranas.id,
      kind: 'samverkansmöte' as const,
      date: '2024-11-20',
      time: '13:00',
      createdBy: 'k',
      createdAt: 'x',
      updatedAt: 'x',
      revision: 1,
    };
    const renderer = new TeamsReminderRenderer(sv, undefined as never);

    it('names a löfte at Risk with its figures (the line the issue quotes), newest flagged first, cut with "och N till", no names', () => {
      const flagged = Array.from({ length: 11 }, (_, i) =>
        report(tranas, `2024-10-${String(i + 10).padStart(2, '0')}`, i === 10 ? 1 : 2, 'trafikkontroller', {
          raiseAtNextMeeting: true,
          area: `Område ${i}`,
        }),
      );
      const reports = [
        report(tranas, '2024-06-03', 10, 'riktade-insatser-narkotika'),
        report(tranas, '2024-06-03', 30, 'trafikkontroller'),
        ...flagged,
      ];
      const view = viewOf(tranas, reports, '2024-11-14');
      const cut = flaggedForMeeting(reports);
      const message = renderer.meetingDigest({
        meeting,
        view,
        since: '2024-10-01',
        reportsSince: 11,
        attention: atRiskOrBehind(view.status),
        raised: cut.items,
        raisedMore: cut.more,
        notReported: [{ party: 'Polisen', count: 1 }],
        leftOut: 0,
      });
      assertValidCard(message.card!);
      const text = cardText(message.card!);
      assert.match(
        text,
        /Löfte 1 · Riktade insatser för att upptäcka narkotikabrott bland unga: 🟡 Risk · 10 av 15 insatser i år \(13,1 väntat\)/,
      );
      assert.doesNotMatch(text, /Inget löfte och ingen aktivitet/);
      const dates = [...text.matchAll(/(2024-10-\d\d) · Område/g)].map((m) => m[1]);
      assert.deepEqual(dates, [
        '2024-10-20',
        '2024-10-19',
        '2024-10-18',
        '2024-10-17',
        '2024-10-16',
        '2024-10-15',
        '2024-10-14',
        '2024-10-13',
      ]);
      assert.match(text, /2024-10-20 · Område 10 · 1 kontroll · Trafikkontroller/);
      assert.match(text, /2024-10-19 · Område 9 · 2 kontroller · /);
      assert.match(text, /… och 3 till\./);
      assert.match(text, /11 rapporter sedan 1 oktober 2024\./);
      assert.match(text, /1 rapportör hos Polisen har inte rapporterat sedan förra mötet\./);
    });

    it('says nothing is behind only when nothing is at Risk or Efter', () => {
      const view = viewOf(
        tranas,
        [
          report(tranas, '2024-06-03', 15, 'riktade-insatser-narkotika'),
          report(tranas, '2024-06-03', 30, 'trafikkontroller'),
        ],
        '2024-11-14',
      );
      const message = renderer.meetingDigest({
        meeting,
        view,
        since: '2024-10-01',
        reportsSince: 1,
        attention: atRiskOrBehind(view.status),
        raised: [],
        raisedMore: 0,
        notReported: [],
        leftOut: 0,
      });
      const text = cardText(message.card!);
      assert.match(text, /Inget löfte och ingen aktivitet med mål ligger efter eller är i riskzonen\./);
      assert.match(text, /1 rapport sedan/);
      assert.doesNotMatch(text, /och \d+ till/);
    });
  });

  describe('Swedish number forms and the unit’s number wherever a count meets a unit', () => {
    it('the receipt and mina rapporter: "1 kontroll", "12 kontroller", Övrigt as a bare number', () => {
      const one = report(tranas, '2024-03-13', 1, 'trafikkontroller', {
        ageBands: { under18: 1200, from18to21: 0, over21: 3 },
      } as Partial<WeeklyReport>);
      const receipt = receiptCard(sv, tranas, one, 'saved', true);
      assertValidCard(receipt);
      assert.match(cardText(receipt), /Hur många\n1 kontroll\n/);
      assert.match(cardText(receipt), /Under 18: 1\u00a0200 · 18–21: 0 · Över 21: 3/);
      const many = report(tranas, '2024-03-13', 1500, 'krogkontroller');
      const other = report(tranas, '2024-03-13', 1, 'ovrigt-1', { pledgeNumber: 1 });
      const mine = cardText(myReportsCard(sv, [tranas], [one, many, other], new Set()));
      assert.match(mine, /v\. 11 · 1 kontroll · Centrum/);
      assert.match(mine, /v\. 11 · 1\u00a0500 kontroller · Centrum/);
      assert.match(mine, /v\. 11 · 1 · Centrum/);
    });

    it('the tertial summary, the period warning, limits and the reminder overview', () => {
      const view = viewOf(
        tranas,
        [report(tranas, '2024-04-02', 1, 'trafikkontroller'), report(tranas, '2024-04-02', 1, 'lob-och-polislagen')],
        '2024-04-30',
      );
      const summary = cardText(new TeamsReminderRenderer(sv, undefined as never).tertialSummary(view, '2024-T1').card!);
      assert.match(summary, /Trafikkontroller för en säker trafikmiljö\n1 kontroll \(väntat per tertial 10\)/);
      assert.match(summary, /LOB och polislagen\n1 ingripande\n/);
      assert.match(sv.reminders.periodWarning(1, '2024-12-31', 'Tranås kommun'), /om 1 dag\./);
      assert.match(sv.reminders.periodWarning(30, '2024-12-31', 'Tranås kommun'), /om 30 dagar\./);
      assert.equal(
        (sv.followUp.meetings.errors.agenda!.tooLong as (n: number) => string)(1000),
        'Texten får vara högst 1\u00a0000 tecken.',
      );
      assert.equal(
        sv.reminders.overviewLine(1200, 0, 1, 0, 0),
        'skickade 1\u00a0200 · överhoppade 0 · misslyckade 1 · osäkra 0',
      );
      assert.equal(
        textsFor('en').reminders.overviewLine(1200, 0, 1, 0, 2),
        'sent 1,200 · skipped 0 · failed 1 · uncertain 0 · in progress 2',
      );
    });
  });
});
