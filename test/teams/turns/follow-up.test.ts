import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { botInstalled, cardAction, message, TENANT, USER, type Where } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { sv as texts } from '../../../src/texts/index.js';
import { assertDoesNotShow, assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';

const OTHER = { id: '29:user-2', name: 'Rapportör Två', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002' };
const COORDINATOR = { id: '29:coord', name: 'Kommunpolis', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };

/** Every action in a card, including those in ActionSets, as [title, verb]. */
function actionsOf(content: any): [string, string][] {
  const out: [string, string][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, any>;
      if (o.type === 'Action.Execute') out.push([o.title, o.verb]);
      Object.values(o).forEach(walk);
    }
  };
  walk(content);
  return out;
}

describe('channel link, rapportörer and follow-up meetings (turns)', () => {
  let h: TurnHarness;
  const clock = new ManualClock('2024-03-14T10:00:00Z'); // Thursday 14 March 2024, 11:00 in Stockholm, week 11
  const where = (from: Where['from'] = USER, extra: Partial<Where> = {}): Where => ({
    serviceUrl: h.serviceUrl,
    from,
    ...extra,
  });
  const inChannel = (from: Where['from'] = COORDINATOR, conversationId?: string): Where =>
    where(from, { kind: 'channel', conversationId });
  const db = () => JSON.parse(readFileSync(h.dbPath, 'utf8'));

  /** Sends a chat message and returns the card of the reply, validated. */
  async function say(text: string, w: Where): Promise<any> {
    const [reply] = await h.turn(message(text, w));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    return content;
  }
  /** Presses a card button and returns the card of the invoke answer, validated. */
  async function press(verb: string, data: Record<string, unknown>, w: Where): Promise<any> {
    const res = await h.post(cardAction(verb, data, w));
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assertValidCard(res.body.value);
    return res.body.value;
  }

  before(async () => {
    h = await startTurnHarness({
      clock,
      env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, PARTY_BY_TENANT: `${TENANT}=Polisen` },
    });
  });
  after(async () => {
    await h.stop();
  });

  describe('koppla kanal', () => {
    it('offers a Koppla kanal button on the welcome card in a team, not in a personal chat', async () => {
      const [team] = await h.turn(botInstalled(inChannel()));
      const teamCard = cardsOf(team!)[0];
      assertValidCard(teamCard);
      assert.ok(actionsOf(teamCard).some(([title, verb]) => title === 'Koppla kanal' && verb === 'channel.link'));
      const [personal] = await h.turn(botInstalled(where(USER, { conversationId: 'a:personal-welcome' })));
      assert.ok(!actionsOf(cardsOf(personal!)[0]).some(([, verb]) => verb === 'channel.link'));
    });

    it('refuses people who are not coordinators, politely', async () => {
      const content = await say('koppla kanal', inChannel(USER));
      assert.match(cardText(content), /bara samordnare .* kan koppla kanalen/);
      assert.deepEqual(db().channelLinks, []);
    });

    it('explains in a personal chat and a group chat that it is done in the team channel', async () => {
      for (const w of [
        where(COORDINATOR),
        where(COORDINATOR, { kind: 'groupChat', conversationId: '19:group@thread.v2' }),
      ]) {
        const content = await say('koppla kanal', w);
        assertShows(cardText(content), texts.followUp.channel.notInChannel);
      }
      assert.deepEqual(db().channelLinks, []);
    });

    it('links the channel for a coordinator and shows it on the status card', async () => {
      const content = await say('Koppla kanalen', inChannel());
      assertShows(cardText(content), texts.followUp.channel.linked);
      const [link] = db().channelLinks;
      assert.equal(link.conversationId, '19:general@thread.tacv2');
      assert.equal(link.teamId, '19:team@thread.tacv2');
      assert.equal(link.tenantId, TENANT);
      assert.equal(link.linkedBy, COORDINATOR.aadObjectId);
      const status = await say('status', where());
      assertShows(cardText(status), texts.followUp.channel.statusLine(undefined, '2024-03-14'));
    });

    it('says so when the channel is linked already', async () => {
      const content = await say('koppla kanal', inChannel());
      assertShows(cardText(content), texts.followUp.channel.alreadyLinked('2024-03-14'));
    });

    it('moves the link with the welcome card button from a thread in another channel, with the channel name', async () => {
      const activity = cardAction(
        'channel.link',
        {},
        inChannel(COORDINATOR, '19:samverkan@thread.tacv2;messageid=1710410000000'),
      );
      (activity.channelData as any).channel = { id: '19:samverkan@thread.tacv2', name: 'Samverkan Tranås' };
      const res = await h.post(activity);
      assertValidCard(res.body.value);
      assert.match(cardText(res.body.value), /flyttad hit från en annan kanal/);
      const links = db().channelLinks;
      assert.equal(links.length, 1);
      assert.equal(links[0].conversationId, '19:samverkan@thread.tacv2');
      assert.equal(links[0].channelName, 'Samverkan Tranås');
      const status = await say('status', where());
      assertShows(cardText(status), texts.followUp.channel.statusLine('Samverkan Tranås', '2024-03-14'));
    });

    it('answers the button of a non-coordinator with a refusal card', async () => {
      const card = await press('channel.link', {}, inChannel(USER));
      assert.match(cardText(card), /bara samordnare/);
    });
  });

  describe('rapportörer', () => {
    it('registers from a personal chat with the party by tenant, keeping the chat and the name', async () => {
      const content = await say('anmäl mig som rapportör', where());
      assert.match(cardText(content), /Du är anmäld som rapportör för Polisen/);
      const stored = db().reporters.find((r: any) => r.aadObjectId === USER.aadObjectId);
      assert.equal(stored.party, 'Polisen');
      assert.equal(stored.name, 'Rapportör Ett');
      assert.equal(stored.personalConversationId, 'a:personal-1');
      assert.equal(stored.active, true);
      assertShows(cardText(await say('anmäl mig', where())), texts.followUp.reporters.alreadyRegistered('Polisen'));
    });

    it('asks for the party in a channel with two buttons, and registers on the choice', async () => {
      const content = await say('anmäl mig', inChannel(OTHER));
      assert.match(cardText(content), /Polisen eller Kommunen/);
      assert.deepEqual(actionsOf(content), [
        ['Polisen', 'reporter.register'],
        ['Kommunen', 'reporter.register'],
      ]);
      const done = await press('reporter.register', { party: 'Kommunen' }, inChannel(OTHER));
      assert.match(cardText(done), /anmäld som rapportör för Kommunen/);
      const stored = db().reporters.find((r: any) => r.aadObjectId === OTHER.aadObjectId);
      assert.equal(stored.party, 'Kommunen');
      assert.equal(stored.personalConversationId, undefined);
    });

    it('takes the party from "anmäl mig som rapportör för Kommunen"', async () => {
      const content = await say(
        'anmäl mig som rapportör för Kommunen',
        where(OTHER, { conversationId: 'a:personal-2' }),
      );
      assert.match(cardText(content), /för Kommunen/);
      assert.equal(
        db().reporters.find((r: any) => r.aadObjectId === OTHER.aadObjectId).personalConversationId,
        'a:personal-2',
      );
    });

    it('notes an absence: "borta till 2024-07-31", "borta till 31 juli"; explains the form and refuses the past', async () => {
      assertShows(
        cardText(await say('borta till 2024-07-31', where())),
        texts.followUp.reporters.absenceSaved('2024-07-31'),
      );
      assert.equal(db().reporters.find((r: any) => r.aadObjectId === USER.aadObjectId).absentUntil, '2024-07-31');
      assertShows(
        cardText(await say('borta till 15 april', where())),
        texts.followUp.reporters.absenceSaved('2024-04-15'),
      );
      assertShows(cardText(await say('borta till', where())), texts.followUp.reporters.absenceErrors.empty);
      assertShows(cardText(await say('borta till 2024-03-01', where())), texts.followUp.reporters.absenceErrors.past);
      assertShows(
        cardText(await say('borta till i morgon bitti', where())),
        texts.followUp.reporters.absenceErrors.format,
      );
      assert.equal(db().reporters.find((r: any) => r.aadObjectId === USER.aadObjectId).absentUntil, '2024-04-15');
    });

    it('refuses the list of reporters to others than coordinators, and shows it only in a personal chat', async () => {
      assertShows(cardText(await say('rapportörer', where())), texts.followUp.reporters.forbidden);
      assertShows(cardText(await say('rapportörer', inChannel())), texts.followUp.reporters.onlyInPersonalChat);
    });

    it('lists reporters for a coordinator with party, this week and absences, names but never AAD ids', async () => {
      const content = await say('rapportörer', where(COORDINATOR, { conversationId: 'a:personal-coord' }));
      const text = cardText(content);
      assert.match(text, /Rapportörer/);
      assert.match(text, /Rapportör Ett/);
      assert.match(text, /Rapportör Två/);
      assert.match(text, /Polisen · ⬜ Inte rapporterat v. 11 · Borta t.o.m. 15 april/);
      assert.match(text, /Kommunen · ⬜ Inte rapporterat v. 11/);
      assert.doesNotMatch(text, /aaaaaaaa-|bbbbbbbb-/);
      assert.deepEqual(
        actionsOf(content).map(([title, verb]) => `${title}:${verb}`),
        ['Ta bort:reporter.remove', 'Ta bort:reporter.remove'],
      );
    });

    it('lets a coordinator take someone off the list with Ta bort; refuses others', async () => {
      assert.match(
        cardText(await press('reporter.remove', { reporterId: OTHER.aadObjectId }, where())),
        /bara samordnare/,
      );
      const card = await press(
        'reporter.remove',
        { reporterId: OTHER.aadObjectId },
        where(COORDINATOR, { conversationId: 'a:personal-coord' }),
      );
      const text = cardText(card);
      assertShows(text, texts.followUp.reporters.removed('Rapportör Två'));
      assert.doesNotMatch(text.replace(/Rapportör Två är borttagen[^\n]*/, ''), /Rapportör Två/);
      assert.equal(db().reporters.find((r: any) => r.aadObjectId === OTHER.aadObjectId).active, false);
    });

    it('unregisters on "avanmäl mig"', async () => {
      assertShows(cardText(await say('avanmäl mig', where())), texts.followUp.reporters.unregistered);
      assert.equal(db().reporters.find((r: any) => r.aadObjectId === USER.aadObjectId).active, false);
      assertShows(cardText(await say('avanmäl mig', where())), texts.followUp.reporters.notRegistered);
    });
  });

  describe('uppföljningsmöten', () => {
    let meetingId = '';

    it('refuses "nytt möte" to people who are not coordinators', async () => {
      assert.match(cardText(await say('nytt möte', where())), /bara samordnare .* uppföljningsmöten/);
    });

    it('sends a coordinator the meeting card: kind, date, time, place or link, agenda', async () => {
      const content = await say('nytt möte', where(COORDINATOR));
      const byId = new Map(content.body.filter((e: any) => e.id).map((e: any) => [e.id, e]));
      assert.deepEqual([...byId.keys()], ['kind', 'date', 'time', 'place', 'agenda']);
      assert.deepEqual(
        (byId.get('kind') as any).choices.map((c: any) => c.value),
        ['samverkansmöte', 'EST-möte', 'SSPF', 'styrgrupp', 'tertialuppföljning', 'annat'],
      );
      assert.equal((byId.get('date') as any).type, 'Input.Date');
      // No client-side minimum: the client would answer a past date with the "required" message;
      // the server's "Datumet har redan varit" comes back under the date instead (next test).
      assert.equal((byId.get('date') as any).min, undefined);
      assert.equal((byId.get('time') as any).type, 'Input.Time');
      assert.equal((byId.get('agenda') as any).isMultiline, true);
      const [save] = content.actions;
      assert.equal(save.verb, 'meeting.create');
      assert.match(save.data.meetingId, /^[0-9a-f-]{36}$/);
      meetingId = save.data.meetingId;
    });

    it('refuses a date in the past with the error on the same card and the input kept', async () => {
      const card = await press(
        'meeting.create',
        {
          meetingId,
          kind: 'EST-möte',
          date: '2024-03-13',
          time: '13:00',
          place: 'Stadshuset',
          agenda: 'Läget i Centrum',
        },
        where(COORDINATOR),
      );
      const text = cardText(card);
      assertShows(text, texts.followUp.meetings.errorSummary);
      assertShows(text, texts.followUp.meetings.errors.date.past as string);
      const byId = new Map(card.body.filter((e: any) => e.id).map((e: any) => [e.id, e.value]));
      assert.deepEqual(Object.fromEntries(byId), {
        kind: 'EST-möte',
        date: '2024-03-13',
        time: '13:00',
        place: 'Stadshuset',
        agenda: 'Läget i Centrum',
      });
      assert.equal(card.actions[0].data.meetingId, meetingId);
      assert.deepEqual(db().meetings, []);
    });

    it('refuses personal data in the agenda without echoing it', async () => {
      const card = await press(
        'meeting.create',
        { meetingId, kind: 'EST-möte', date: '2024-03-20', time: '13:00', place: '', agenda: 'Ta upp 19121212-1212' },
        where(COORDINATOR),
      );
      assert.match(cardText(card), /ser ut som ett personnummer/);
      assert.deepEqual(db().meetings, []);
    });

    it('refuses a time that does not exist on the day summer time begins', async () => {
      const card = await press(
        'meeting.create',
        { meetingId, kind: 'annat', date: '2024-03-31', time: '02:30' },
        where(COORDINATOR),
      );
      assertShows(cardText(card), texts.followUp.meetings.errors.time.nonexistent as string);
    });

    it('saves a valid meeting and answers with a summary with Ändra and Ställ in', async () => {
      const card = await press(
        'meeting.create',
        {
          meetingId,
          kind: 'samverkansmöte',
          date: '2024-03-20',
          time: '13:00',
          place: 'Polishuset, sal 2',
          agenda: 'Trafiken vid skolorna',
        },
        where(COORDINATOR),
      );
      const text = cardText(card);
      assertShows(text, texts.followUp.meetings.saved);
      assert.match(text, /Samverkansmöte · onsdag 20 mars 2024 kl\. 13\.00/);
      assert.match(text, /Polishuset, sal 2/);
      assert.deepEqual(actionsOf(card), [
        [texts.planning.calendar.button, 'meeting.calendar'],
        ['Ändra', 'meeting.edit'],
        ['Ställ in', 'meeting.cancel'],
        ['Visa möten', 'meeting.list'],
      ]);
      const [stored] = db().meetings;
      assert.equal(stored.id, meetingId);
      assert.equal(stored.revision, 1);
      // A second press of the same card stores nothing new.
      const again = await press(
        'meeting.create',
        { meetingId, kind: 'samverkansmöte', date: '2024-03-20', time: '13:00' },
        where(COORDINATOR),
      );
      assertShows(cardText(again), texts.followUp.meetings.alreadySaved);
      assert.equal(db().meetings.length, 1);
    });

    it('opens the card prefilled on Ändra, and bumps the revision when the time changes', async () => {
      const form = await press('meeting.edit', { meetingId }, where(COORDINATOR));
      const values = Object.fromEntries(form.body.filter((e: any) => e.id).map((e: any) => [e.id, e.value]));
      assert.deepEqual(values, {
        kind: 'samverkansmöte',
        date: '2024-03-20',
        time: '13:00',
        place: 'Polishuset, sal 2',
        agenda: 'Trafiken vid skolorna',
      });
      assert.equal(form.actions[0].verb, 'meeting.update');

      const agendaOnly = await press(
        'meeting.update',
        { ...values, meetingId, agenda: 'Trafiken och krogmiljön' },
        where(COORDINATOR),
      );
      assertShows(cardText(agendaOnly), texts.followUp.meetings.updated);
      assertDoesNotShow(cardText(agendaOnly), texts.followUp.meetings.rescheduled);
      assert.equal(db().meetings[0].revision, 1);

      const moved = await press(
        'meeting.update',
        { ...values, meetingId, agenda: 'Trafiken och krogmiljön', time: '14:30' },
        where(COORDINATOR),
      );
      assertShows(cardText(moved), texts.followUp.meetings.rescheduled);
      assert.match(cardText(moved), /onsdag 20 mars 2024 kl\. 14\.30/);
      assert.equal(db().meetings[0].revision, 2);
    });

    it('refuses Ändra and Ställ in to people who are not coordinators', async () => {
      assert.match(cardText(await press('meeting.edit', { meetingId }, where())), /bara samordnare/);
      assert.match(
        cardText(
          await press('meeting.update', { meetingId, kind: 'annat', date: '2024-03-21', time: '09:00' }, where()),
        ),
        /bara samordnare/,
      );
      assert.match(cardText(await press('meeting.cancelConfirm', { meetingId }, where())), /bara samordnare/);
      assert.equal(db().meetings[0].time, '14:30');
    });

    it('lists the coming meetings in date order; buttons only for coordinators', async () => {
      await press(
        'meeting.create',
        { meetingId: 'meeting-est-0001', kind: 'EST-möte', date: '2024-03-18', time: '09:00' },
        where(COORDINATOR),
      );
      const forCoordinator = await say('möten', where(COORDINATOR));
      const text = cardText(forCoordinator);
      assert.ok(
        text.indexOf('EST-möte · måndag 18 mars 2024 kl. 09.00') <
          text.indexOf('Samverkansmöte · onsdag 20 mars 2024 kl. 14.30'),
      );
      assert.equal(actionsOf(forCoordinator).filter(([, verb]) => verb === 'meeting.edit').length, 2);
      const forReporter = await say('möten', where());
      assert.match(cardText(forReporter), /Kommande uppföljningsmöten/);
      // Rapportörer may add each meeting to their calendar, and nothing more.
      assert.deepEqual(actionsOf(forReporter), [
        [texts.planning.calendar.button, 'meeting.calendar'],
        [texts.planning.calendar.button, 'meeting.calendar'],
      ]);
    });

    it('shows the next meeting on the status card and answers "när är nästa möte?"', async () => {
      assert.match(cardText(await say('status', where())), /Nästa möte: EST-möte, måndag 18 mars 2024 kl\. 09\.00/);
      assert.match(
        cardText(await say('när är nästa möte?', where())),
        /Nästa möte: EST-möte, måndag 18 mars 2024 kl\. 09\.00/,
      );
    });

    it('asks before cancelling; a cancelled meeting is kept, marked, and gone from the list', async () => {
      const ask = await press('meeting.cancel', { meetingId: 'meeting-est-0001' }, where(COORDINATOR));
      assertShows(cardText(ask), texts.followUp.meetings.cancelQuestion);
      assert.deepEqual(
        actionsOf(ask).map(([, verb]) => verb),
        ['meeting.cancelConfirm', 'meeting.list'],
      );
      assert.equal(db().meetings.find((m: any) => m.id === 'meeting-est-0001').cancelled, undefined);

      const done = await press('meeting.cancelConfirm', { meetingId: 'meeting-est-0001' }, where(COORDINATOR));
      assert.match(cardText(done), /Mötet är inställt/);
      assert.match(cardText(done), /Inställt 14 mars 2024/);
      const stored = db().meetings.find((m: any) => m.id === 'meeting-est-0001');
      assert.deepEqual(stored.cancelled, { at: '2024-03-14T10:00:00.000Z', by: COORDINATOR.aadObjectId });
      assert.doesNotMatch(cardText(await say('möten', where())), /EST-möte/);
      assert.match(
        cardText(await press('meeting.edit', { meetingId: 'meeting-est-0001' }, where(COORDINATOR))),
        /redan inställt/,
      );
      assert.match(
        cardText(await say('status', where())),
        /Nästa möte: Samverkansmöte, onsdag 20 mars 2024 kl\. 14\.30/,
      );
    });

    it('answers in English when the Teams locale is English', async () => {
      const content = await say('meetings', where(USER, { locale: 'en-US' }));
      assert.match(cardText(content), /Coming follow-up meetings/);
      assert.match(cardText(content), /Wednesday 20 March 2024 at 14:30/);
    });

    it('writes every change to the audit trail without free text', async () => {
      const lines = readFileSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const actions = new Set(lines.map((l) => l.action));
      for (const a of [
        'channel.linked',
        'reporter.registered',
        'reporter.unregistered',
        'reporter.absence',
        'meeting.created',
        'meeting.changed',
        'meeting.cancelled',
        'access.refused',
      ])
        assert.ok(actions.has(a), a);
      const raw = lines.map((l) => JSON.stringify(l)).join('\n');
      assert.doesNotMatch(raw, /Polishuset|Trafiken|19121212/);
    });
  });
});
