/**
 * Another municipality's agreement, with other activities, areas and units: questions are parsed and
 * answered from its data alone, without code changes.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import { QuestionService, type Answer } from '../../src/app/questions.js';
import { StatusService } from '../../src/app/status.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { isoWeekOfLocalDate } from '../../src/domain/calendar.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { DEFAULT_THRESHOLDS } from '../../src/domain/status.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { answerCard } from '../../src/teams/cards/answer-card.js';
import { sv } from '../../src/texts/index.js';

const TODAY = '2025-06-12';
const AGREEMENT = AgreementSchema.parse({
  id: 'exempelby-2025-2026',
  municipality: 'Exempelby kommun',
  policeArea: 'Lokalpolisområde Exempel',
  periodStart: '2025-01-01',
  periodEnd: '2026-12-31',
  pledges: [
    { number: 1, wording: 'Öka tryggheten i bostadsområdena.', keywords: ['trygghet'] },
    { number: 2, wording: 'Minska skadegörelsen.', keywords: ['skadegörelse', 'klotter'] },
  ],
  activities: [
    {
      id: 'trygghetsvandringar',
      pledgeNumber: 1,
      owner: 'Båda',
      wording: 'Trygghetsvandringar i bostadsområden',
      unit: 'vandringar',
      unitSingular: 'vandring',
      target: { kind: 'perYear', count: 20 },
    },
    {
      id: 'klottersanering',
      pledgeNumber: 2,
      owner: 'Kommunen',
      wording: 'Sanering av klotter inom ett dygn',
      unit: 'saneringar',
      unitSingular: 'sanering',
      target: { kind: 'none' },
    },
  ],
});
const AREAS = ['Torget', 'Stationen', 'Norra bostadsområdet'];

const rep = (
  n: number,
  activityId: string,
  date: string,
  area: string,
  party: 'Polisen' | 'Kommunen',
  count: number,
): WeeklyReport => ({
  id: `x${n}`,
  submissionId: `x${n}`,
  agreementId: AGREEMENT.id,
  reporterId: `u${n % 3}`,
  createdAt: `${date}T10:00:00Z`,
  updatedAt: `${date}T10:00:00Z`,
  history: [],
  week: isoWeekOfLocalDate(date),
  activityId,
  pledgeNumber: activityId === 'klottersanering' ? 2 : 1,
  count,
  date,
  area,
  description: '',
  raiseAtNextMeeting: false,
  party,
});
const REPORTS = [
  rep(1, 'trygghetsvandringar', '2025-03-04', 'Torget', 'Polisen', 1),
  rep(2, 'trygghetsvandringar', '2025-03-05', 'Norra bostadsområdet', 'Kommunen', 2),
  rep(3, 'trygghetsvandringar', '2025-05-20', 'Stationen', 'Polisen', 1),
  rep(4, 'klottersanering', '2025-03-06', 'Stationen', 'Kommunen', 4),
  rep(5, 'klottersanering', '2025-06-02', 'Torget', 'Kommunen', 3),
];

describe('questions on another municipality’s agreement (no code changes)', () => {
  let q: QuestionService;
  const ask = async (text: string): Promise<Answer> => q.answer(await q.parse(text), { id: 'x', isCoordinator: false });

  before(async () => {
    const store = new MemoryStore();
    const clock = new ManualClock(`${TODAY}T10:00:00Z`);
    await store.agreements.addIfAbsent(AGREEMENT);
    for (const r of REPORTS) await store.reports.add(r);
    const agreements = new AgreementService(store, clock);
    q = new QuestionService(store, new StatusService(store, agreements, clock, DEFAULT_THRESHOLDS), clock, AREAS);
  });

  it('counts its own activity in its own area, with its own unit in the singular', async () => {
    const a = await ask('hur många trygghetsvandringar på torget i år?');
    if (a.kind !== 'count') return assert.fail(a.kind);
    assert.equal(a.total, 1);
    assert.match(JSON.stringify(answerCard(sv, a)), /Trygghetsvandringar i bostadsområden · år 2025 · Torget/);
    assert.match(JSON.stringify(answerCard(sv, a)), /\*\*1 vandring\*\*/);
  });

  it('a month, a party and a two-word area of its own', async () => {
    const a = await ask('vandringar i mars kommunen norra bostadsområdet');
    if (a.kind !== 'count') return assert.fail(a.kind);
    assert.equal(a.total, 2);
    const s = await ask('vad gjorde kommunen i mars');
    if (s.kind !== 'summary') return assert.fail(s.kind);
    assert.equal(s.total, 6);
  });

  it('goal progress against its own target; Tranås words and areas are not understood here', async () => {
    const g = await ask('har vi nått målet för trygghetsvandringarna?');
    if (g.kind !== 'goal') return assert.fail(g.kind);
    assert.equal(g.goals[0]!.count, 4);
    assert.equal(g.goals[0]!.target, 20);
    assert.deepEqual(await ask('hur många trafikkontroller i resecentrum'), {
      kind: 'unknown',
      notUnderstood: ['trafikkontroller', 'resecentrum'],
    });
  });
});
