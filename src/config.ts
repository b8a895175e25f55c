import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { REPORTING_PARTIES, reportingPartyOf, type ReportingParty } from './domain/party.js';
import { DEFAULT_REMINDER_SETTINGS, ReminderSettingsSchema, type ReminderSettings } from './domain/reminders.js';

/**
 * The only reader of process.env. Values come from the environment, then the Teams Toolkit style
 * files env/.env.<TEAMSFX_ENV>.user (secrets, gitignored) and env/.env.<TEAMSFX_ENV> (committed).
 * The environment wins. Every invalid value stops start-up with a message naming the variable.
 */

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** '<guid>=Polisen' or '<guid>=Kommunen', in any letter case. */
const guidToParty = new RegExp(
  `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}=(${REPORTING_PARTIES.join('|')})$`,
  'i',
);

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
/** "a, b,,c" → ['a', 'b', 'c']; a missing value is an empty list. */
const commaList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : (v ?? []);
const guidList = z.preprocess(
  commaList,
  z.array(z.string().regex(guid, 'a comma-separated list of GUIDs (AAD object ids or tenant ids)')),
);

/** Every setting: its environment variable and how it is parsed (descriptions in SETTING_DESCRIPTIONS). */
const settingSchemas = {
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'test', 'production']).default('development')),
  TEAMSFX_ENV: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z0-9-]+$/, 'an env name like local, dev or prod')
      .default('local'),
  ),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a port number' })
      .int('a whole number')
      .min(0, 'between 0 and 65535')
      .max(65535, 'between 0 and 65535')
      .default(3978),
  ),
  HOST: optionalString,
  BOT_ID: z.preprocess(emptyToUndefined, z.string().regex(guid, 'the Azure bot app id, a GUID').optional()),
  BOT_PASSWORD: optionalString,
  BOT_TENANT_ID: z.preprocess(
    emptyToUndefined,
    z.string().regex(guid, 'the tenant id of the bot registration, a GUID').optional(),
  ),
  BOT_TYPE: z.preprocess(
    emptyToUndefined,
    z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
  ),
  DB_PATH: z.preprocess(emptyToUndefined, z.string().min(1).default('data/db.json')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'a PostgreSQL connection string, postgres://user:password@host:5432/database')
      .optional(),
  ),
  DATABASE_SCHEMA: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a schema name: lower-case letters, digits and _')
      .default('public'),
  ),
  DATABASE_POOL_MAX: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a number of connections' })
      .int('a whole number')
      .min(2, 'at least 2 (one is held for the instance lock)')
      .max(100, 'at most 100')
      .default(10),
  ),
  DATABASE_TOTALS_CACHE: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a whole number of agreements' })
      .int('a whole number of agreements')
      .min(1, 'between 1 and 100000 agreements')
      .max(100000, 'between 1 and 100000 agreements')
      .default(300),
  ),

  COORDINATOR_IDS: guidList,
  READER_IDS: guidList,
  ALLOWED_TENANT_IDS: guidList,
  BOT_CLOCK: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(
        (s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)),
        'an ISO instant such as 2024-03-14T12:59:00+01:00',
      )
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  REPORT_WEEKS_BACK: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int('a whole number of weeks').min(0, 'between 0 and 52').max(52, 'between 0 and 52').default(4),
  ),
  REPORT_EDIT_WEEKS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int('a whole number of weeks')
      .min(0, 'between 0 and 104')
      .max(104, 'between 0 and 104')
      .default(4),
  ),
  REPORT_AREAS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? commaList(v) : undefined),
    z
      .array(z.string().min(1).max(40, 'area names of at most 40 characters'))
      .min(1)
      .default(['Centrum', 'Resecentrum', 'Krogmiljön', 'Skolor', 'Hela kommunen', 'Annat']),
  ),
  PARTY_BY_TENANT: z.preprocess(
    commaList,
    z.array(z.string().regex(guidToParty, 'a comma-separated list of <tenant id>=Polisen or <tenant id>=Kommunen')),
  ),
  STATUS_RISK_BELOW: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .gt(0, 'a fraction between 0 and 1, e.g. 0.9')
      .max(1, 'a fraction between 0 and 1, e.g. 0.9')
      .default(0.9),
  ),
  STATUS_BEHIND_BELOW: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .gt(0, 'a fraction between 0 and 1, e.g. 0.7')
      .max(1, 'a fraction between 0 and 1, e.g. 0.7')
      .default(0.7),
  ),
  PARTY_BY_PERSON: z.preprocess(
    commaList,
    z.array(
      z.string().regex(guidToParty, 'a comma-separated list of <AAD object id>=Polisen or <AAD object id>=Kommunen'),
    ),
  ),
  REMINDERS_ENABLED: z.preprocess(
    emptyToUndefined,
    z.enum(['true', 'false'], { errorMap: () => ({ message: 'true or false' }) }).default('true'),
  ),
  REMINDER_WEEKDAY: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int('an ISO weekday 1–7 (4 = Thursday)')
      .min(1, 'an ISO weekday 1–7 (4 = Thursday)')
      .max(7, 'an ISO weekday 1–7 (4 = Thursday)')
      .default(4),
  ),
  REMINDER_TIME: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:mm such as 13:00')
      .default('13:00'),
  ),
  DIGEST_WORKING_DAYS_BEFORE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()) : undefined),
    z
      .array(
        z.coerce
          .number()
          .int('whole numbers of working days from 0 to 60')
          .min(0, 'whole numbers of working days from 0 to 60')
          .max(60, 'whole numbers of working days from 0 to 60'),
      )
      .max(10, 'at most 10 comma-separated working days')
      .default([3]),
  ),
  DIGEST_TIME: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:mm such as 08:00')
      .default('08:00'),
  ),
  DIGEST_MORNING_TIME: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'a local time HH:mm such as 07:30, or off')
      .default('07:30'),
  ),
  WEEKLY_SUMMARY_WEEKDAY: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int('an ISO weekday 1–7 (1 = Monday)')
      .min(1, 'an ISO weekday 1–7 (1 = Monday)')
      .max(7, 'an ISO weekday 1–7 (1 = Monday)')
      .default(1),
  ),
  WEEKLY_SUMMARY_TIME: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:mm such as 08:00')
      .default('08:00'),
  ),
  MAX_BODY_BYTES: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int()
      .min(1024, 'at least 1024')
      .default(256 * 1024),
  ),
  LLM_PROVIDER: z.preprocess(
    emptyToUndefined,
    z
      .enum(['none', 'openai', 'azure', 'compatible'], {
        errorMap: () => ({ message: 'none, openai, azure or compatible' }),
      })
      .default('none'),
  ),
  LLM_BASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url('a URL such as https://api.openai.com/v1')
      .refine((u) => /^https?:\/\//i.test(u), 'an http:// or https:// URL')
      .optional(),
  ),
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_AZURE_DEPLOYMENT: optionalString,
  LLM_API_VERSION: optionalString,
  LLM_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a number of milliseconds' })
      .int('a whole number of milliseconds')
      .min(100, 'between 100 and 60000 milliseconds')
      .max(60000, 'between 100 and 60000 milliseconds')
      .default(8000),
  ),
  LLM_ALLOW_REPORT_TEXT: z.preprocess(
    emptyToUndefined,
    z.enum(['true', 'false'], { errorMap: () => ({ message: 'true or false' }) }).default('false'),
  ),
  RETENTION_FREE_TEXT_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a whole number of days (0 keeps free text forever)' })
      .int('a whole number of days (0 keeps free text forever)')
      .min(0, 'a whole number of days, 0 or more (0 keeps free text forever)')
      .max(36500, 'at most 36500 days')
      .default(730),
  ),
  DELIVERY_LEDGER_RETENTION_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a whole number of days (0 keeps the delivery ledger forever)' })
      .int('a whole number of days (0 keeps the delivery ledger forever)')
      .refine(
        (d) => d === 0 || d >= 31,
        'at least 31 days (påminnelser shows the last 30), or 0 to keep the delivery ledger forever',
      )
      .refine((d) => d <= 36500, 'at most 36500 days')
      .default(90),
  ),
  BACKUP_KEEP: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a whole number of backups to keep' })
      .int('a whole number of backups to keep')
      .min(1, 'at least 1 backup to keep')
      .max(1000, 'at most 1000 backups')
      .default(7),
  ),
  BACKUP_INTERVAL_HOURS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a whole number of hours (0 turns backups off)' })
      .int('a whole number of hours (0 turns backups off)')
      .min(0, 'a whole number of hours, 0 or more (0 turns backups off)')
      .max(8760, 'at most 8760 hours')
      .default(24),
  ),
  BACKUP_DIR: optionalString,
  PUBLIC_BASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url('an absolute URL such as https://bot.example.se')
      .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL such as https://bot.example.se')
      .optional(),
  ),
  DOWNLOAD_LINK_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'at least 32 characters').optional()),
  DOWNLOAD_LINK_MINUTES: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'a whole number of minutes' })
      .int('a whole number of minutes')
      .min(1, 'between 1 and 10080 minutes')
      .max(10080, 'between 1 and 10080 minutes')
      .default(60),
  ),
};

