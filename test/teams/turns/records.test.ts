import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { cardAction, message, USER } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { en, sv } from '../../../src/texts/index.js';
import { assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };

describe('records commands in chat: exportera and granskningslogg', () => {
  let h: TurnHarness;
  const clock = new ManualClock('2024-03-14T12:00:00Z');
  const where = (from = USER, extra: Record<string, unknown> = {}) => ({ serviceUrl: h.serviceUrl, from, ...extra });
  const audit = () =>
    readFileSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  before(async () => {
    h = await startTurnHarness({
      clock,
      env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, BACKUP_INTERVAL_HOURS: '0', RETENTION_FREE_TEXT_DAYS: '365' },
    });
    const res = await h.post(
      cardAction(
        'report.submit',
        {
          submissionId: 'sub-records-1',
          week: '2024-W11',
          activityId: 'trafikkontroller',
          count: '2',
          date: '2024-03-13',
          area: 'Centrum',
          description: 'Kontroller vid skolan',
          raiseAtNextMeeting: 'false',
          party: 'Polisen',
        },
        where(),
      ),
    );
    assert.equal(res.status, 200);
  });
  after(async () => {
    await h.stop();
  });

  it('refuses both commands to someone who is not a coordinator, and audits the refusal', async () => {
    for (const text of ['exportera', 'granskningslogg']) {
      const [reply] = await h.turn(message(text, where()));
      assertValidCard(cardsOf(reply!)[0]);
      assertShows(cardText(reply!), sv.records.forbidden, text);
      assert.doesNotMatch(cardText(reply!), /npm run|Rapport sparad/);
    }
    const refused = audit().filter((e) => e.action === 'access.refused' && e.actor.id === USER.aadObjectId);
    assert.deepEqual(
      refused.map((e) => e.detail),
      ['data.export', 'audit.read'],
    );
    assert.equal(audit().filter((e) => e.action === 'audit.exported').length, 0);
  });

  it('shows a coordinator what the export holds and how the operator gets the file', async () => {
    const [reply] = await h.turn(message('exportera', where(COORDINATOR)));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assertShows(text, sv.records.export.title);
    assertShows(text, sv.records.export.intro);
    assert.match(text, /Tranås kommun/);
    const facts = Object.fromEntries(
      content!.body.find((e: any) => e.type === 'FactSet').facts.map((f: any) => [f.title, f.value]),
    );
    assert.equal(facts['Rapporter'], '1');
    assert.equal(facts['Med fritext'], '1');
    assert.equal(facts['Fritext gallrad'], '0');
    assertShows(text, sv.records.export.retention(365));
    assert.match(text, /npm run export -- tranas-2023-2024 --format csv --out tranas-2023-2024\.csv/);
    assert.doesNotMatch(text, /Kontroller vid skolan/, 'the card never shows free text');
  });

  it('names the agreements there are when asked for an unknown one, escaping what was typed', async () => {
    const [reply] = await h.turn(message('exportera *okänd*', where(COORDINATOR)));
    assertValidCard(cardsOf(reply!)[0]);
    const text = cardText(reply!);
    assertShows(text, sv.records.export.notFound('\\*okänd\\*', ['tranas-2023-2024']));
  });

  it('shows a coordinator the newest audit entries with shortened actor ids, and audits the view', async () => {
    const [reply] = await h.turn(message('granskningslogg', where(COORDINATOR)));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assertShows(text, sv.records.audit.title);
    assertShows(
      text,
      sv.records.audit.line(sv.records.audit.actions['report.created']!, sv.records.audit.outcomes.ok!, 'aaaaaaaa…'),
    );
    assertShows(
      text,
      sv.records.audit.line(
        sv.records.audit.actions['access.refused']!,
        sv.records.audit.outcomes.refused!,
        'aaaaaaaa…',
      ),
    );
    assertShows(text, sv.records.audit.when('2024-03-14', '13:00'));
    assert.doesNotMatch(text, /aaaaaaaa-0000-4000/, 'actor ids are shortened');
    const facts = content!.body.find((e: any) => e.type === 'FactSet').facts;
    assert.ok(facts.length <= 20);
    assertShows(facts[0].value, sv.records.audit.actions['access.refused']!, 'newest first');
    const views = audit().filter((e) => e.action === 'audit.exported');
    assert.equal(views.length, 1);
    assert.equal(views[0].actor.id, COORDINATOR.aadObjectId);
  });

  it('answers in English for an English Teams client', async () => {
    const [reply] = await h.turn(message('audit log', where(COORDINATOR, { locale: 'en-US' })));
    assertValidCard(cardsOf(reply!)[0]);
    assertShows(cardText(reply!), en.records.audit.title);
    assertShows(
      cardText(reply!),
      en.records.audit.line(en.records.audit.actions['audit.exported']!, en.records.audit.outcomes.ok!, 'cccccccc…'),
    );
  });

  it('lists at most 20 entries', async () => {
    for (let i = 0; i < 22; i++) await h.turn(message('exportera', where()));
    const [reply] = await h.turn(message('granskningslogg', where(COORDINATOR)));
    assert.equal(cardsOf(reply!)[0]!.body.find((e: any) => e.type === 'FactSet').facts.length, 20);
  });
});
