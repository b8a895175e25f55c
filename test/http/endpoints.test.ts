import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { sv } from '../../src/texts/index.js';
import { cardAction, message } from '../helpers/activities.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { assertShows } from '../helpers/texts.js';

/**
 * The HTTP paths of a turn, end to end: a message's reply goes to the Bot Connector at the
 * activity's serviceUrl, an Action.Execute's card comes back in the HTTP answer. What the routes
 * answer is tested without HTTP in test/teams/turns/.
 */
describe('the HTTP endpoints', () => {
  let h: Harness;
  const where = () => ({ serviceUrl: h.connector.url });

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('serves /healthz with status, version and store state', async () => {
    const res = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, any>;
    assert.equal(body.status, 'ok');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.equal(body.store.kind, 'lowdb');
    assert.equal(body.store.state, 'open');
    assert.equal(body.mode, 'local-development');
  });

  it('answers a message at /api/messages with 200 and posts the reply to the conversation at the connector', async () => {
    const before = h.connector.posted.length;
    const res = await h.post(message('hjälp', where()));
    assert.equal(res.status, 200);
    await h.connector.waitFor(before + 1);
    const [reply] = h.connector.posted.slice(before);
    assert.equal(reply!.conversationId, 'a:personal-1');
    assert.match(reply!.path, /^\/v3\/conversations\/a%3Apersonal-1\/activities/);
    assertShows(cardText(reply!.body), sv.help.title);
  });

  it('answers an Action.Execute in the HTTP body (an adaptive card invoke response), posting nothing', async () => {
    const before = h.connector.posted.length;
    const res = await h.post(cardAction('status.show', {}, where()));
    assert.equal(res.status, 200);
    assert.equal(res.body.statusCode, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assertShows(cardText(res.body.value), sv.status.pledge(3));
    assert.equal(h.connector.posted.length, before);
  });
});
