import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { MAX_REPORT_ROWS } from '../../src/domain/report.js';
import { sv } from '../../src/texts/index.js';
import { cardAction, message, type Where } from '../helpers/activities.js';
import { assertValidCard, cardsOf, elementById, nonInputElements } from '../helpers/card-validate.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { inContext, SEED } from '../helpers/identifiers.js';
import { reportFilesText, storedReports } from '../helpers/stored-reports.js';
import { assertDoesNotShow, assertShows } from '../helpers/texts.js';

/**
 * A reporter's week in under a minute (issue #16), through the real bot over HTTP: the week card
 * with rows, per-row errors, atomicity, "inget att rapportera", "samma som förra veckan", the
 * remembered party, receipts that stay, and the reminder's snooze delivered once at its time.
 */

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const person = (n: number) => ({
  id: `29:week-${n}`,
  name: `Rapportör ${n}`,
  aadObjectId: `dddddddd-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
});

/** The Container of the card that holds the input `id` (a row of the week card). */
function containerOf(content: Record<string, any>, id: string): Record<string, any> | undefined {
  return content.body.find(
    (e: any) => e.type === 'Container' && JSON.stringify(e.items ?? []).includes(`"id":"${id}"`),
  );
}

const actionVerbs = (content: Record<string, any>): string[] => (content.actions ?? []).map((a: any) => a.verb);

describe('a week on one card (HTTP)', () => {
  let h: Harness;
  // Thursday 14 March 2024, 11:00 in Stockholm: week 11, two hours before the weekly reminder.
  const clock = new ManualClock('2024-03-14T10:00:00Z');
  const personal = (n: number): Where => ({
    serviceUrl: h.connector.url,
    from: person(n),
    conversationId: `a:week-personal-${n}`,
  });
  const asCoordinator: () => Where = () => ({
    serviceUrl: h.connector.url,
    from: COORDINATOR,
    conversationId: 'a:week-coord',
  });
  const postsTo = (conversationId: string) => h.connector.posted.filter((p) => p.conversationId === conversationId);
  const card = (rows: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    submissionId: randomUUID(),
    week: '2024-W11',
    date: '2024-03-13',
    party: 'Polisen',
    rows: 3,
    ...rows,
    ...extra,
  });
  const submit = (data: Record<string, unknown>, where: Where) => h.post(cardAction('report.submit', data, where));
  const dataFile = () => JSON.parse(readFileSync(h.dbPath, 'utf8'));

  before(async () => {
    h = await startHarness({ clock, env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, REMINDERS_ENABLED: 'true' } });
  });
  after(async () => {
    await h.stop();
  });

  it('"rapportera" opens one card for the week: three rows, and "Lägg till rad" adds one keeping every value typed', async () => {
    const [reply] = await h.turn(message('rapportera', personal(1)));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    for (const id of ['week', 'date', 'party', 'activityId', 'activityId_1', 'activityId_2', 'description_2'])
      assert.ok(elementById(content!, id), `input ${id}`);
    assert.equal(elementById(content!, 'activityId_3'), undefined);
    assert.deepEqual(actionVerbs(content!), [
      'report.submit',
      'report.addRow',
      'report.nothing',
      'report.sameAsLastWeek',
    ]);
    const typed = {
      submissionId: content!.actions[0].data.submissionId,
      rows: 3,
      week: '2024-W11',
      date: '2024-03-13',
      party: 'Polisen',
      activityId: 'trafikkontroller',
      count: '4',
      area: 'Centrum',
      activityId_2: 'krogkontroller',
      description_2: 'Kväll vid torget',
    };
    const more = await h.post(cardAction('report.addRow', typed, personal(1)));
    const again = more.body.value;
    assertValidCard(again);
    assert.ok(elementById(again, 'activityId_3'), 'a fourth row');
    assert.equal(elementById(again, 'activityId')!.value, 'trafikkontroller');
    assert.equal(elementById(again, 'count')!.value, 4);
    assert.equal(elementById(again, 'area')!.value, 'Centrum');
    assert.equal(elementById(again, 'activityId_2')!.value, 'krogkontroller');
    assert.equal(elementById(again, 'description_2')!.value, 'Kväll vid torget');
    assert.equal(again.actions[0].data.submissionId, typed.submissionId, 'the same card: the same submission id');
    assert.equal(again.actions[0].data.rows, 4);
  });

  it(`stops adding rows at ${MAX_REPORT_ROWS}, saying so, and the card stays under the message size limit`, async () => {
    const res = await h.post(cardAction('report.addRow', card({}, { rows: MAX_REPORT_ROWS - 1 }), personal(1)));
    const content = res.body.value;
    assertValidCard(content);
    assert.ok(elementById(content, `activityId_${MAX_REPORT_ROWS - 1}`));
    assert.ok(!actionVerbs(content).includes('report.addRow'));
    assertShows(cardText(content), sv.week.maxRows(MAX_REPORT_ROWS));
    const capped = await h.post(cardAction('report.addRow', card({}, { rows: 50 }), personal(1)));
    assert.equal(elementById(capped.body.value, `activityId_${MAX_REPORT_ROWS}`), undefined);
    assert.ok(JSON.stringify(content).length < 80_000, `${JSON.stringify(content).length} bytes`);
  });

  it('stores a week of three activities from one card, empty rows ignored, with a receipt listing each row', async () => {
    const data = card(
      {
        activityId: 'trafikkontroller',
        count: '3',
        area: 'Centrum',
        description: '3 kontroller vid infarten',
        activityId_1: 'krogkontroller',
        count_1: '2',
        area_1: 'Krogmiljön',
        activityId_2: 'ovrigt-lofte-3',
        count_2: '1',
        area_2: 'Skolor',
        area_3: 'Centrum',
      },
      { rows: 4 },
    );
    const res = await submit(data, personal(1));
    assert.equal(res.status, 200);
    const receipt = res.body.value;
    assertValidCard(receipt);
    const text = cardText(receipt);
    assertShows(text, sv.week.savedRows(3));
    assertShows(
      text,
      sv.week.receiptRow('Löfte 3 · Trafikkontroller för en säker trafikmiljö', '3 kontroller', 'Centrum'),
    );
    assertShows(text, sv.week.receiptRow('Löfte 2 · Krogkontroller', '2 kontroller', 'Krogmiljön'));
    assertShows(text, sv.week.receiptRow('Löfte 3 · Övrigt', '1', 'Skolor'));
    assert.doesNotMatch(text, /Löfte 3 · Löfte 3/);
    const stored = storedReports(h.dbPath).filter((r) => r.submissionId.startsWith(data.submissionId));
    assert.deepEqual(stored.map((r) => r.submissionId).sort(), [
      data.submissionId,
      `${data.submissionId}-r1`,
      `${data.submissionId}-r2`,
    ]);
    assert.ok(stored.every((r) => r.week === '2024-W11' && r.party === 'Polisen' && r.kind === undefined));
    // A double submit (a retried invoke, a double click) stores nothing more.
    const [a, b] = await Promise.all([submit(data, personal(1)), submit(data, personal(1))]);
    assertShows(cardText(a.body.value), sv.report.alreadySaved);
    assertShows(cardText(b.body.value), sv.report.alreadySaved);
    assert.equal(storedReports(h.dbPath).filter((r) => r.submissionId.startsWith(data.submissionId)).length, 3);
  });

  it('refuses the whole card when one row is refused: errors next to their rows, every value kept, nothing stored', async () => {
    const before = storedReports(h.dbPath).length;
    const personnummer = '19121212-1212';
    const data = card({
      activityId: 'trafikkontroller',
      count: '3',
      area: 'Centrum',
      description: 'Bra kväll',
      activityId_1: 'krogkontroller',
      count_1: '2',
      area_1: 'Krogmiljön',
      description_1: `Kontrollerade ${personnummer}`,
      activityId_2: 'lob-och-polislagen',
      count_2: 'tre',
      area_2: 'Storgatan 5',
    });
    const res = await submit(data, personal(1));
    const content = res.body.value;
    assertValidCard(content);
    assert.equal(storedReports(h.dbPath).length, before, 'all rows or none');
    const text = cardText(content);
    assertShows(text, sv.report.errorSummary);
    assertShows(text, sv.week.rowErrors([2, 3]));
    const row0 = cardText(containerOf(content, 'activityId')!);
    const row1 = cardText(containerOf(content, 'activityId_1')!);
    const row2 = cardText(containerOf(content, 'activityId_2')!);
    assertDoesNotShow(row0, sv.report.personalData([sv.report.kindNames.personnummer!]));
    assertShows(row1, sv.report.personalData([sv.report.kindNames.personnummer!]));
    assertShows(row2, sv.report.errors.count.notWholeNumber);
    assertShows(row2, sv.report.errors.area.invalid);
    // What was typed comes back; the identifier is never echoed outside its input.
    assert.equal(elementById(content, 'description_1')!.value, `Kontrollerade ${personnummer}`);
    assert.equal(elementById(content, 'description')!.value, 'Bra kväll');
    assert.equal(elementById(content, 'activityId_2')!.value, 'lob-och-polislagen');
    assert.equal(elementById(content, 'count_1')!.value, 2);
    assert.doesNotMatch(JSON.stringify(nonInputElements(content)), /19121212/);
    assert.equal(content.actions[0].data.submissionId, data.submissionId);
    const audit = readFileSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8');
    assert.doesNotMatch(audit, /19121212/);
    assert.match(audit, /r1\.description:personalData/);
  });

  it("refuses generated identifiers in any row's note end to end: nothing stored, nothing echoed outside the input", async () => {
    const samples = fc.sample(fc.tuple(inContext, fc.integer({ min: 0, max: 2 })), { seed: SEED, numRuns: 12 });
    const before = storedReports(h.dbPath).length;
    for (const [d, row] of samples) {
      const data = card({
        activityId: 'trafikkontroller',
        count: '1',
        area: 'Centrum',
        activityId_1: 'krogkontroller',
        count_1: '1',
        area_1: 'Krogmiljön',
        activityId_2: 'ovrigt-lofte-1',
        count_2: '1',
        area_2: 'Skolor',
        [row === 0 ? 'description' : `description_${row}`]: d.text,
      });
      const res = await submit(data, personal(1));
      const content = res.body.value;
      assertShows(cardText(content), sv.report.errorSummary, d.text);
      assert.equal(elementById(content, row === 0 ? 'description' : `description_${row}`)!.value, d.text);
      assert.ok(!JSON.stringify(nonInputElements(content)).includes(d.plain), d.text);
    }
    assert.equal(storedReports(h.dbPath).length, before);
    for (const [d] of samples) assert.ok(!reportFilesText(h.dbPath).includes(d.text));
  });

  it('answers a card with no filled row clearly, keeping the card, and stores nothing', async () => {
    const before = storedReports(h.dbPath).length;
    const res = await submit(card({ area: 'Centrum' }), personal(1));
    assertValidCard(res.body.value);
    assertShows(cardText(res.body.value), sv.week.empty);
    assert.equal(storedReports(h.dbPath).length, before);
  });

  it('reads naturally on a one-row receipt under Övrigt', async () => {
    const res = await submit(card({ activityId: 'ovrigt-lofte-3', count: '0', area: 'Hela kommunen' }), personal(1));
    const text = cardText(res.body.value);
    assertShows(text, sv.report.saved);
    assertShows(text, 'Löfte 3 · Övrigt');
    assert.doesNotMatch(text, /Löfte 3 · Löfte 3/);
  });

  it("remembers the person's party after the first report and pre-selects it", async () => {
    const [first] = await h.turn(message('rapportera', personal(2)));
    assert.equal(elementById(cardsOf(first!)[0]!, 'party')!.value, undefined, 'nothing configured for this person');
    await submit(
      card({ activityId: 'langning-kampanjer', count: '1', area: 'Skolor' }, { party: 'Kommunen' }),
      personal(2),
    );
    const record = dataFile().reporters.find((r: any) => r.aadObjectId === person(2).aadObjectId);
    assert.equal(record.lastParty, 'Kommunen');
    assert.equal(record.active, false, 'remembering a party registers nobody for reminders');
    assert.equal(record.partyOnly, true);
    const [next] = await h.turn(message('rapportera', personal(2)));
    assert.equal(elementById(cardsOf(next!)[0]!, 'party')!.value, 'Kommunen');
  });

  it('"Samma som förra veckan" starts the card from last week\'s rows, editable', async () => {
    await submit(
      card(
        {
          activityId: 'trafikkontroller',
          count: '5',
          area: 'Resecentrum',
          description: 'Hastighet',
          activityId_1: 'krogkontroller',
          count_1: '1',
          area_1: 'Krogmiljön',
        },
        { week: '2024-W10', date: '2024-03-08' },
      ),
      personal(3),
    );
    const res = await h.post(cardAction('report.sameAsLastWeek', { week: '2024-W11' }, personal(3)));
    const content = res.body.value;
    assertValidCard(content);
    assertShows(cardText(content), sv.week.sameFilled(10));
    assert.equal(elementById(content, 'week')!.value, '2024-W11');
    assert.equal(elementById(content, 'activityId')!.value, 'trafikkontroller');
    assert.equal(elementById(content, 'count')!.value, 5);
    assert.equal(elementById(content, 'area')!.value, 'Resecentrum');
    assert.equal(elementById(content, 'description')!.value, 'Hastighet');
    assert.equal(elementById(content, 'activityId_1')!.value, 'krogkontroller');
    assert.equal(elementById(content, 'activityId_2')!.value, undefined);
    assert.equal(elementById(content, 'party')!.value, 'Polisen');
    // Sent as it is, it is this week's report.
    const data = { ...content.actions[0].data };
    for (const id of [
      'week',
      'date',
      'party',
      'activityId',
      'count',
      'area',
      'description',
      'activityId_1',
      'count_1',
      'area_1',
    ])
      data[id] = String(elementById(content, id)!.value);
    const saved = await submit(data, personal(3));
    assertShows(cardText(saved.body.value), sv.week.savedRows(2));
    assert.equal(
      storedReports(h.dbPath).filter((r) => r.reporterId === person(3).aadObjectId && r.week === '2024-W11').length,
      2,
    );
    // Nobody's rows to start from: said so, the card empty.
    const none = await h.post(cardAction('report.sameAsLastWeek', { week: '2024-W11' }, personal(9)));
    assertShows(cardText(none.body.value), sv.week.sameNone(10));
  });

  it('"Ny rapport" posts a new card and leaves the receipt in place (personal chat)', async () => {
    const saved = await submit(card({ activityId: 'trafikkontroller', count: '1', area: 'Centrum' }), personal(1));
    const newButton = saved.body.value.actions.find((a: any) => a.verb === 'report.open');
    assert.ok(Array.isArray(newButton.data.receipt) && newButton.data.receipt.length === 1);
    const before = postsTo('a:week-personal-1').length;
    const beforeAll = h.connector.posted.length;
    const press = await h.post(cardAction('report.open', newButton.data, personal(1)));
    // The invoke's answer (what replaces the pressed card) is the receipt again …
    assertShows(cardText(press.body.value), sv.report.saved);
    assert.equal(cardText(press.body.value), cardText(saved.body.value));
    // … and the new card is a new message.
    await h.connector.waitFor(beforeAll + 1);
    const posted = postsTo('a:week-personal-1').slice(before);
    assert.equal(posted.length, 1);
    const [fresh] = cardsOf(posted[0]!.body);
    assertValidCard(fresh);
    assert.ok(elementById(fresh!, 'activityId_2'), 'a week card');
    assert.notEqual(fresh!.actions[0].data.submissionId, saved.body.value.actions[0]?.data?.submissionId);
  });

  describe('inget att rapportera, and the reminder with its snooze', () => {
    before(async () => {
      await h.turn(message('anmäl mig som rapportör för Kommunen', personal(4)));
      for (const n of [5, 6, 7, 8]) await h.turn(message('anmäl mig som rapportör för Polisen', personal(n)));
      h.connector.clear();
    });

    it('stores "inget att rapportera" as such, never counted, and shows it to coordinators', async () => {
      const res = await h.post(
        cardAction('report.nothing', { submissionId: randomUUID(), week: '2024-W11' }, personal(4)),
      );
      assertValidCard(res.body.value);
      assertShows(cardText(res.body.value), sv.week.nothingSaved(11, 2024));
      const mine = storedReports(h.dbPath).filter((r) => r.reporterId === person(4).aadObjectId);
      assert.equal(mine.length, 1);
      assert.equal(mine[0].kind, 'nothingToReport');
      assert.equal(mine[0].party, 'Kommunen', 'the registered party');
      assert.equal(mine[0].count, 0);
      // Never adds to an activity: the status counts are those of the other reports.
      const [all] = await h.turn(message('alla rapporter', asCoordinator()));
      assertShows(cardText(all!), sv.week.nothingLine);
      const [rate] = await h.turn(message('rapporteringsgrad', asCoordinator()));
      // Kommunen, week 11: rapportör 2 (one report) and rapportör 4 (inget att rapportera), 1 of 1 registered.
      assertShows(cardText(rate!), sv.statusAdmin.rateValue(2, 1) + sv.statusAdmin.rateShare(1, 1));
    });

    it('counts "inget att rapportera" as reported for the weekly reminder', async () => {
      clock.set('2024-03-14T12:00:30Z'); // 13:00:30 in Stockholm
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(postsTo('a:week-personal-4').length, 0, 'rapportör 4 said inget att rapportera');
      for (const n of [5, 6, 7, 8]) assert.equal(postsTo(`a:week-personal-${n}`).length, 1, `rapportör ${n} reminded`);
      const [content] = cardsOf(postsTo('a:week-personal-5')[0]!.body);
      assertValidCard(content);
      assert.deepEqual(actionVerbs(content!), [
        'report.open',
        'report.nothing',
        'report.sameAsLastWeek',
        'reminder.snooze',
        'reminder.snooze',
      ]);
      assertShows(cardText(content!), sv.week.snoozeTomorrow);
      assertShows(cardText(content!), sv.week.snooze15);
      assert.ok(content!.actions.every((a: any) => a.data.week === '2024-W11'));
    });

    it('delivers a snoozed reminder once at its new time, through restarts, and drops it for someone who reported meanwhile', async () => {
      const snooze = (n: number, option: string) =>
        h.post(cardAction('reminder.snooze', { week: '2024-W11', snooze: option }, personal(n)));
      clock.set('2024-03-14T12:05:00Z'); // 13:05 in Stockholm
      const five = await snooze(5, 'at15');
      assertShows(cardText(five.body.value), sv.week.snoozed('2024-03-14', '15:00', true, false));
      const six = await snooze(6, 'at15');
      assertShows(cardText(six.body.value), sv.week.snoozed('2024-03-14', '15:00', true, false));
      // Rapportör 6 reports before 15:00: their snooze is dropped at send time.
      await submit(card({ activityId: 'trafikkontroller', count: '1', area: 'Centrum' }), personal(6));
      h.connector.clear();
      clock.set('2024-03-14T13:59:00Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(h.connector.posted.length, 0, 'not before 15:00');
      clock.set('2024-03-14T14:00:30Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(postsTo('a:week-personal-5').length, 1, 'the snoozed reminder, once');
      assertShows(postsTo('a:week-personal-5')[0]!.body.text, sv.reminders.weeklyPersonal(11));
      assert.equal(postsTo('a:week-personal-6').length, 0, 'reported meanwhile');
      await h.restart();
      clock.set('2024-03-14T14:30:00Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(postsTo('a:week-personal-5').length, 1, 'not again after a restart');
      assert.equal(postsTo('a:week-personal-6').length, 0);
      const [overview] = await h.turn(message('påminnelser', asCoordinator()));
      assertShows(cardText(overview!), sv.reminders.kinds.snooze!);
    });

    it('moves "kl. 15" to tomorrow when it is already past 15, and "i morgon" to 09:00 the next day, each sent once', async () => {
      clock.set('2024-03-14T14:30:00Z'); // 15:30 in Stockholm
      const late = await h.post(cardAction('reminder.snooze', { week: '2024-W11', snooze: 'at15' }, personal(7)));
      const lateText = cardText(late.body.value);
      assertShows(lateText, sv.week.snoozedLate);
      assertShows(lateText, sv.week.snoozed('2024-03-15', '15:00', false, true));
      const tomorrow = await h.post(
        cardAction('reminder.snooze', { week: '2024-W11', snooze: 'tomorrow' }, personal(8)),
      );
      assertShows(cardText(tomorrow.body.value), sv.week.snoozed('2024-03-15', '09:00', false, true));
      h.connector.clear();
      clock.set('2024-03-15T07:59:00Z'); // 08:59 on Friday
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(h.connector.posted.length, 0);
      clock.set('2024-03-15T08:00:30Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(postsTo('a:week-personal-8').length, 1);
      assert.equal(postsTo('a:week-personal-7').length, 0);
      clock.set('2024-03-15T14:00:30Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(postsTo('a:week-personal-7').length, 1);
      assert.equal(postsTo('a:week-personal-8').length, 1);
    });

    it('answers a snooze after reporting, and one by someone not registered, without storing a reminder', async () => {
      const done = await h.post(cardAction('reminder.snooze', { week: '2024-W11', snooze: 'at15' }, personal(6)));
      assertShows(cardText(done.body.value), sv.week.snoozeAlreadyReported(11));
      const stranger = await h.post(cardAction('reminder.snooze', { week: '2024-W11', snooze: 'at15' }, personal(9)));
      assertShows(cardText(stranger.body.value), sv.week.snoozeNotRegistered);
      const records = dataFile().reporters;
      assert.equal(
        records.find((r: any) => r.aadObjectId === person(6).aadObjectId).snooze.at,
        '2024-03-14T14:00:00.000Z',
      );
      assert.equal(
        records.find((r: any) => r.aadObjectId === person(9).aadObjectId),
        undefined,
      );
    });
  });
});
