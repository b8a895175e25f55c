import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startBot } from '../../src/main.js';
import { tempDbPath } from '../helpers/harness.js';

describe('the Teams application', () => {
  it('never starts teams-ai’s typing timer (1.7.4 ignores startTypingTimer: false)', async () => {
    const config = loadConfig(
      { NODE_ENV: 'test', PORT: '0', DB_PATH: tempDbPath(), LOG_LEVEL: 'silent', REMINDERS_ENABLED: 'false' },
      '/nonexistent-env-dir',
    );
    const bot = await startBot(config, {
      clock: new ManualClock('2024-03-14T10:00:00Z'),
      logger: createLogger('silent'),
    });
    try {
      let registered = false;
      const context = { activity: { type: 'message' }, onSendActivities: () => (registered = true) };
      (bot.app as unknown as { startTypingTimer: (c: unknown) => void }).startTypingTimer(context);
      assert.equal(registered, false);
    } finally {
      await bot.stop();
    }
  });
});
