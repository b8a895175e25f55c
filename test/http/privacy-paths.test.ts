import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { cardAction, message, USER, type Where } from '../helpers/activities.js';
import { sv } from '../../src/texts/index.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { assertShows } from '../helpers/texts.js';
import { anyDisguised, SEED } from '../helpers/identifiers.js';

/**
 * The privacy guard on the way out: a flagged report whose text fails the guard is left out of the
 * proactive digest the real scheduler sends to the Bot Connector (a protocol path, so over HTTP).
 * The paths where a person types text are tested as turns in test/teams/turns/privacy-paths.test.ts.
 */

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };

describe('privacy guard on the way out (the pre-meeting digest through the real scheduler)', () => {
  const CHANNEL = '19:general@thread.tacv2';
  let h: Harness;
  const clock = new ManualClock('2024-03-14T10:00:00Z');
  after(async () => {
    await h?.stop();
  });

  it('leaves a flagged report whose text fails the guard out of the digest and says how many were left out', async () => {
    h = await startHarness({ clock, env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, REMINDERS_ENABLED: 'true' } });
    const inChannel: Where = {
      serviceUrl: h.connector.url,
      from: COORDINATOR,
      kind: 'channel',
      conversationId: CHANNEL,
    };
    await h.turn(message('koppla kanal', inChannel));
    await h.post(
      cardAction(
        'meeting.create',
        {
          meetingId: 'meeting-0001',
          kind: 'samverkansmöte',
          date: '2024-03-20',
          time: '13:00',
          place: 'Polishuset',
          agenda: 'Trafiken',
        },
        { serviceUrl: h.connector.url, from: COORDINATOR, conversationId: 'a:personal-coord' },
      ),
    );
    // Reports flagged "ta upp på nästa möte" that reached the store past an earlier guard.
    const leaks = fc.sample(anyDisguised, { seed: SEED + 8, numRuns: 5 });
    const base = {
      agreementId: 'tranas-2023-2024',
      reporterId: USER.aadObjectId,
      week: '2024-W11',
      activityId: 'trafikkontroller',
      pledgeNumber: 3,
      count: 2,
      date: '2024-03-13',
      area: 'Centrum',
      raiseAtNextMeeting: true,
      party: 'Polisen' as const,
      createdAt: '2024-03-13T10:00:00.000Z',
      updatedAt: '2024-03-13T10:00:00.000Z',
      history: [],
    };
    for (const [i, d] of leaks.entries())
      await h.bot.store.reports.add({
        ...base,
        id: `leak-${i}`,
        submissionId: `leak-${i}`,
        description: `Ta upp: ${d.text}`,
      });
    await h.bot.store.reports.add({
      ...base,
      id: 'ok',
      submissionId: 'ok',
      description: 'Trafikkontroll kl. 22.30 på väg 32, 45 fordon',
    });
    await h.bot.reminders.idle();
    h.connector.clear();

    clock.set('2024-03-15T07:00:30Z');
    await h.bot.reminders.tick();
    await h.bot.reminders.tick();
    const digests = h.connector.posted.filter((p) => p.conversationId === CHANNEL);
    assert.equal(digests.length, 1);
    const posted = JSON.stringify(digests[0]!.body);
    const text = cardText(digests[0]!.body);
    assertShows(text, sv.reminders.digestTitle('samverkansmöte'));
    assert.match(text, /Trafikkontroll kl\. 22\.30 på väg 32, 45 fordon/);
    assertShows(text, sv.reminders.leftOut(5));
    for (const d of leaks) assert.ok(!posted.includes(d.text) && !text.includes(d.plain), JSON.stringify(d.text));
  });
});
