import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import pg from 'pg';
import { ManualClock } from '../../src/app/clock.js';
import { sv } from '../../src/texts/index.js';
import { cardAction, message, type Where } from '../helpers/activities.js';
import { assertValidCard, cardsOf } from '../helpers/card-validate.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { parseIcs } from '../helpers/ics.js';
import { adminQuery, postgresAvailable, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { assertDoesNotShow, assertShows } from '../helpers/texts.js';

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const REPORTER = { id: '29:rep-1', name: 'Rapportör 1', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };
const CHANNEL = '19:general@thread.tacv2';
const m = sv.followUp.meetings;
const p = sv.planning;

/**
 * Issue #16 items 5–7 through the real bot over HTTP (stub connector, fake clock only), on lowdb
 * and on PostgreSQL: the meeting card's field errors, the calendar invitation behind a signed link,
 * `påminnelser` (planned and sent, Swedish time), the digest of a meeting saved after its digest
 * time, decisions and follow-ups in the next digest, and the weekly summary in the channel.
 */
for (const backend of ['lowdb', 'PostgreSQL'] as const) {
  describe(`meeting follow-up through the real bot (${backend})`, () => {
    let h: Harness;
    const schema = `meet_${Date.now().toString(36)}_${backend === 'lowdb' ? 'l' : 'p'}`;
    // Thursday 14 March 2024, 11:00 in Stockholm (CET).
    const clock = new ManualClock('2024-03-14T10:00:00Z');
    const personal = (from = COORDINATOR): Where => ({
      serviceUrl: h.connector.url,
      from,
      conversationId: from === COORDINATOR ? 'a:personal-coord' : 'a:personal-1',
    });
    const inChannel = (): Where => ({
      serviceUrl: h.connector.url,
      from: COORDINATOR,
      kind: 'channel',
      conversationId: CHANNEL,
    });
    const postsTo = (id: string) => h.connector.posted.filter((x) => x.conversationId === id);
    const press = async (verb: string, data: Record<string, unknown>, where = personal()) => {
      const res = await h.post(cardAction(verb, data, where));
      assert.equal(res.status, 200);
      // The invoke response: { statusCode, type: 'application/vnd.microsoft.card.adaptive', value: card }.
      const content = res.body.value;
      assertValidCard(content);
      return content as Record<string, any>;
    };
    const say = async (text: string, where = personal()) => {
      const [reply] = await h.turn(message(text, where));
      const [content] = cardsOf(reply!);
      assertValidCard(content);
      return content!;
    };
    /** The audit trail's lines (action, outcome, detail), from the file or the table. */
    const auditLines = async (): Promise<{ action: string; outcome: string; detail?: string; objectId?: string }[]> => {
      if (backend === 'lowdb')
        return readFileSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        const { rows } = await c.query(
          `SELECT action, outcome, detail, object_id AS "objectId" FROM "${schema}".audit_log ORDER BY seq`,
        );
        return rows.map((r) => ({ ...r, detail: r.detail ?? undefined }));
      } finally {
        await c.end();
      }
    };
    /** The element right after the input `id` on a card: where the field's error stands. */
    const afterInput = (card: Record<string, any>, id: string) => {
      const i = card.body.findIndex((e: any) => e.id === id);
      return card.body[i + 1];
    };

    let m1 = '';
    let m2 = '';
    let icsUrl = '';

    before(async function () {
      let database = {};
      if (backend === 'PostgreSQL') {
        if (!(await postgresAvailable())) this.skip();
        await adminQuery(`CREATE SCHEMA ${schema}`);
        database = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
      }
      h = await startHarness({
        clock,
        env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, REMINDERS_ENABLED: 'true', ...database },
      });
      await h.turn(message('anmäl mig som rapportör för Polisen', personal(REPORTER)));
      await h.turn(message('hjälp', personal()));
      await h.turn(message('koppla kanal', inChannel()));
      await h.bot.reminders.tick();
      h.connector.clear();
    });
    after(async () => {
      await h?.stop();
      if (backend === 'PostgreSQL' && (await postgresAvailable()))
        await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });

    it('a past date comes back with the server’s message under the date, the values typed kept; no client minimum', async () => {
      const form = await say('nytt möte');
      assert.equal(form.body.find((e: any) => e.id === 'date').min, undefined);
      const meetingId = form.actions[0].data.meetingId;
      const typed = { kind: 'EST-möte', date: '2024-03-13', time: '13:00', place: 'Stadshuset', agenda: 'Läget' };
      const card = await press('meeting.create', { meetingId, ...typed });
      assert.equal(afterInput(card, 'date').text, m.errors.date!.past);
      assert.equal(afterInput(card, 'date').color, 'Attention');
      assertDoesNotShow(cardText(card), m.errors.date!.required as string);
      assert.deepEqual(Object.fromEntries(card.body.filter((e: any) => e.id).map((e: any) => [e.id, e.value])), typed);
      // Today, but the time has passed: the message stands under the time.
      const today = await press('meeting.create', { meetingId, ...typed, date: '2024-03-14', time: '09:00' });
      assert.equal(afterInput(today, 'time').text, m.errors.time!.past);
      assert.equal(afterInput(today, 'date').type, 'Input.Time');
    });

    it('a saved meeting has "Lägg till i kalendern": a fresh signed link to an .ics that parses back', async () => {
      m1 = randomUUID();
      const saved = await press('meeting.create', {
        meetingId: m1,
        kind: 'samverkansmöte',
        // After the change to summer time (31 March): 10.00 CEST is 08:00 UTC.
        date: '2024-04-03',
        time: '10:00',
        place: 'Polishuset, sal 2',
        agenda: 'Trafiken vid skolorna',
      });
      assertShows(cardText(saved), m.saved);
      const button = saved.actions.find((a: any) => a.title === p.calendar.button);
      assert.equal(button.type, 'Action.Execute');
      assert.deepEqual(button.data, { meetingId: m1 });

      const withLink = await press(button.verb, button.data);
      const open = withLink.actions.find((a: any) => a.type === 'Action.OpenUrl');
      assert.equal(open.title, p.calendar.open);
      icsUrl = open.url;
      assert.match(icsUrl, new RegExp(`^http://127\\.0\\.0\\.1:${h.bot.port}/api/downloads/`));
      assertShows(cardText(withLink), p.calendar.hint(new Date('2024-03-14T11:00:00Z')));
      const res = await fetch(icsUrl);
      assert.equal(res.status, 200, await res.clone().text());
      assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
      assert.match(res.headers.get('content-disposition') ?? '', /\.ics/);
      const ics = parseIcs(await res.text());
      assert.equal(ics.method, 'PUBLISH');
      assert.equal(ics.startTzid, 'Europe/Stockholm');
      assert.equal(ics.startLocal, '2024-04-03T10:00:00');
      assert.equal(ics.startUtc, '2024-04-03T08:00:00.000Z');
      assert.equal(ics.endUtc, '2024-04-03T09:00:00.000Z');
      assert.equal(ics.uid, `${m1}@medborgarlofte-bot`);
      assert.equal(ics.sequence, 0);
      assert.equal(ics.summary, p.calendar.summary('Samverkansmöte', 'Tranås kommun'));
      assert.equal(ics.location, 'Polishuset, sal 2');
      assert.match(ics.description, /Trafiken vid skolorna/);
      // A rapportör gets the link too (from `möten`), without the coordinators' buttons.
      const forReporter = await press(button.verb, button.data, personal(REPORTER));
      assert.ok(forReporter.actions.some((a: any) => a.type === 'Action.OpenUrl'));
      assert.ok(!forReporter.actions.some((a: any) => a.verb === 'meeting.edit' || a.verb === 'meeting.minutes'));
    });

    it('a changed meeting gives the same UID with a higher SEQUENCE and the new time', async () => {
      const changed = await press('meeting.update', {
        meetingId: m1,
        kind: 'samverkansmöte',
        date: '2024-04-03',
        time: '10:30',
        place: 'Polishuset, sal 2',
        agenda: 'Trafiken vid skolorna',
      });
      assertShows(cardText(changed), m.updated);
      // The old link makes the file fresh from the store.
      const ics = parseIcs(await (await fetch(icsUrl)).text());
      assert.equal(ics.uid, `${m1}@medborgarlofte-bot`);
      assert.equal(ics.sequence, 1);
      assert.equal(ics.startLocal, '2024-04-03T10:30:00');
    });

    it('the .ics link refuses a tampered token (403) and an expired one (410)', async () => {
      const [body, mac] = icsUrl.split('/').slice(-2) as [string, string];
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...payload, p: { meetingId: 'other' } })).toString('base64url');
      const base = icsUrl.slice(0, icsUrl.length - body.length - mac.length - 1);
      assert.equal((await fetch(`${base}${forged}/${mac}`)).status, 403);
      const longer = Buffer.from(JSON.stringify({ ...payload, e: payload.e + 86_400 })).toString('base64url');
      assert.equal((await fetch(`${base}${longer}/${mac}`)).status, 403);
      clock.advance(61 * 60_000);
      const res = await fetch(icsUrl);
      assert.equal(res.status, 410);
      assert.equal(await res.text(), sv.downloads.expired);
    });

    it('a meeting saved after its digest time gets that digest at the next tick, exactly once', async () => {
      // Wednesday 27 March 2024, 11:00 CET; a pass has just run.
      clock.set('2024-03-27T10:00:00Z');
      await h.bot.reminders.tick();
      h.connector.clear();
      m2 = randomUUID();
      // Thursday 28 March 14:00: three working days before was Monday 25 March 08:00, already past.
      const saved = await press('meeting.create', {
        meetingId: m2,
        kind: 'EST-möte',
        date: '2024-03-28',
        time: '14:00',
      });
      assertShows(cardText(saved), m.saved);
      clock.advance(60_000);
      await h.bot.reminders.tick();
      const digests = postsTo(CHANNEL);
      assert.equal(digests.length, 1, 'one digest at the next tick');
      assertShows(cardText(cardsOf(digests[0]!.body)[0]!), sv.reminders.digestTitle('EST-möte'));
      clock.advance(60_000);
      await h.bot.reminders.tick();
      await h.restart();
      // The start's own pass first (a tick() during it would share that pass and its instant).
      await h.bot.reminders.idle();
      await h.bot.reminders.tick();
      assert.equal(postsTo(CHANNEL).length, 1, 'not again: not at the next tick, not after a restart');
    });

    it('påminnelser shows what is planned in the next 14 days and what was sent, in Swedish time across the DST change', async () => {
      const card = await say('påminnelser');
      const text = cardText(card);
      assertShows(text, p.planned.scope('Tranås kommun'));
      assertShows(text, p.planned.plannedHeading(clock.now(), new Date(clock.now().getTime() + 14 * 86_400_000)));
      // Weekly reminders: Thursday 28 March 13.00 CET and Thursday 4 April 13.00 CEST (11:00 UTC).
      assert.equal(p.planned.at(new Date('2024-04-04T11:00:00Z')), 'torsdag 4 april kl. 13.00');
      assert.equal(p.planned.at(new Date('2024-03-28T12:00:00Z')), 'torsdag 28 mars kl. 13.00');
      for (const line of [
        p.planned.at(new Date('2024-03-28T12:00:00Z')),
        p.planned.weekly('2024-W13', 1),
        p.planned.at(new Date('2024-04-04T11:00:00Z')),
        p.planned.weekly('2024-W14', 1),
        // The morning digests: M2 tomorrow 07.30 CET, M1 on 3 April 07.30 CEST.
        p.planned.at(new Date('2024-03-28T06:30:00Z')),
        p.planned.digest('EST-möte', '2024-03-28', '14:00'),
        p.planned.at(new Date('2024-04-03T05:30:00Z')),
        p.planned.digest('Samverkansmöte', '2024-04-03', '10:30'),
        // The weekly summary: Easter Monday 1 April moves it to Tuesday 2 April 08.00 CEST.
        p.planned.at(new Date('2024-04-02T06:00:00Z')),
        p.planned.weeklySummary('2024-W13'),
        p.planned.sentHeading,
      ])
        assertShows(text, line);
      assertDoesNotShow(text, 'UTC');
      // In time order.
      assert.ok(text.indexOf('torsdag 28 mars kl. 07.30') < text.indexOf('torsdag 28 mars kl. 13.00'));
      // What was sent: the late digest, in Swedish time.
      assertShows(text, `${sv.reminders.kinds.meetingDigest} · ${p.planned.at(new Date('2024-03-25T07:00:00Z'))}`);
      // Rapportörer do not see it.
      assertShows(cardText(await say('påminnelser', personal(REPORTER))), sv.reminders.forbidden);
    });

    it('decisions and follow-ups after a meeting: guarded, audited, stored, and shown in the next digest', async () => {
      // Thursday 28 March 16:00 CET: M2 has been held.
      clock.set('2024-03-28T15:00:00Z');
      const form = await say('protokoll');
      assertShows(cardText(form), p.minutes.title);
      assertShows(cardText(form), `${m.kindNames['EST-möte']} · ${m.when('2024-03-28', '14:00')}`);
      const save = form.actions.find((a: any) => a.verb === 'meeting.minutes.save');
      assert.deepEqual(save.data, { meetingId: m2 });

      const typed = { decisions: 'Kontakta 19121212-1212 om krogen', followUps: 'Kommunen bjuder in till krogträff' };
      const refused = await press(save.verb, { ...save.data, ...typed });
      assertShows(cardText(refused), p.minutes.errorSummary);
      assert.match(afterInput(refused, 'decisions').text, /personnummer/);
      assert.deepEqual(
        Object.fromEntries(refused.body.filter((e: any) => e.id).map((e: any) => [e.id, e.value])),
        typed,
      );

      const decisions = 'Krogkontroller varannan fredag\nNy skylt vid resecentrum';
      const followUps = 'Kommunen bjuder in till krogträff';
      const ok = await press(save.verb, { ...save.data, decisions, followUps });
      assertShows(cardText(ok), p.minutes.saved);
      const lines = (await auditLines()).filter((l) => l.action === 'meeting.minutes');
      assert.deepEqual(
        lines.map((l) => [l.outcome, l.objectId, l.detail]),
        [
          ['refused', m2, 'decisions:personalData'],
          ['ok', m2, 'decisions,followUps'],
        ],
      );
      assert.ok(!JSON.stringify(await auditLines()).includes('19121212'), 'no identifier in the audit trail');
      assert.ok(!JSON.stringify(await auditLines()).includes('Krogkontroller'), 'no free text in the audit trail');

      // A rapportör cannot record them.
      assertShows(
        cardText(await press(save.verb, { ...save.data, decisions: 'x' }, personal(REPORTER))),
        p.minutes.forbidden,
      );

      // The next meeting's digest (M1, the morning of 3 April, 07:30 CEST) shows them; after a restart, from the store.
      await h.restart();
      // The start's own pass first (a tick() during it would share that pass and its instant).
      await h.bot.reminders.idle();
      clock.set('2024-04-03T05:30:30Z');
      h.connector.clear();
      await h.bot.reminders.tick();
      const digest = postsTo(CHANNEL)
        .map((x) => cardText(cardsOf(x.body)[0] ?? {}))
        .find((t) => t.includes(sv.reminders.digestTitle('samverkansmöte')));
      assert.ok(digest, 'the digest before M1 was posted');
      assertShows(digest, p.minutes.digestTitle(m.kindNames['EST-möte'], '2024-03-28'));
      assertShows(digest, '• Krogkontroller varannan fredag');
      assertShows(digest, '• Ny skylt vid resecentrum');
      assertShows(digest, p.minutes.digestFollowUps);
      assertShows(digest, '• Kommunen bjuder in till krogträff');
    });

    it('the weekly summary: once per week in the channel with a status button, and not when a coordinator turns it off', async () => {
      // A report in week 14 (1–7 April).
      const res = await h.post(
        cardAction(
          'report.submit',
          {
            submissionId: randomUUID(),
            week: '2024-W14',
            activityId: 'trafikkontroller',
            count: '3',
            date: '2024-04-03',
            area: 'Centrum',
            description: '',
            party: 'Polisen',
          },
          personal(REPORTER),
        ),
      );
      assertShows(cardText(res.body.value), sv.report.saved);
      // Monday 8 April 08:00:30 CEST.
      clock.set('2024-04-08T06:00:30Z');
      h.connector.clear();
      await h.bot.reminders.tick();
      const summaries = () =>
        postsTo(CHANNEL).filter((x) => cardText(cardsOf(x.body)[0] ?? {}).includes(p.weeklySummary.title('2024-W14')));
      assert.equal(summaries().length, 1);
      const [content] = cardsOf(summaries()[0]!.body);
      assertValidCard(content);
      const text = cardText(content!);
      assertShows(text, p.weeklySummary.scope('Tranås kommun', '2024-04-01', '2024-04-07'));
      assertShows(text, p.weeklySummary.byParty([{ party: 'Polisen', count: 3 }]));
      assertShows(text, p.weeklySummary.areas(['Centrum']));
      assert.deepEqual(
        content!.actions.map((a: any) => [a.title, a.verb]),
        [[p.weeklySummary.statusButton, 'status.show']],
      );
      clock.advance(60_000);
      await h.bot.reminders.tick();
      await h.restart();
      // The start's own pass first (a tick() during it would share that pass and its instant).
      await h.bot.reminders.idle();
      await h.bot.reminders.tick();
      assert.equal(summaries().length, 1, 'once per week');

      // Rapportörer cannot turn it off; a coordinator can, audited.
      assertShows(cardText(await say('veckosammanfattning av', personal(REPORTER))), p.weeklySummary.forbidden);
      assertShows(cardText(await say('veckosammanfattning av')), p.weeklySummary.off);
      assert.ok(
        (await auditLines()).some(
          (l) => l.action === 'channel.weeklySummary' && l.detail === 'off' && l.outcome === 'ok',
        ),
      );
      const plan = cardText(await say('påminnelser'));
      assertShows(plan, p.planned.weeklySummaryOff);
      assertDoesNotShow(plan, p.planned.weeklySummary('2024-W15'));
      // Monday 15 April 08:00:30: no summary.
      clock.set('2024-04-15T06:00:30Z');
      h.connector.clear();
      await h.bot.reminders.tick();
      assert.deepEqual(
        postsTo(CHANNEL).filter((x) => cardText(cardsOf(x.body)[0] ?? {}).includes(p.weeklySummary.title('2024-W15'))),
        [],
      );
      // On again with the card's button: the next Monday's summary is planned.
      const on = await press('channel.weeklySummary', { on: true });
      assertShows(cardText(on), p.weeklySummary.on);
      assertShows(cardText(await say('påminnelser')), p.planned.weeklySummary('2024-W16'));
      assert.deepEqual(
        (await auditLines()).filter((l) => l.action === 'channel.weeklySummary').map((l) => l.detail),
        ['off', 'on'],
      );
    });
  });
}