/** What each setting does, for the operator: shown in docs/configuration.md (npm run config:docs). */
const SETTING_DESCRIPTIONS: { readonly [K in keyof typeof settingSchemas]: string } = {
  NODE_ENV: '`production` refuses to start without bot credentials (and with `BOT_CLOCK`).',
  TEAMSFX_ENV: 'Which `env/.env.<name>` and `env/.env.<name>.user` files are read; the environment wins over them.',
  PORT: 'HTTP port (`0` picks a free one).',
  HOST: 'Bind address: `127.0.0.1` in local development mode (which refuses anything but loopback), else `0.0.0.0`.',
  BOT_ID: 'The Azure bot’s app id (a GUID). Empty: local development mode, unauthenticated, on 127.0.0.1 only.',
  BOT_PASSWORD: 'Client secret of `BOT_ID` (put it in `env/.env.<env>.user`, never in git).',
  BOT_TENANT_ID:
    'Tenant of the bot registration; required for `SingleTenant`. Reminders go 1:1 only to people of this tenant.',
  BOT_TYPE: '`SingleTenant`, `MultiTenant` or `UserAssignedMSI`.',
  DB_PATH:
    'The data file; reports go to `<name>.reports/`, the audit trail to `<name>.audit.jsonl`, the delivery ledger to `<name>.ledger.json` and `<name>.ledger.jsonl`.',
  DATABASE_URL:
    'PostgreSQL instead of the lowdb files: `postgres://user:password@host:5432/database`. Set: every instance of the bot shares this database (migrated at start); unset: the files under `DB_PATH`. Put it in `env/.env.<env>.user`: it holds a password.',
  DATABASE_SCHEMA: 'The PostgreSQL schema the bot’s tables live in (default `public`).',
  DATABASE_POOL_MAX: 'Connections per bot instance to PostgreSQL (default 10, at least 2).',
  DATABASE_TOTALS_CACHE:
    'How many agreements’ running totals one instance keeps in memory, the most recently used (default 300: every municipality’s current agreement; about 2.4 MiB each at national size, docs/postgresql.md).',
  COORDINATOR_IDS:
    'Comma-separated AAD object ids of the deployment’s coordinators (kommunpolis, säkerhetssamordnare): coordinators of every municipality the deployment serves. Coordinators added in chat coordinate the municipality they were added in.',
  READER_IDS:
    'Comma-separated AAD object ids of readers across municipalities (e.g. the police region): status and questions for every municipality, read-only; in a personal chat they choose the municipality with `byt kommun`.',
  ALLOWED_TENANT_IDS:
    'Comma-separated tenant ids allowed to use the bot (the police’s and the municipality’s). Empty: any tenant, only sensible in local development mode.',
  BOT_CLOCK: 'ISO instant the bot’s clock starts at, then runs on (demos inside 2023–2024); refused in production.',
  LOG_LEVEL: 'pino log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
  REPORT_WEEKS_BACK: 'How many weeks back a report may be filed (0–52).',
  REPORT_EDIT_WEEKS: 'How many weeks back a reporter may edit their own report (0–104).',
  REPORT_AREAS: 'Comma-separated areas on the report card (at most 40 characters each).',
  PARTY_BY_TENANT: '`<tenant id>=Polisen,<tenant id>=Kommunen`: pre-selects the party on the report card.',
  STATUS_RISK_BELOW: 'Below this fraction of the expected pace an activity is *Risk* (between 0 and 1).',
  STATUS_BEHIND_BELOW:
    'Below this fraction of the expected pace an activity is *Efter*; no larger than `STATUS_RISK_BELOW`.',
  PARTY_BY_PERSON: '`<AAD object id>=Polisen,…`: pre-selects the party per person (wins over the tenant).',
  REMINDERS_ENABLED: '`false` turns the reminder scheduler off.',
  REMINDER_WEEKDAY:
    'ISO weekday of the weekly report reminder (1 = Monday … 7 = Sunday); a holiday moves it to the working day before.',
  REMINDER_TIME: 'Local time (Europe/Stockholm) of the weekly reminder, `HH:mm`.',
  DIGEST_WORKING_DAYS_BEFORE:
    'Comma-separated working days (0–60, at most 10 values) before a meeting to post a digest in the linked channel.',
  DIGEST_TIME: 'Local time of those digests, `HH:mm`.',
  DIGEST_MORNING_TIME: 'A digest on the morning of the meeting day at this local time; `off` to skip it.',
  WEEKLY_SUMMARY_WEEKDAY:
    'ISO weekday (1 = Monday … 7 = Sunday) of the weekly summary of the week before in the linked channel; a holiday moves it within the week. Coordinators turn the summary off and on with `veckosammanfattning av|på`.',
  WEEKLY_SUMMARY_TIME: 'Local time (Europe/Stockholm) of the weekly summary, `HH:mm`.',
  MAX_BODY_BYTES: 'Request body limit for `/api/messages` (413 above it); at least 1024.',
  LLM_PROVIDER: 'Optional language model for free-form questions: `none`, `openai`, `azure` or `compatible`.',
  LLM_BASE_URL:
    'The OpenAI-compatible base URL (`…/v1`, default `https://api.openai.com/v1` for `openai`), or the Azure OpenAI endpoint (`https://<resource>.openai.azure.com`); required for `azure` and `compatible`.',
  LLM_API_KEY: 'The API key (put it in `env/.env.<env>.user`); required for `openai` and `azure`.',
  LLM_MODEL: 'The model name (`openai`, `compatible`).',
  LLM_AZURE_DEPLOYMENT: 'The Azure OpenAI deployment (`azure`).',
  LLM_API_VERSION: 'Azure OpenAI `api-version` (default `2024-10-21`).',
  LLM_TIMEOUT_MS:
    'Deadline in milliseconds (100–60000) for the whole exchange with the model; after it the bot answers without it.',
  LLM_ALLOW_REPORT_TEXT: '`true` also sends report descriptions to the model in tool results.',
  RETENTION_FREE_TEXT_DAYS:
    'Report free text is blanked once the report date is older than this many days; `0` keeps it forever.',
  DELIVERY_LEDGER_RETENTION_DAYS:
    'Settled reminder deliveries due longer ago than this many days leave the delivery ledger every night; at least 31 (`påminnelser` shows the last 30 days), `0` keeps them forever.',
  BACKUP_KEEP: 'How many backups to keep (the newest), 1–1000.',
  BACKUP_INTERVAL_HOURS: 'Take a backup when the newest is older than this many hours; `0` turns backups off.',
  BACKUP_DIR: 'Where backups go, one folder per backup (default `<folder of DB_PATH>/backups`).',
  PUBLIC_BASE_URL:
    'Where people reach the bot (`https://bot.example.se`): download links (calendar invitations, follow-up documents) point there. Default: the address the bot listens on.',
  DOWNLOAD_LINK_SECRET:
    'Key that signs download links (at least 32 characters, the same on every instance). Default: derived from `BOT_PASSWORD`; without it, random per process (links die with it).',
  DOWNLOAD_LINK_MINUTES: 'How long a download link works (1–10080 minutes, default 60).',
};

