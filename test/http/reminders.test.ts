import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { cardAction, message, type Where } from '../helpers/activities.js';
import { assertValidCard, cardsOf } from '../helpers/card-validate.js';
import { sv } from '../../src/texts/index.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { assertShows } from '../helpers/texts.js';

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const person = (n: number) => ({
  id: `29:rep-${n}`,
  name: `Rapportör ${n}`,
  aadObjectId: `aaaaaaaa-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
});
const CHANNEL = '19:general@thread.tacv2';

describe('reminders through the real bot (scheduler, ledger, stub connector)', () => {
  let h: Harness;
  // Thursday 14 March 2024, 12:59 in Stockholm (CET): one minute before the weekly reminder.
  const clock = new ManualClock('2024-03-14T11:59:00Z');
  const personal = (n: number): Where => ({
    serviceUrl: h.connector.url,
    from: person(n),
    conversationId: `a:personal-${n}`,
  });
  const inChannel = (from = COORDINATOR): Where => ({
    serviceUrl: h.connector.url,
    from,
    kind: 'channel',
    conversationId: CHANNEL,
  });
  const postsTo = (conversationId: string) => h.connector.posted.filter((p) => p.conversationId === conversationId);

  before(async () => {
    h = await startHarness({ clock, env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, REMINDERS_ENABLED: 'true' } });
    // Three reporters in personal chats, one reached only in the channel, and a linked channel.
    for (const n of [1, 2, 3]) await h.turn(message('anmäl mig som rapportör för Polisen', personal(n)));
    await h.turn(message('anmäl mig som rapportör för Kommunen', inChannel(person(4))));
    await h.turn(message('koppla kanal', inChannel()));
    // Reporter 1 has already reported this week.
    const res = await h.post(
      cardAction(
        'report.submit',
        {
          submissionId: randomUUID(),
          week: '2024-W11',
          activityId: 'trafikkontroller',
          count: '2',
          date: '2024-03-13',
          area: 'Centrum',
          description: '',
          party: 'Polisen',
          raiseAtNextMeeting: 'true',
        },
        personal(1),
      ),
    );
    assertShows(cardText(res.body.value), sv.report.saved);
    await h.bot.reminders.idle();
    h.connector.clear();
  });
  after(async () => {
    await h.stop();
  });

  it('sends nothing a minute before the due time', async () => {
    await h.bot.reminders.tick();
    assert.equal(h.connector.posted.length, 0);
  });

  it('reminds exactly the reporters who have not reported, 1:1 with the report card, and the others in the channel', async () => {
    clock.set('2024-03-14T12:00:30Z');
    await h.bot.reminders.tick();
    assert.equal(postsTo('a:personal-1').length, 0, 'reporter 1 has reported');
    for (const n of [2, 3]) {
      const posts = postsTo(`a:personal-${n}`);
      assert.equal(posts.length, 1, `reporter ${n} reminded once`);
      assertShows(posts[0]!.body.text, sv.reminders.weeklyPersonal(11));
      const [content] = cardsOf(posts[0]!.body);
      assertValidCard(content);
      assertShows(cardText(content!), sv.report.title);
      assert.notEqual(posts[0]!.body.type, 'typing');
    }
    const channelPosts = postsTo(CHANNEL);
    assert.equal(channelPosts.length, 1);
    const post = channelPosts[0]!.body;
    assert.match(post.text, /<at>Rapportör 4<\/at>/);
    const mention = post.entities.find((e: any) => e.type === 'mention');
    assert.equal(mention.mentioned.id, person(4).aadObjectId);
  });

  it('never sends the same reminder twice: another tick, and a restart', async () => {
    const before = h.connector.posted.length;
    await h.bot.reminders.tick();
    clock.set('2024-03-14T15:00:00Z');
    await h.bot.reminders.tick();
    await h.restart();
    await h.bot.reminders.tick();
    assert.equal(h.connector.posted.length, before);
  });

  it('posts one digest in the linked channel before a meeting, with the figures', async () => {
    const press = await h.post(
      cardAction(
        'meeting.create',
        {
          meetingId: randomUUID(),
          kind: 'samverkansmöte',
          date: '2024-03-20',
          time: '13:00',
          place: 'Polishuset',
          agenda: 'Trafiken',
        },
        { serviceUrl: h.connector.url, from: COORDINATOR, conversationId: 'a:personal-coord' },
      ),
    );
    assertShows(cardText(press.body.value), sv.followUp.meetings.saved);
    h.connector.clear();
    // Three working days before Wednesday 20 March is Friday 15 March, 08:00 CET.
    clock.set('2024-03-15T06:59:00Z');
    await h.bot.reminders.tick();
    assert.equal(postsTo(CHANNEL).length, 0);
    clock.set('2024-03-15T07:00:30Z');
    await h.bot.reminders.tick();
    await h.bot.reminders.tick();
    const digests = postsTo(CHANNEL);
    assert.equal(digests.length, 1);
    const [content] = cardsOf(digests[0]!.body);
    assertValidCard(content);
    const text = cardText(content!);
    assertShows(text, sv.reminders.digestTitle('samverkansmöte'));
    assert.match(text, /onsdag 20 mars 2024 kl\. 13\.00/);
    assertShows(text, sv.reminders.digestReportsSince(1, '2023-01-01'));
    assertShows(text, sv.reminders.digestRaised);
    assert.match(text, /2024-03-13 · Centrum · 2 kontroller/);
    // The "behind" part names what is at Risk or Efter, with its figures, by the status card's rule.
    assert.match(
      text,
      /Löfte 3 · Trafikkontroller för en säker trafikmiljö: 🔴 Efter · 2 av 30 kontroller i år \(6,1 väntat\)/,
    );
    // Who has not reported: counts per party in the channel, never names.
    assert.match(text, /2 rapportörer hos Polisen och 1 hos Kommunen har inte rapporterat sedan förra mötet/);
    assertShows(text, sv.reminders.digestWhoHint);
    for (const n of [1, 2, 3, 4])
      assert.ok(
        !JSON.stringify(digests[0]!.body).includes(`Rapportör ${n}`),
        `no name of rapportör ${n} in the channel`,
      );
  });

  it('answers a coordinator who has not reported this week, from the registered rapportörer', async () => {
    const [reply] = await h.turn(
      message('vem har inte rapporterat?', {
        serviceUrl: h.connector.url,
        from: COORDINATOR,
        conversationId: 'a:personal-coord',
      }),
    );
    const text = cardText(reply!);
    assert.match(text, /Ej rapporterat vecka 11/);
    assert.match(text, /Polisen: 2 · Kommunen: 1 \(anmälda rapportörer/);
  });

  it('shows coordinators what was sent and skipped (påminnelser), and refuses others', async () => {
    const [reply] = await h.turn(
      message('påminnelser', { serviceUrl: h.connector.url, from: COORDINATOR, conversationId: 'a:personal-coord' }),
    );
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assertShows(text, sv.reminders.kinds.weekly!);
    assertShows(text, sv.reminders.kinds.meetingDigest!);
    assert.match(text, /skickade 1/);
    const [refused] = await h.turn(message('påminnelser', personal(2)));
    assertShows(cardText(refused!), sv.reminders.forbidden);
  });
});
