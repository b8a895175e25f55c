/**
 * One deployment, two municipalities at once (issue #14 item 4): Tranås 2023–2024 and an invented
 * Eksjö 2024–2025, each with its own channel, coordinator, rapportörer, meetings and reminders, in
 * ONE bot. Every figure a conversation sees is its own municipality's.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import { sv } from '../../src/texts/index.js';
import { cardAction, message, type Where } from '../helpers/activities.js';
import { cardsOf } from '../helpers/card-validate.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { adminQuery, postgresAvailable, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { assertDoesNotShow, assertShows } from '../helpers/texts.js';
import { EKSJO_2024_2025 } from '../fixtures/eksjo-2024-2025.js';

const person = (tag: string, n: number, name: string) => ({
  id: `29:${tag}`,
  name,
  aadObjectId: `dddddddd-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
});
const OPERATOR = person('operator', 1, 'Drift Dora');
const READER = person('reader', 2, 'Region Rut');
const KARIN = person('karin', 3, 'Kommunpolis Karin');
const ERIK = person('erik', 4, 'Samordnare Erik');
const REP_T1 = person('rep-t1', 11, 'Rapportör T1');
const REP_T2 = person('rep-t2', 12, 'Rapportör T2');
const REP_T3 = person('rep-t3', 13, 'Rapportör T3');
const REP_E1 = person('rep-e1', 21, 'Rapportör E1');
const REP_E2 = person('rep-e2', 22, 'Rapportör E2');

const CH_T = '19:tranas-general@thread.tacv2';
const CH_E = '19:eksjo-general@thread.tacv2';
const TEAM = { [CH_T]: '19:team-tranas@thread.tacv2', [CH_E]: '19:team-eksjo@thread.tacv2' };

// The same suite on the files and on PostgreSQL (a schema of its own, dropped after).
for (const backend of ['lowdb', 'PostgreSQL'] as const)
  describe(`one deployment, two municipalities (channels, coordinators, reporters, reminders) on ${backend}`, () => {
    let h: Harness;
    const schema = `multi_${process.pid}_${Date.now().toString(36)}`;
    // Thursday 14 March 2024, 12:59 in Stockholm: one minute before the weekly reminder.
    const clock = new ManualClock('2024-03-14T11:59:00Z');
    const personal = (from: typeof OPERATOR): Where => ({
      serviceUrl: h.connector.url,
      from,
      conversationId: `a:personal-${from.id.slice(3)}`,
    });
    const inChannel = (channel: string, from: typeof OPERATOR): Where => ({
      serviceUrl: h.connector.url,
      from,
      kind: 'channel',
      conversationId: channel,
    });
    /** Each channel in its own team (the activity builders put every channel in one). */
    const inTeam = <T extends { channelData: Record<string, any>; conversation: { id: string } }>(a: T): T => {
      const team = TEAM[a.conversation.id as keyof typeof TEAM];
      if (team) a.channelData.team = { id: team };
      return a;
    };
    const say = async (text: string, where: Where) => {
      const [reply] = await h.turn(inTeam(message(text, where)));
      const cards = cardsOf(reply!);
      return cards.length > 0 ? cards.map(cardText).join('\n') : String(reply!.text);
    };
    const press = async (verb: string, data: Record<string, unknown>, where: Where) => {
      const res = await h.post(inTeam(cardAction(verb, data, where)));
      return cardText(res.body.value);
    };
    const report = (activityId: string, count: number, area: string, party: string, where: Where) =>
      press(
        'report.submit',
        {
          submissionId: randomUUID(),
          week: '2024-W11',
          activityId,
          count: String(count),
          date: '2024-03-12',
          area,
          description: '',
          party,
          raiseAtNextMeeting: 'true',
        },
        where,
      );
    const postsTo = (conversationId: string) => h.connector.posted.filter((p) => p.conversationId === conversationId);
    const mention = (tag: string, from: typeof OPERATOR) => {
      h.connector.members.set(from.id, { id: from.id, name: from.name, aadObjectId: from.aadObjectId });
      return { type: 'mention', text: `<at>${from.name}</at>`, mentioned: { id: from.id, name: from.name }, tag };
    };
    const addCoordinator = async (channel: string, who: typeof OPERATOR) => {
      const a = inTeam(message(`lägg till samordnare <at>${who.name}</at>`, inChannel(channel, OPERATOR)));
      (a as Record<string, unknown>).entities = [mention('x', who)];
      const [reply] = await h.turn(a);
      return cardText(cardsOf(reply!)[0]!);
    };

    before(async function () {
      let database = {};
      if (backend === 'PostgreSQL') {
        if (!(await postgresAvailable())) this.skip();
        await adminQuery(`CREATE SCHEMA ${schema}`);
        database = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
      }
      h = await startHarness({
        clock,
        env: {
          COORDINATOR_IDS: OPERATOR.aadObjectId,
          READER_IDS: READER.aadObjectId,
          REMINDERS_ENABLED: 'true',
          ...database,
        },
      });
      // The CLI's import path, on the running bot's store: the second municipality.
      const imported = await new AgreementService(h.bot.store, clock).importAgreement(
        { id: 'cli:test', isCoordinator: true },
        EKSJO_2024_2025,
      );
      assert.equal(imported.kind, 'added');
    });
    after(async () => {
      await h?.stop();
      if (backend === 'PostgreSQL' && (await postgresAvailable()))
        await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });

    it('an unbound channel gets no municipality’s figures, only how to connect it', async () => {
      const shown = await say('status', inChannel(CH_T, REP_T1));
      assertShows(shown, sv.scopes.notConnected.channel);
      assertDoesNotShow(shown, 'Tranås');
      assertDoesNotShow(shown, 'Eksjö');
      const personalShown = await say('hur många trafikkontroller 2024?', personal(REP_E1));
      assertShows(personalShown, sv.scopes.notConnected.personal);
    });

    it('the operator links each channel to its municipality, choosing on a card; adds each coordinator there', async () => {
      for (const [channel, scope, name] of [
        [CH_T, 'tranas-kommun', 'Tranås kommun'],
        [CH_E, 'eksjo-kommun', 'Eksjö kommun'],
      ] as const) {
        const choice = await say('koppla kanal', inChannel(channel, OPERATOR));
        assertShows(choice, sv.scopes.chooseTitle);
        assertShows(await press('scope.choose', { scope }, inChannel(channel, OPERATOR)), sv.scopes.boundChannel(name));
        assertShows(await say('koppla kanal', inChannel(channel, OPERATOR)), sv.followUp.channel.linked);
      }
      assertShows(await addCoordinator(CH_T, KARIN), sv.access.coordinators.added(KARIN.name));
      assertShows(await addCoordinator(CH_E, ERIK), sv.access.coordinators.added(ERIK.name));
    });

    it('reporters register in their channel; a personal chat then belongs to their municipality', async () => {
      for (const who of [REP_T1, REP_T2, REP_T3])
        await say('anmäl mig som rapportör för Polisen', inChannel(CH_T, who));
      for (const who of [REP_E1, REP_E2]) await say('anmäl mig som rapportör för Kommunen', inChannel(CH_E, who));
      // T3 and E1 also have a personal chat with the bot (1:1 reminders).
      assertShows(await say('status', personal(REP_T3)), 'Tranås kommun');
      const eksjo = await say('status', personal(REP_E1));
      assertShows(eksjo, 'Eksjö kommun');
      assertDoesNotShow(eksjo, 'Tranås');
    });

    it('reports go to each municipality’s own agreement; another’s activity is refused', async () => {
      assertShows(await report('trafikkontroller', 3, 'Centrum', 'Polisen', personal(REP_T1)), sv.report.saved);
      assertShows(await report('trygghetsvandringar', 2, 'Stationen', 'Kommunen', personal(REP_E1)), sv.report.saved);
      // Eksjö has no traffic controls: a crafted card is refused, nothing stored.
      assertDoesNotShow(await report('trafikkontroller', 5, 'Centrum', 'Kommunen', personal(REP_E1)), sv.report.saved);
      const stored = await h.bot.store.reports.list();
      assert.deepEqual(stored.map((r) => `${r.agreementId}:${r.activityId}:${r.count}`).sort(), [
        'eksjo-2024-2025:trygghetsvandringar:2',
        'tranas-2023-2024:trafikkontroller:3',
      ]);
    });

    it('status and a count question in each channel show only that municipality’s figures', async () => {
      const tranas = await say('status', inChannel(CH_T, REP_T2));
      assertShows(tranas, 'Tranås kommun');
      assertDoesNotShow(tranas, 'Eksjö');
      assertDoesNotShow(tranas, 'vandringar');
      const eksjo = await say('status', inChannel(CH_E, REP_E2));
      assertShows(eksjo, 'Eksjö kommun');
      assertDoesNotShow(eksjo, 'Tranås');
      assertDoesNotShow(eksjo, 'kontroller');

      const countT = await say('hur många trafikkontroller 2024?', inChannel(CH_T, REP_T2));
      assert.match(countT, /\b3 kontroller\b/);
      const countE = await say('hur många trygghetsvandringar 2024?', inChannel(CH_E, REP_E2));
      assert.match(countE, /\b2 vandringar\b/);
      // Tranås's activity is not Eksjö's: no figure of it in Eksjö's channel.
      const crossed = await say('hur många trafikkontroller 2024?', inChannel(CH_E, REP_E2));
      assert.doesNotMatch(crossed, /\b3 kontroller\b/);
    });

    it('a coordinator of one municipality cannot act in the other', async () => {
      assertShows(await say('koppla kanal', inChannel(CH_E, KARIN)), sv.followUp.channel.forbidden);
      // Karin's personal chat is Tranås's: everyone's reports there are Tranås's only.
      const all = await say('alla rapporter', personal(KARIN));
      assertDoesNotShow(all, 'vandringar');
      const eksjoReport = (await h.bot.store.reports.list()).find((r) => r.agreementId === 'eksjo-2024-2025')!;
      await press('report.withdraw', { reportId: eksjoReport.id }, personal(KARIN));
      assert.equal((await h.bot.store.reports.get(eksjoReport.id))!.withdrawn, undefined, 'not withdrawn');
      // Her lists of rapportörer and who has not reported name Tranås's people only.
      const listed = await say('rapportörer', personal(KARIN));
      assertShows(listed, REP_T2.name);
      assertDoesNotShow(listed, 'Rapportör E');
      const missing = await say('vilka har inte rapporterat?', personal(KARIN));
      assertShows(missing, REP_T2.name);
      assertDoesNotShow(missing, 'Rapportör E');
      // Nor roll Eksjö's agreement over to a new period with a crafted card.
      assertShows(
        await press('agreement.rollover.save', { fromAgreementId: EKSJO_2024_2025.id }, personal(KARIN)),
        sv.rollover.notFound,
      );
      assert.equal((await h.bot.store.agreements.list()).length, 2);
      // Erik is not Tranås's coordinator in Tranås's channel either.
      assertShows(await addCoordinator(CH_T, ERIK), sv.access.coordinators.added(ERIK.name));
      const erik = await h.bot.store.coordinators.get(ERIK.aadObjectId);
      assert.deepEqual([...erik!.scopes!].sort(), ['eksjo-kommun', 'tranas-kommun'], 'added for Tranås too');
      // Removed in Tranås's channel: Erik stays Eksjö's coordinator.
      const remove = inTeam(message(`ta bort samordnare <at>${ERIK.name}</at>`, inChannel(CH_T, OPERATOR)));
      (remove as Record<string, unknown>).entities = [mention('y', ERIK)];
      const [removed] = await h.turn(remove);
      assertShows(cardText(cardsOf(removed!)[0]!), sv.access.coordinators.removed(ERIK.name));
      assert.deepEqual((await h.bot.store.coordinators.get(ERIK.aadObjectId))!.scopes, ['eksjo-kommun']);
      assertShows(await say('koppla kanal', inChannel(CH_T, ERIK)), sv.followUp.channel.forbidden);
    });

    it('meetings per municipality, created by each coordinator in a personal chat', async () => {
      const meeting = (date: string, who: typeof OPERATOR) =>
        press(
          'meeting.create',
          {
            meetingId: randomUUID(),
            kind: 'samverkansmöte',
            date,
            time: '13:00',
            place: 'Stadshuset',
            agenda: 'Läget',
          },
          personal(who),
        );
      assertShows(await meeting('2024-03-20', KARIN), sv.followUp.meetings.saved);
      assertShows(await meeting('2024-03-21', ERIK), sv.followUp.meetings.saved);
      const stored = await h.bot.store.meetings.list();
      assert.deepEqual(stored.map((m) => `${m.agreementId}:${m.date}`).sort(), [
        'eksjo-2024-2025:2024-03-21',
        'tranas-2023-2024:2024-03-20',
      ]);
    });

    it('one reminder pass sends each municipality’s weekly reminders to its own reporters, once', async () => {
      await h.bot.reminders.idle();
      h.connector.clear();
      clock.set('2024-03-14T12:00:30Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      // T3 has a personal chat and has not reported: 1:1. E1 reported: nothing. T1 reported: nothing.
      assert.equal(postsTo('a:personal-rep-t3').length, 1);
      assertShows(postsTo('a:personal-rep-t3')[0]!.body.text, sv.reminders.weeklyPersonal(11));
      for (const p of ['a:personal-rep-e1', 'a:personal-rep-t1']) assert.equal(postsTo(p).length, 0, p);
      // T2 only in Tranås's channel, E2 only in Eksjö's: one post each, mentioning their own.
      const [t, ...moreT] = postsTo(CH_T);
      const [e, ...moreE] = postsTo(CH_E);
      assert.equal(moreT.length + moreE.length, 0, 'one channel post each');
      assert.match(t!.body.text, /<at>Rapportör T2<\/at>/);
      assert.doesNotMatch(t!.body.text, /Rapportör E/);
      assert.match(e!.body.text, /<at>Rapportör E2<\/at>/);
      assert.doesNotMatch(e!.body.text, /Rapportör T/);
    });

    it('each digest goes to its own channel exactly once, with its own figures', async () => {
      // Monday 08:00 is also the weekly summary's time (its own test: meeting-follow-up.test.ts);
      // this one counts the digests.
      const summaryOfW11 = sv.planning.weeklySummary.title('2024-W11');
      const postsTo = (conversationId: string) =>
        h.connector.posted.filter(
          (p) => p.conversationId === conversationId && !cardText(cardsOf(p.body)[0] ?? {}).includes(summaryOfW11),
        );
      h.connector.clear();
      // Three working days before Wednesday 20 March: Friday 15 March 08:00 (Tranås's meeting).
      clock.set('2024-03-15T07:00:30Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(postsTo(CH_T).length, 1);
      assert.equal(postsTo(CH_E).length, 0);
      const tranas = cardText(cardsOf(postsTo(CH_T)[0]!.body)[0]!);
      assertShows(tranas, sv.reminders.digestTitle('samverkansmöte'));
      assert.match(tranas, /3 kontroller/);
      assertDoesNotShow(tranas, 'vandringar');
      // Thursday 21 March: Monday 18 March 08:00 (Eksjö's meeting).
      clock.set('2024-03-18T07:00:30Z');
      await h.bot.reminders.tick();
      await h.bot.reminders.tick();
      await h.bot.reminders.idle();
      assert.equal(postsTo(CH_T).length, 1, 'no second Tranås digest');
      assert.equal(postsTo(CH_E).length, 1);
      const eksjo = cardText(cardsOf(postsTo(CH_E)[0]!.body)[0]!);
      assert.match(eksjo, /2 vandringar/);
      assertDoesNotShow(eksjo, 'kontroller');
      // Each municipality's summary of week 11 in its own channel, once.
      const summaries = (ch: string) =>
        h.connector.posted.filter(
          (p) => p.conversationId === ch && cardText(cardsOf(p.body)[0] ?? {}).includes(summaryOfW11),
        );
      assert.equal(summaries(CH_T).length, 1);
      assert.equal(summaries(CH_E).length, 1);
      assertShows(cardText(cardsOf(summaries(CH_E)[0]!.body)[0]!), 'Eksjö kommun');
      assertDoesNotShow(cardText(cardsOf(summaries(CH_E)[0]!.body)[0]!), 'kontroller');
    });

    it('the regional reader chooses a municipality in a personal chat and reads both, read-only', async () => {
      const where = personal(READER);
      const choice = await say('status', where);
      assertShows(choice, sv.scopes.chooseTitle);
      assertShows(choice, 'Eksjö kommun');
      assertShows(choice, 'Tranås kommun');
      assertShows(await press('scope.choose', { scope: 'eksjo-kommun' }, where), sv.scopes.bound('Eksjö kommun'));
      assertShows(await say('status', where), 'Eksjö kommun');
      assert.match(await say('hur många trygghetsvandringar 2024?', where), /\b2 vandringar\b/);
      assertShows(await say('byt kommun', where), sv.scopes.chooseTitle);
      assertShows(await press('scope.choose', { scope: 'tranas-kommun' }, where), sv.scopes.bound('Tranås kommun'));
      assert.match(await say('hur många trafikkontroller 2024?', where), /\b3 kontroller\b/);
      // Read-only: no coordinator's tools.
      assertDoesNotShow(await say('alla rapporter', where), 'kontroller');
      // A rapportör cannot pick a municipality they are not in.
      assertShows(await press('scope.choose', { scope: 'eksjo-kommun' }, personal(REP_T3)), sv.scopes.forbidden);
    });
  });
