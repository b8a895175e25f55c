import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { cardAction, message, USER } from '../../helpers/activities.js';
import { assertValidCard, cardsOf, elementById, nonInputElements } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { sv } from '../../../src/texts/index.js';
import { assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';
import { storedReports } from '../../helpers/stored-reports.js';

const OTHER = { id: '29:user-2', name: 'Rapportör Två', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002' };
const COORDINATOR = { id: '29:coord', name: 'Kommunpolis', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };

const valid = (extra: Record<string, unknown> = {}) => ({
  submissionId: `sub-${Math.random().toString(36).slice(2, 12)}`,
  week: '2024-W11',
  activityId: 'trafikkontroller',
  count: '3',
  date: '2024-03-13',
  area: 'Centrum',
  description: '3 trafikkontroller vid infarten, 120 fordon kontrollerade',
  ageUnder18: '',
  age18to21: '',
  ageOver21: '',
  raiseAtNextMeeting: 'true',
  party: 'Polisen',
  ...extra,
});

describe('weekly reports (turns)', () => {
  let h: TurnHarness;
  const clock = new ManualClock('2024-03-14T10:00:00Z'); // Thursday, week 11 2024
  const where = (from = USER) => ({ serviceUrl: h.serviceUrl, from });

  before(async () => {
    h = await startTurnHarness({
      clock,
      env: {
        COORDINATOR_IDS: COORDINATOR.aadObjectId,
        PARTY_BY_PERSON: `${OTHER.aadObjectId}=Kommunen`,
        PARTY_BY_TENANT: '11111111-1111-4111-8111-111111111111=Polisen',
      },
    });
  });
  after(async () => {
    await h.stop();
  });

  it('opens a valid report card for this ISO week on "rapportera"', async () => {
    const [reply] = await h.turn(message('rapportera', where()));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assertShows(text, sv.report.title);
    assertShows(text, sv.report.weekChoice(11, 2024, '11 mars', '17 mars'));
    assert.match(text, /Löfte 3 · Trafikkontroller för en säker trafikmiljö \(antal kontroller\)/);
    assertShows(text, sv.report.otherChoice(1));
    assertShows(text, sv.privacyNote);
    const week = elementById(content!, 'week')!;
    assert.equal(week.value, '2024-W11');
    assert.deepEqual(
      week.choices.map((c: any) => c.value),
      ['2024-W11', '2024-W10', '2024-W09', '2024-W08', '2024-W07'],
    );
    const submit = content!.actions[0];
    assert.equal(submit.type, 'Action.Execute');
    assert.equal(submit.verb, 'report.submit');
    assert.match(submit.data.submissionId, /^[0-9a-f-]{36}$/);
  });

  it('pre-selects the party by person, else by tenant', async () => {
    const [mine] = await h.turn(message('rapportera', where()));
    assert.equal(elementById(cardsOf(mine!)[0]!, 'party')!.value, 'Polisen');
    const [other] = await h.turn(message('rapportera', where(OTHER)));
    assert.equal(elementById(cardsOf(other!)[0]!, 'party')!.value, 'Kommunen');
  });

  it('accepts "rapport", "veckorapport" and "report" too', async () => {
    for (const t of ['rapport', 'Veckorapport', 'report']) {
      const [reply] = await h.turn(message(t, where()));
      assertShows(cardText(reply!), sv.report.title, t);
    }
  });

  it('stores a valid submission and answers with a receipt', async () => {
    const data = valid();
    const res = await h.post(cardAction('report.submit', data, where()));
    assert.equal(res.status, 200);
    assertValidCard(res.body.value);
    const text = cardText(res.body.value);
    assertShows(text, sv.report.saved);
    assertShows(text, sv.report.editButton);
    assertShows(text, sv.report.newButton);
    const stored = storedReports(h.dbPath).filter((r) => r.submissionId === data.submissionId);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].count, 3);
    assert.equal(stored[0].reporterId, USER.aadObjectId);
    assert.equal(stored[0].week, '2024-W11');
    assert.equal(stored[0].raiseAtNextMeeting, true);
  });

  it('returns the card with errors next to the fields and the typed values, storing nothing', async () => {
    const before = storedReports(h.dbPath).length;
    const data = valid({ count: 'tre', date: '2024-03-20', area: 'Storgatan 5', description: 'Kontroll vid skolan' });
    const res = await h.post(cardAction('report.submit', data, where()));
    const content = res.body.value;
    assertValidCard(content);
    const text = cardText(content);
    assertShows(text, sv.report.errorSummary);
    assertShows(text, sv.report.errors.count.notWholeNumber);
    assertShows(text, sv.report.errors.date.futureDate);
    assertShows(text, sv.report.errors.area.invalid);
    assert.equal(elementById(content, 'description')!.value, 'Kontroll vid skolan');
    assert.equal(content.actions[0].data.submissionId, data.submissionId);
    assert.equal(storedReports(h.dbPath).length, before);
  });

  it('refuses a personnummer without echoing it, keeping the text on the card', async () => {
    const before = storedReports(h.dbPath).length;
    const description = 'Kontrollerade 19121212-1212 vid resecentrum';
    const res = await h.post(cardAction('report.submit', valid({ description }), where()));
    const text = cardText(res.body.value);
    assertShows(text, sv.report.personalData([sv.report.kindNames.personnummer!]));
    const errorTexts = JSON.stringify(nonInputElements(res.body.value));
    assert.doesNotMatch(errorTexts, /19121212/);
    assert.equal(elementById(res.body.value, 'description')!.value, description);
    assert.equal(storedReports(h.dbPath).length, before);
    const audit = readFileSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8');
    assert.doesNotMatch(audit, /19121212/);
    assert.match(audit, /description:personalData/);
  });

  it('stores a double submit (same submission id) only once', async () => {
    const data = valid();
    const [a, b] = await Promise.all([
      h.post(cardAction('report.submit', data, where())),
      h.post(cardAction('report.submit', data, where())),
    ]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(storedReports(h.dbPath).filter((r) => r.submissionId === data.submissionId).length, 1);
    const again = await h.post(cardAction('report.submit', data, where()));
    assertShows(cardText(again.body.value), sv.report.alreadySaved);
    assert.equal(storedReports(h.dbPath).filter((r) => r.submissionId === data.submissionId).length, 1);
  });

  it('edits a report and keeps the earlier version in its history', async () => {
    const data = valid({ count: '5' });
    await h.post(cardAction('report.submit', data, where()));
    const id = storedReports(h.dbPath).find((r) => r.submissionId === data.submissionId).id;
    const open = await h.post(cardAction('report.edit', { reportId: id }, where()));
    assertValidCard(open.body.value);
    assertShows(cardText(open.body.value), sv.report.editTitle);
    assert.equal(open.body.value.body.find((e: any) => e.type === 'ColumnSet').columns[0].items[0].value, 5);
    const saved = await h.post(
      cardAction(
        'report.save',
        {
          ...valid({ count: '6', area: 'Resecentrum' }),
          reportId: id,
          submissionId: open.body.value.actions[0].data.submissionId,
        },
        where(),
      ),
    );
    assertShows(cardText(saved.body.value), sv.report.updated);
    const stored = storedReports(h.dbPath).filter((r) => r.id === id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].count, 6);
    assert.equal(stored[0].history.length, 2);
    assert.equal(stored[0].history[1].action, 'edited');
    assert.deepEqual(stored[0].history[1].previous, { count: 5, area: 'Centrum' });
  });

  it('does not let another user edit or withdraw someone else’s report', async () => {
    const data = valid();
    await h.post(cardAction('report.submit', data, where()));
    const report = storedReports(h.dbPath).find((r) => r.submissionId === data.submissionId);
    const res = await h.post(
      cardAction('report.save', { ...valid({ count: '99' }), reportId: report.id }, where(OTHER)),
    );
    assertShows(cardText(res.body.value), sv.report.forbidden);
    const w = await h.post(cardAction('report.withdraw', { reportId: report.id }, where(OTHER)));
    assertShows(cardText(w.body.value), sv.report.forbidden);
    assert.equal(storedReports(h.dbPath).find((r) => r.id === report.id).count, 3);
  });

  it('lets a coordinator withdraw any report as a soft delete, from the edit card', async () => {
    const data = valid();
    await h.post(cardAction('report.submit', data, where()));
    const report = storedReports(h.dbPath).find((r) => r.submissionId === data.submissionId);
    const edit = await h.post(cardAction('report.edit', { reportId: report.id }, where(COORDINATOR)));
    assertValidCard(edit.body.value);
    const withdraw = edit.body.value.actions.find((a: any) => a.verb === 'report.withdraw');
    assert.equal(withdraw.title, 'Återkalla');
    assert.equal(withdraw.data.reportId, report.id);
    const w = await h.post(cardAction('report.withdraw', { reportId: report.id }, where(COORDINATOR)));
    assertShows(cardText(w.body.value), sv.report.withdrawn);
    const after = storedReports(h.dbPath).find((r) => r.id === report.id);
    assert.equal(after.withdrawn.by, COORDINATOR.aadObjectId);
    assert.equal(after.history.at(-1).action, 'withdrawn');
  });

  it('lists the user’s own reports with edit buttons on "mina rapporter"', async () => {
    const [reply] = await h.turn(message('mina rapporter', where()));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assertShows(text, sv.report.mine);
    assertShows(text, sv.report.mineLine(11, '3 kontroller', 'Centrum'));
    const mineCount = storedReports(h.dbPath).filter((r) => r.reporterId === USER.aadObjectId && !r.withdrawn).length;
    assert.equal((JSON.stringify(content).match(/"report\.edit"/g) ?? []).length, mineCount);
    const [other] = await h.turn(message('mina rapporter', where(OTHER)));
    assertShows(cardText(other!), sv.report.mineEmpty);
  });

  it('lets coordinators list everyone’s recent reports with edit buttons, and refuses others', async () => {
    const [reply] = await h.turn(message('alla rapporter', where(COORDINATOR)));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assertShows(text, sv.report.allTitle);
    assertShows(text, `${sv.report.mineLine(11, '3 kontroller', 'Centrum')} · Polisen`);
    const live = storedReports(h.dbPath).filter((r) => !r.withdrawn).length;
    assert.equal((JSON.stringify(content).match(/"report\.edit"/g) ?? []).length, Math.min(live, 25));
    const [refused] = await h.turn(message('alla rapporter', where(OTHER)));
    assertShows(cardText(refused!), sv.report.allForbidden);
  });

  it('refuses age bands for an activity that is not about young people, keeping the input', async () => {
    const res = await h.post(cardAction('report.submit', valid({ ageUnder18: '4' }), where()));
    assertValidCard(res.body.value);
    assertShows(cardText(res.body.value), sv.report.errors.ageBands.notYouthActivity);
    const ok = await h.post(
      cardAction('report.submit', valid({ activityId: 'riktade-insatser-narkotika', ageUnder18: '4' }), where()),
    );
    assertShows(cardText(ok.body.value), sv.report.saved);
  });

  it('files a report from a channel; the receipt is the invoke answer to the submitter', async () => {
    const data = valid();
    const res = await h.post(cardAction('report.submit', data, { ...where(), kind: 'channel' }));
    assertShows(cardText(res.body.value), sv.report.saved);
    assert.equal(storedReports(h.dbPath).filter((r) => r.submissionId === data.submissionId).length, 1);
  });

  it('keeps reports across a restart', async () => {
    const count = storedReports(h.dbPath).length;
    await h.restart();
    assert.equal((await h.bot.store.reports.list({ includeWithdrawn: true })).length, count);
  });

  it('says plainly when no agreement is in force, and stores nothing', async () => {
    clock.set('2025-02-03T10:00:00Z');
    try {
      const [reply] = await h.turn(message('rapportera', where()));
      assertShows(cardText(reply!), sv.report.noAgreement('2024-12-31'));
      const before = storedReports(h.dbPath).length;
      const res = await h.post(cardAction('report.submit', valid({ week: '2025-W06', date: '2025-02-03' }), where()));
      assertShows(cardText(res.body.value), sv.report.noAgreement('2024-12-31'));
      assert.equal(storedReports(h.dbPath).length, before);
    } finally {
      clock.set('2024-03-14T10:00:00Z');
    }
  });
});
