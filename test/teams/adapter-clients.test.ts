import assert from 'node:assert/strict';
import type { Activity, TurnContext } from 'botbuilder';
import { describe, it } from 'mocha';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createAdapter } from '../../src/teams/adapter.js';
import { message } from '../helpers/activities.js';
import { tempDbPath } from '../helpers/harness.js';

type Run = (auth: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) => Promise<unknown>;

/** CloudAdapter would build a connector client and a user token client per turn; ours shares them. */
describe('BotAdapter: connector clients shared between turns', () => {
  const config = loadConfig(
    { NODE_ENV: 'test', PORT: '0', DB_PATH: tempDbPath(), LOG_LEVEL: 'silent' },
    '/nonexistent-env-dir',
  );

  async function clientsOf(serviceUrls: string[]) {
    const adapter = createAdapter(config, {}, createLogger('silent'));
    const run = (adapter as unknown as { processActivity: Run }).processActivity.bind(adapter);
    const seen: { connector: unknown; tokens: unknown; serviceUrl: string }[] = [];
    for (const serviceUrl of serviceUrls) {
      await run('', message('hej', { serviceUrl }) as unknown as Activity, async (context) => {
        const tokensKey = (context.adapter as unknown as { UserTokenClientKey: symbol }).UserTokenClientKey;
        seen.push({
          connector: context.turnState.get(context.adapter.ConnectorClientKey),
          tokens: context.turnState.get(tokensKey),
          serviceUrl,
        });
      });
    }
    return seen;
  }

  it('gives the turns to one service URL one connector client, built for that URL', async () => {
    const [a, b, c] = await clientsOf(['http://127.0.0.1:1/', 'http://127.0.0.1:1/', 'http://127.0.0.1:2/']);
    assert.ok(a!.connector);
    assert.equal(b!.connector, a!.connector);
    assert.notEqual(c!.connector, a!.connector);
    assert.equal((a!.connector as { baseUri?: string }).baseUri, 'http://127.0.0.1:1/');
    assert.equal((c!.connector as { baseUri?: string }).baseUri, 'http://127.0.0.1:2/');
    assert.ok(a!.tokens);
    assert.equal(c!.tokens, a!.tokens);
  });

  it('keeps its clients per adapter', async () => {
    const [first] = await clientsOf(['http://127.0.0.1:1/']);
    const [second] = await clientsOf(['http://127.0.0.1:1/']);
    assert.notEqual(second!.connector, first!.connector);
  });
});