/** The settings schema, each setting described; docs/configuration.md is generated from it. */
export const RawConfigSchema = z.object(
  Object.fromEntries(
    Object.entries(settingSchemas).map(([name, schema]) => [
      name,
      schema.describe(SETTING_DESCRIPTIONS[name as keyof typeof settingSchemas]),
    ]),
  ) as typeof settingSchemas,
);

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  envName: string;
  port: number;
  host: string;
  /** Local development mode: no credentials, 127.0.0.1 only, requests not authenticated. */
  devMode: boolean;
  bot: { id?: string; password?: string; tenantId?: string; type: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI' };
  dbPath: string;
  /** PostgreSQL instead of the lowdb files (DATABASE_URL); undefined: lowdb under dbPath. */
  database?: { url: string; schema: string; poolMax: number; totalsCache: number };
  coordinatorIds: string[];
  /** Readers of every municipality (status and questions only). */
  readerIds: string[];
  allowedTenantIds: string[];
  clockStart?: Date;
  logLevel: string;
  maxBodyBytes: number;
  /** The optional language model for free-form questions; undefined (LLM_PROVIDER=none) contacts nothing. */
  llm?: LlmConfig;
  /**
   * Report free text older than this many days is blanked; settled delivery occurrences due longer
   * ago than deliveryLedgerDays are pruned from the ledger. 0 keeps either forever.
   */
  retention: { freeTextDays: number; deliveryLedgerDays: number };
  backups: { dir: string; keep: number; intervalHours: number };
  /** Signed download links served by the bot (src/http/downloads.ts). */
  downloads: { publicBaseUrl?: string; secret?: string; ttlMinutes: number };
  status: { riskBelow: number; behindBelow: number };
  /** Validated once here by the reminder policy's own rules (domain/reminders.ts). */
  reminders: { enabled: boolean; settings: ReminderSettings };
  reports: {
    weeksBack: number;
    editWeeks: number;
    areas: string[];
    partyByTenant: Record<string, ReportingParty>;
    partyByPerson: Record<string, ReportingParty>;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    // One problem is one line (what an operator sees at a failed start); several are listed.
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Settings whose value may hold a password or key: named in an error, never shown. */
const SECRET_SETTINGS = new Set(['BOT_PASSWORD', 'LLM_API_KEY', 'DATABASE_URL', 'DOWNLOAD_LINK_SECRET']);

/** Reads env/.env.<name> and env/.env.<name>.user; later files do not override earlier keys. */
export function readEnvFiles(envName: string, dir = 'env'): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const file of [`.env.${envName}.user`, `.env.${envName}`]) {
    const path = resolve(dir, file);
    if (!existsSync(path)) continue;
    const parsed = parseEnv(readFileSync(path, 'utf8'));
    for (const [k, v] of Object.entries(parsed)) if (!(k in merged) && v !== undefined) merged[k] = v;
  }
  return merged;
}

