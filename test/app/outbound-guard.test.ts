import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import { QuestionService } from '../../src/app/questions.js';
import { StatusService } from '../../src/app/status.js';
import { screenDigest, screenMessage, screenReports } from '../../src/domain/outbound-guard.js';
import { containsPersonalData } from '../../src/domain/privacy.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { TeamsReminderRenderer } from '../../src/teams/reminder-messages.js';
import { sv } from '../../src/texts/index.js';
import { USER } from '../helpers/activities.js';
import { cardText } from '../helpers/harness.js';
import { anyDisguised, SEED } from '../helpers/identifiers.js';
import { runs } from '../helpers/runs.js';
import { storedReport } from '../helpers/report-builder.js';

const ORDINARY = 'Trafikkontroll kl. 22.30 på väg 32, 45 fordon';
const LEFT_OUT = /utelämnades eftersom texten inte klarade integritetskontrollen/;

const report = (extra: Partial<WeeklyReport>): WeeklyReport => storedReport({ description: ORDINARY, ...extra });

/** A store holding what an earlier, weaker guard let in (written past today's input checks). */
async function setup(stored: string[]) {
  const store = new MemoryStore();
  const clock = new ManualClock('2024-03-14T10:00:00Z');
  const agreements = new AgreementService(store, clock);
  await agreements.seedDefaults();
  const status = new StatusService(store, agreements, clock, { riskBelow: 0.8, behindBelow: 0.5 });
  for (const description of stored) await store.reports.add(report({ description }));
  return { store, clock, agreements, status };
}

