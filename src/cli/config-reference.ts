import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { RawConfigSchema } from '../config.js';

/**
 * docs/configuration.md, generated from the settings schema in src/config.ts so it cannot drift:
 *   npm run config:docs
 * A test (test/config-reference.test.ts) fails when the committed file differs from this output.
 */
export const CONFIG_DOC_PATH = 'docs/configuration.md';

/** The default a setting gets when unset, as written in an env file; '' when it has none. */
function defaultOf(schema: z.ZodTypeAny): string {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return '';
  const value: unknown = parsed.data;
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderConfigReference(): string {
  const rows = Object.entries(RawConfigSchema.shape as Record<string, z.ZodTypeAny>).map(([name, schema]) => {
    const fallback = defaultOf(schema);
    return `| \`${name}\` | ${fallback === '' ? '' : `\`${cell(fallback)}\``} | ${cell(schema.description ?? '')} |`;
  });
  return [
    '# Configuration',
    '',
    '<!-- Generated from src/config.ts by `npm run config:docs`. Do not edit by hand: a test compares this file with the schema. -->',
    '',
    'Every setting is an environment variable, read once at start by `src/config.ts`. Values come from the',
    'environment, then `env/.env.<TEAMSFX_ENV>.user` (secrets, not in git) and `env/.env.<TEAMSFX_ENV>`; the',
    'environment wins. An invalid value stops the start with one line naming the variable and exit code 2,',
    'before the data file is opened.',
    '',
    '| Variable | Default | What it does |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CONFIG_DOC_PATH, renderConfigReference());
  console.log(`Wrote ${CONFIG_DOC_PATH}.`);
}