export interface LlmConfig {
  provider: 'openai' | 'azure' | 'compatible';
  /** The API base URL (…/v1), or for Azure the resource endpoint. */
  baseUrl: string;
  apiKey: string;
  /** The model name, or for Azure the deployment. */
  model: string;
  /** Azure OpenAI api-version. */
  apiVersion?: string;
  timeoutMs: number;
  /** May report free text (descriptions) be sent to the model in tool results? */
  allowReportText: boolean;
}

function llmConfigOf(raw: z.infer<typeof RawConfigSchema>, problems: string[]): LlmConfig | undefined {
  const provider = raw.LLM_PROVIDER;
  if (provider === 'none') return undefined;
  const need = (value: string | undefined, name: string, what: string): string => {
    if (!value) problems.push(`${name}: expected ${what} when LLM_PROVIDER=${provider}`);
    return value ?? '';
  };
  const azure = provider === 'azure';
  const baseUrl =
    provider === 'openai'
      ? (raw.LLM_BASE_URL ?? 'https://api.openai.com/v1')
      : need(
          raw.LLM_BASE_URL,
          'LLM_BASE_URL',
          azure
            ? 'the Azure OpenAI endpoint, e.g. https://<resource>.openai.azure.com'
            : 'the server’s OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1',
        );
  const model = azure
    ? need(raw.LLM_AZURE_DEPLOYMENT, 'LLM_AZURE_DEPLOYMENT', 'the Azure OpenAI deployment name')
    : need(raw.LLM_MODEL, 'LLM_MODEL', 'the model name');
  // A local compatible server may need no key; the OpenAI client still wants a non-empty one.
  const apiKey =
    provider === 'compatible'
      ? (raw.LLM_API_KEY ?? 'not-needed')
      : need(raw.LLM_API_KEY, 'LLM_API_KEY', 'the API key (put it in env/.env.<env>.user, never in git)');
  const loopback = baseUrl !== '' && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(baseUrl).hostname);
  if (azure && baseUrl && !baseUrl.startsWith('https://'))
    problems.push('LLM_BASE_URL: expected an https:// endpoint for Azure OpenAI');
  if (raw.NODE_ENV === 'production' && baseUrl.startsWith('http://') && !loopback)
    problems.push('LLM_BASE_URL: expected https:// in production (plain http only to a server on this machine)');
  return {
    provider,
    baseUrl,
    apiKey,
    model,
    ...(azure ? { apiVersion: raw.LLM_API_VERSION ?? '2024-10-21' } : {}),
    timeoutMs: raw.LLM_TIMEOUT_MS,
    allowReportText: raw.LLM_ALLOW_REPORT_TEXT === 'true',
  };
}