describe('checked again on the way out', () => {
  const disguised = fc.sample(anyDisguised, { seed: SEED, numRuns: runs(40, 10) }).map((d) => `Notering ${d.text}`);

  it('leaves out every stored report whose text fails the guard, and counts them', () => {
    const reports = [
      ...disguised.map((description) => report({ description })),
      report({}),
      report({ description: 'Person född 121212', count: 1212 }),
    ];
    const screened = screenReports(reports);
    assert.equal(screened.kept.length, 1);
    assert.equal(screened.kept[0]!.description, ORDINARY);
    assert.equal(screened.leftOut, disguised.length + 1);
  });

  it('the digest: leaves out the failing place, agenda, activities and reports, counts what it left out', () => {
    const activities = [
      { id: 'a', wording: 'Trafikkontroller', unit: 'kontroller' },
      { id: 'b', wording: 'Kontroll av 811218-9876', unit: 'kontroller' },
    ];
    const out = screenDigest({
      meeting: { id: 'm', place: 'Stadshuset', agenda: disguised[0]! },
      raised: [
        report({ activityId: 'a' }),
        report({ activityId: 'a', description: disguised[1]! }),
        report({ activityId: 'b' }),
      ],
      behind: [{ activityId: 'a' }, { activityId: 'b' }],
      activities,
    });
    assert.deepEqual(out.meeting, { id: 'm', place: 'Stadshuset' });
    assert.deepEqual(
      out.raised.map((r) => r.description),
      [ORDINARY],
    );
    assert.deepEqual(out.behind, [{ activityId: 'a' }]);
    assert.equal(out.leftOut, 1 + 2 + 1);
  });

  it('the digest card says how many were left out, never which or what', () => {
    const renderer = new TeamsReminderRenderer(sv, undefined as never);
    const view = { agreement: { activities: [] }, status: { pledges: [] } } as never;
    const base = {
      meeting: {
        id: 'm',
        agreementId: 'x',
        kind: 'EST-möte',
        date: '2024-03-20',
        time: '13:00',
        createdBy: 'x',
        createdAt: '',
        updatedAt: '',
        revision: 1,
      } as const,
      view,
      since: '2024-03-01',
      reportsSince: 3,
      attention: { activities: [], pledges: [] },
      raised: [],
      raisedMore: 0,
      notReported: [],
    };
    const shown = cardText({ attachments: [{ content: renderer.meetingDigest({ ...base, leftOut: 2 }).card }] });
    assert.match(shown, /2 uppgifter utelämnades eftersom texten inte klarade integritetskontrollen/);
    assert.doesNotMatch(
      cardText({ attachments: [{ content: renderer.meetingDigest({ ...base, leftOut: 0 }).card }] }),
      LEFT_OUT,
    );
  });

  it('the tertial summary leaves out an activity whose wording fails, and says so', async () => {
    const { store, status } = await setup([]);
    const agreement = structuredClone((await store.agreements.list())[0]!);
    agreement.activities[0]!.wording = `Kontroller ${disguised[3]}`;
    await store.agreements.save(agreement);
    const view = (await status.current())!;
    const text = cardText({
      attachments: [
        { content: new TeamsReminderRenderer(sv, undefined as never).tertialSummary(view, '2024-T1').card },
      ],
    });
    assert.ok(!containsPersonalData(text));
    assert.match(text, /1 uppgift utelämnades/);
    assert.match(text, new RegExp(agreement.activities[1]!.wording.slice(0, 20)));
  });

  it('the weekly channel post mentions a reporter by party when the name Teams gave fails', () => {
    const renderer = new TeamsReminderRenderer(sv, undefined as never);
    const message = renderer.weeklyChannel(
      [
        { aadObjectId: 'a', party: 'Polisen', name: disguised[4]!, registeredAt: '', active: true },
        { aadObjectId: 'b', party: 'Kommunen', name: 'Rapportör Två', registeredAt: '', active: true },
      ],
      '2024-W11',
    );
    assert.ok(!containsPersonalData(JSON.stringify(message)));
    assert.deepEqual(
      message.mentions!.map((m) => m.name),
      ['Polisen', 'Rapportör Två'],
    );
  });

  it('the last gate before sending: a card rendered before an upgrade loses the failing elements, not the rest', () => {
    const card = {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'Inför EST-möte' },
        { type: 'TextBlock', text: disguised[7]! },
        {
          type: 'FactSet',
          facts: [
            { title: 'Löfte 1', value: 'I fas' },
            { title: 'Löfte 2', value: disguised[8]! },
          ],
        },
      ],
      actions: [{ type: 'Action.Execute', title: 'Visa status', verb: 'status.show' }],
    };
    const { message, leftOut } = screenMessage({ text: `Påminnelse ${disguised[9]}`, card });
    assert.equal(leftOut, 3);
    assert.equal(message.text, undefined);
    assert.ok(!containsPersonalData(JSON.stringify(message)));
    assert.deepEqual(message.card, {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'Inför EST-möte' },
        { type: 'FactSet', facts: [{ title: 'Löfte 1', value: 'I fas' }] },
      ],
      actions: [{ type: 'Action.Execute', title: 'Visa status', verb: 'status.show' }],
    });
    assert.equal(card.body.length, 3, 'the original is not changed');
    const clean = {
      text: 'Påminnelse om veckorapporten för vecka 11: <at>Rapportör 4</at>',
      card: { body: [{ type: 'TextBlock', text: ORDINARY }] },
    };
    assert.deepEqual(screenMessage(clean), { message: clean, leftOut: 0 });
  });

  it('an answer quoting recent reports leaves out those that fail and says how many', async () => {
    const { store, clock, status } = await setup([disguised[5]!, disguised[6]!]);
    await store.reports.add(report({}));
    const questions = new QuestionService(store, status, clock, ['Centrum']);
    const answer = await questions.answer(await questions.parse('vad har gjorts i Centrum'), {
      id: USER.aadObjectId,
      isCoordinator: false,
    });
    assert.equal(answer.kind, 'recent');
    if (answer.kind !== 'recent') return;
    assert.deepEqual(
      answer.reports.map((r) => r.description),
      [ORDINARY],
    );
    assert.equal(answer.leftOut, 2);
  });
});
