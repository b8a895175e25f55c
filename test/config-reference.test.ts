import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import type { z } from 'zod';
import { renderConfigReference } from '../src/cli/config-reference.js';
import { RawConfigSchema } from '../src/config.js';

describe('the configuration reference (docs/configuration.md)', () => {
  it('describes every setting', () => {
    const undescribed = Object.entries(RawConfigSchema.shape as Record<string, z.ZodTypeAny>)
      .filter(([, s]) => !s.description?.trim())
      .map(([name]) => name);
    assert.deepEqual(undescribed, []);
  });

  it('is what the schema generates (run npm run config:docs after changing a setting)', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    assert.equal(
      committed,
      renderConfigReference(),
      'docs/configuration.md has drifted from src/config.ts: run npm run config:docs',
    );
    for (const name of Object.keys(RawConfigSchema.shape))
      assert.ok(committed.includes(`| \`${name}\` |`), `${name} has a row`);
  });
});