/** Names the variable behind each reminder setting, for the error line. */
const REMINDER_VARIABLES: Partial<Record<keyof ReminderSettings, string>> = {
  weeklyWeekday: 'REMINDER_WEEKDAY',
  weeklyTime: 'REMINDER_TIME',
  digestWorkingDaysBefore: 'DIGEST_WORKING_DAYS_BEFORE',
  digestTime: 'DIGEST_TIME',
  morningTime: 'DIGEST_MORNING_TIME',
  weeklySummaryWeekday: 'WEEKLY_SUMMARY_WEEKDAY',
  weeklySummaryTime: 'WEEKLY_SUMMARY_TIME',
};

/**
 * The reminder settings, checked here by the policy's own schema as well, so a value the policy
 * would refuse stops the start with one line before anything is opened.
 */
function reminderSettingsOf(raw: z.infer<typeof RawConfigSchema>, problems: string[]): ReminderSettings {
  const candidate: ReminderSettings = {
    ...DEFAULT_REMINDER_SETTINGS,
    weeklyWeekday: raw.REMINDER_WEEKDAY,
    weeklyTime: raw.REMINDER_TIME,
    digestWorkingDaysBefore: raw.DIGEST_WORKING_DAYS_BEFORE,
    digestTime: raw.DIGEST_TIME,
    morningDigest: raw.DIGEST_MORNING_TIME !== 'off',
    morningTime: raw.DIGEST_MORNING_TIME === 'off' ? DEFAULT_REMINDER_SETTINGS.morningTime : raw.DIGEST_MORNING_TIME,
    weeklySummaryWeekday: raw.WEEKLY_SUMMARY_WEEKDAY,
    weeklySummaryTime: raw.WEEKLY_SUMMARY_TIME,
  };
  const checked = ReminderSettingsSchema.safeParse(candidate);
  if (checked.success) return checked.data;
  for (const i of checked.error.issues) {
    const field = i.path[0] as keyof ReminderSettings;
    problems.push(
      `${REMINDER_VARIABLES[field] ?? `reminder setting ${i.path.join('.')}`}: expected a value the reminder policy accepts (${i.message})`,
    );
  }
  return candidate;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, envDir = 'env'): Config {
  const envName = env.TEAMSFX_ENV && env.TEAMSFX_ENV.trim() !== '' ? env.TEAMSFX_ENV : 'local';
  const fromFiles = /^[a-z0-9-]+$/.test(envName) ? readEnvFiles(envName, envDir) : {};
  const source: Record<string, string | undefined> = { ...fromFiles };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) source[k] = v;

  const parsed = RawConfigSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        // A value that may hold a secret is never echoed into a log line.
        const got = SECRET_SETTINGS.has(name)
          ? 'not shown: it may hold a secret'
          : JSON.stringify(source[name] ?? null);
        return `${i.path.join('.')}: expected ${i.message} (got ${got})`;
      }),
    );
  }
  const raw = parsed.data;
  const problems: string[] = [];
  const devMode = !raw.BOT_ID;
  if (raw.BOT_ID && !raw.BOT_PASSWORD && raw.BOT_TYPE !== 'UserAssignedMSI')
    problems.push('BOT_PASSWORD: expected the client secret of BOT_ID (set it in env/.env.<env>.user, never in git)');
  if (raw.BOT_ID && raw.BOT_TYPE === 'SingleTenant' && !raw.BOT_TENANT_ID)
    problems.push('BOT_TENANT_ID: expected the tenant id of a SingleTenant bot registration');
  if (raw.NODE_ENV === 'production' && devMode)
    problems.push(
      'BOT_ID: expected bot credentials (BOT_ID, BOT_PASSWORD, BOT_TENANT_ID) when NODE_ENV=production; unauthenticated mode is for local development only',
    );
  if (raw.NODE_ENV === 'production' && raw.BOT_CLOCK)
    problems.push('BOT_CLOCK: expected to be unset when NODE_ENV=production (a shifted clock is for demos and tests)');
  if (devMode && raw.HOST && !['127.0.0.1', 'localhost', '::1'].includes(raw.HOST))
    problems.push(
      'HOST: expected 127.0.0.1 in local development mode (no BOT_ID): unauthenticated requests must not reach the network',
    );
  if (raw.STATUS_BEHIND_BELOW > raw.STATUS_RISK_BELOW)
    problems.push('STATUS_BEHIND_BELOW: expected a fraction no larger than STATUS_RISK_BELOW');
  const llm = llmConfigOf(raw, problems);
  const reminderSettings = reminderSettingsOf(raw, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    nodeEnv: raw.NODE_ENV,
    envName,
    port: raw.PORT,
    host: devMode ? '127.0.0.1' : (raw.HOST ?? '0.0.0.0'),
    devMode,
    bot: { id: raw.BOT_ID, password: raw.BOT_PASSWORD, tenantId: raw.BOT_TENANT_ID, type: raw.BOT_TYPE },
    dbPath: raw.DB_PATH,
    ...(raw.DATABASE_URL
      ? {
          database: {
            url: raw.DATABASE_URL,
            schema: raw.DATABASE_SCHEMA,
            poolMax: raw.DATABASE_POOL_MAX,
            totalsCache: raw.DATABASE_TOTALS_CACHE,
          },
        }
      : {}),
    coordinatorIds: raw.COORDINATOR_IDS,
    readerIds: raw.READER_IDS,
    allowedTenantIds: raw.ALLOWED_TENANT_IDS,
    clockStart: raw.BOT_CLOCK ? new Date(raw.BOT_CLOCK) : undefined,
    logLevel: raw.LOG_LEVEL,
    maxBodyBytes: raw.MAX_BODY_BYTES,
    llm,
    retention: { freeTextDays: raw.RETENTION_FREE_TEXT_DAYS, deliveryLedgerDays: raw.DELIVERY_LEDGER_RETENTION_DAYS },
    backups: {
      dir: raw.BACKUP_DIR ?? join(dirname(raw.DB_PATH), 'backups'),
      keep: raw.BACKUP_KEEP,
      intervalHours: raw.BACKUP_INTERVAL_HOURS,
    },
    downloads: {
      ...(raw.PUBLIC_BASE_URL ? { publicBaseUrl: raw.PUBLIC_BASE_URL } : {}),
      ...(raw.DOWNLOAD_LINK_SECRET ? { secret: raw.DOWNLOAD_LINK_SECRET } : {}),
      ttlMinutes: raw.DOWNLOAD_LINK_MINUTES,
    },
    status: { riskBelow: raw.STATUS_RISK_BELOW, behindBelow: raw.STATUS_BEHIND_BELOW },
    reminders: { enabled: raw.REMINDERS_ENABLED === 'true', settings: reminderSettings },
    reports: {
      weeksBack: raw.REPORT_WEEKS_BACK,
      editWeeks: raw.REPORT_EDIT_WEEKS,
      areas: raw.REPORT_AREAS,
      partyByPerson: Object.fromEntries(
        raw.PARTY_BY_PERSON.map((p) => p.split('=') as [string, string]).map(([t, p]) => [
          t.toLowerCase(),
          reportingPartyOf(p)!,
        ]),
      ),
      partyByTenant: Object.fromEntries(
        raw.PARTY_BY_TENANT.map((p) => p.split('=') as [string, string]).map(([t, p]) => [
          t.toLowerCase(),
          reportingPartyOf(p)!,
        ]),
      ),
    },
  };
}
