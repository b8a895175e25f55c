import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/**
 * The only reader of process.env. Values come from the environment, then the Teams Toolkit style
 * files env/.env.<TEAMSFX_ENV>.user (secrets, gitignored) and env/.env.<TEAMSFX_ENV> (committed).
 * The environment wins. Every invalid value stops start-up with a message naming the variable.
 */

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const guidList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v ?? []),
  z.array(z.string().regex(guid, 'a comma-separated list of GUIDs (AAD object ids or tenant ids)')),
);

const RawConfigSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'test', 'production']).default('development')),
  TEAMSFX_ENV: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z0-9-]+$/, 'an env name like local, dev or prod').default('local')),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ invalid_type_error: 'a port number' }).int('a whole number').min(0, 'between 0 and 65535').max(65535, 'between 0 and 65535').default(3978),
  ),
  HOST: optionalString,
  BOT_ID: z.preprocess(emptyToUndefined, z.string().regex(guid, 'the Azure bot app id, a GUID').optional()),
  BOT_PASSWORD: optionalString,
  BOT_TENANT_ID: z.preprocess(emptyToUndefined, z.string().regex(guid, 'the tenant id of the bot registration, a GUID').optional()),
  BOT_TYPE: z.preprocess(emptyToUndefined, z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant')),
  DB_PATH: z.preprocess(emptyToUndefined, z.string().min(1).default('data/db.json')),
  COORDINATOR_IDS: guidList,
  ALLOWED_TENANT_IDS: guidList,
  BOT_CLOCK: z.preprocess(
    emptyToUndefined,
    z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'an ISO instant such as 2024-03-14T12:59:00+01:00').optional(),
  ),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  REPORT_WEEKS_BACK: z.preprocess(emptyToUndefined, z.coerce.number().int('a whole number of weeks').min(0, 'between 0 and 52').max(52, 'between 0 and 52').default(4)),
  REPORT_EDIT_WEEKS: z.preprocess(emptyToUndefined, z.coerce.number().int('a whole number of weeks').min(0, 'between 0 and 104').max(104, 'between 0 and 104').default(4)),
  REPORT_AREAS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined),
    z.array(z.string().min(1).max(40, 'area names of at most 40 characters')).min(1).default(['Centrum', 'Resecentrum', 'Krogmiljön', 'Skolor', 'Hela kommunen', 'Annat']),
  ),
  PARTY_BY_TENANT: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v ?? []),
    z.array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}=(Polisen|Kommunen)$/i, 'a comma-separated list of <tenant id>=Polisen or <tenant id>=Kommunen')),
  ),
  STATUS_RISK_BELOW: z.preprocess(emptyToUndefined, z.coerce.number().gt(0, 'a fraction between 0 and 1, e.g. 0.9').max(1, 'a fraction between 0 and 1, e.g. 0.9').default(0.9)),
  STATUS_BEHIND_BELOW: z.preprocess(emptyToUndefined, z.coerce.number().gt(0, 'a fraction between 0 and 1, e.g. 0.7').max(1, 'a fraction between 0 and 1, e.g. 0.7').default(0.7)),
  PARTY_BY_PERSON: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v ?? []),
    z.array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}=(Polisen|Kommunen)$/i, 'a comma-separated list of <AAD object id>=Polisen or <AAD object id>=Kommunen')),
  ),
  REMINDERS_ENABLED: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { errorMap: () => ({ message: 'true or false' }) }).default('true')),
  REMINDER_WEEKDAY: z.preprocess(emptyToUndefined, z.coerce.number().int('an ISO weekday 1–7 (4 = Thursday)').min(1, 'an ISO weekday 1–7 (4 = Thursday)').max(7, 'an ISO weekday 1–7 (4 = Thursday)').default(4)),
  REMINDER_TIME: z.preprocess(emptyToUndefined, z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:mm such as 13:00').default('13:00')),
  DIGEST_WORKING_DAYS_BEFORE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()) : undefined),
    z.array(z.coerce.number().int('whole numbers of working days').min(0, 'whole numbers of working days from 0')).default([3]),
  ),
  DIGEST_TIME: z.preprocess(emptyToUndefined, z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:mm such as 08:00').default('08:00')),
  DIGEST_MORNING_TIME: z.preprocess(emptyToUndefined, z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'a local time HH:mm such as 07:30, or off').default('07:30')),
  MAX_BODY_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024, 'at least 1024').default(256 * 1024)),
  LLM_PROVIDER: z.preprocess(emptyToUndefined, z.enum(['none', 'openai', 'azure', 'compatible'], { errorMap: () => ({ message: 'none, openai, azure or compatible' }) }).default('none')),
  LLM_BASE_URL: z.preprocess(emptyToUndefined, z.string().url('a URL such as https://api.openai.com/v1').refine((u) => /^https?:\/\//i.test(u), 'an http:// or https:// URL').optional()),
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_AZURE_DEPLOYMENT: optionalString,
  LLM_API_VERSION: optionalString,
  LLM_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'a number of milliseconds' }).int('a whole number of milliseconds').min(100, 'between 100 and 60000 milliseconds').max(60000, 'between 100 and 60000 milliseconds').default(8000)),
  LLM_ALLOW_REPORT_TEXT: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { errorMap: () => ({ message: 'true or false' }) }).default('false')),
  RETENTION_FREE_TEXT_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'a whole number of days (0 keeps free text forever)' }).int('a whole number of days (0 keeps free text forever)').min(0, 'a whole number of days, 0 or more (0 keeps free text forever)').max(36500, 'at most 36500 days').default(730)),
  DELIVERY_LEDGER_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'a whole number of days (0 keeps the delivery ledger forever)' }).int('a whole number of days (0 keeps the delivery ledger forever)').refine((d) => d === 0 || d >= 31, 'at least 31 days (påminnelser shows the last 30), or 0 to keep the delivery ledger forever').refine((d) => d <= 36500, 'at most 36500 days').default(90)),
  BACKUP_KEEP: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'a whole number of backups to keep' }).int('a whole number of backups to keep').min(1, 'at least 1 backup to keep').max(1000, 'at most 1000 backups').default(7)),
  BACKUP_INTERVAL_HOURS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'a whole number of hours (0 turns backups off)' }).int('a whole number of hours (0 turns backups off)').min(0, 'a whole number of hours, 0 or more (0 turns backups off)').max(8760, 'at most 8760 hours').default(24)),
  BACKUP_DIR: optionalString,
});

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  envName: string;
  port: number;
  host: string;
  /** Local development mode: no credentials, 127.0.0.1 only, requests not authenticated. */
  devMode: boolean;
  bot: { id?: string; password?: string; tenantId?: string; type: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI' };
  dbPath: string;
  coordinatorIds: string[];
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
  status: { riskBelow: number; behindBelow: number };
  reminders: { enabled: boolean; weeklyWeekday: number; weeklyTime: string; digestWorkingDaysBefore: number[]; digestTime: string; morningDigest: boolean; morningTime: string };
  reports: { weeksBack: number; editWeeks: number; areas: string[]; partyByTenant: Record<string, 'Polisen' | 'Kommunen'>; partyByPerson: Record<string, 'Polisen' | 'Kommunen'> };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

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
      : need(raw.LLM_BASE_URL, 'LLM_BASE_URL', azure ? 'the Azure OpenAI endpoint, e.g. https://<resource>.openai.azure.com' : 'the server’s OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1');
  const model = azure ? need(raw.LLM_AZURE_DEPLOYMENT, 'LLM_AZURE_DEPLOYMENT', 'the Azure OpenAI deployment name') : need(raw.LLM_MODEL, 'LLM_MODEL', 'the model name');
  // A local compatible server may need no key; the OpenAI client still wants a non-empty one.
  const apiKey = provider === 'compatible' ? (raw.LLM_API_KEY ?? 'not-needed') : need(raw.LLM_API_KEY, 'LLM_API_KEY', 'the API key (put it in env/.env.<env>.user, never in git)');
  const loopback = baseUrl !== '' && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(baseUrl).hostname);
  if (azure && baseUrl && !baseUrl.startsWith('https://')) problems.push('LLM_BASE_URL: expected an https:// endpoint for Azure OpenAI');
  if (raw.NODE_ENV === 'production' && baseUrl.startsWith('http://') && !loopback) problems.push('LLM_BASE_URL: expected https:// in production (plain http only to a server on this machine)');
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, envDir = 'env'): Config {
  const envName = env.TEAMSFX_ENV && env.TEAMSFX_ENV.trim() !== '' ? env.TEAMSFX_ENV : 'local';
  const fromFiles = /^[a-z0-9-]+$/.test(envName) ? readEnvFiles(envName, envDir) : {};
  const source: Record<string, string | undefined> = { ...fromFiles };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) source[k] = v;

  const parsed = RawConfigSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: expected ${i.message} (got ${JSON.stringify(source[String(i.path[0])] ?? null)})`));
  }
  const raw = parsed.data;
  const problems: string[] = [];
  const devMode = !raw.BOT_ID;
  if (raw.BOT_ID && !raw.BOT_PASSWORD && raw.BOT_TYPE !== 'UserAssignedMSI') problems.push('BOT_PASSWORD: expected the client secret of BOT_ID (set it in env/.env.<env>.user, never in git)');
  if (raw.BOT_ID && raw.BOT_TYPE === 'SingleTenant' && !raw.BOT_TENANT_ID) problems.push('BOT_TENANT_ID: expected the tenant id of a SingleTenant bot registration');
  if (raw.NODE_ENV === 'production' && devMode) problems.push('BOT_ID: expected bot credentials (BOT_ID, BOT_PASSWORD, BOT_TENANT_ID) when NODE_ENV=production; unauthenticated mode is for local development only');
  if (raw.NODE_ENV === 'production' && raw.BOT_CLOCK) problems.push('BOT_CLOCK: expected to be unset when NODE_ENV=production (a shifted clock is for demos and tests)');
  if (devMode && raw.HOST && !['127.0.0.1', 'localhost', '::1'].includes(raw.HOST)) problems.push('HOST: expected 127.0.0.1 in local development mode (no BOT_ID): unauthenticated requests must not reach the network');
  if (raw.STATUS_BEHIND_BELOW > raw.STATUS_RISK_BELOW) problems.push('STATUS_BEHIND_BELOW: expected a fraction no larger than STATUS_RISK_BELOW');
  const llm = llmConfigOf(raw, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    nodeEnv: raw.NODE_ENV,
    envName,
    port: raw.PORT,
    host: devMode ? '127.0.0.1' : (raw.HOST ?? '0.0.0.0'),
    devMode,
    bot: { id: raw.BOT_ID, password: raw.BOT_PASSWORD, tenantId: raw.BOT_TENANT_ID, type: raw.BOT_TYPE },
    dbPath: raw.DB_PATH,
    coordinatorIds: raw.COORDINATOR_IDS,
    allowedTenantIds: raw.ALLOWED_TENANT_IDS,
    clockStart: raw.BOT_CLOCK ? new Date(raw.BOT_CLOCK) : undefined,
    logLevel: raw.LOG_LEVEL,
    maxBodyBytes: raw.MAX_BODY_BYTES,
    llm,
    retention: { freeTextDays: raw.RETENTION_FREE_TEXT_DAYS, deliveryLedgerDays: raw.DELIVERY_LEDGER_RETENTION_DAYS },
    backups: { dir: raw.BACKUP_DIR ?? join(dirname(raw.DB_PATH), 'backups'), keep: raw.BACKUP_KEEP, intervalHours: raw.BACKUP_INTERVAL_HOURS },
    status: { riskBelow: raw.STATUS_RISK_BELOW, behindBelow: raw.STATUS_BEHIND_BELOW },
    reminders: {
      enabled: raw.REMINDERS_ENABLED === 'true',
      weeklyWeekday: raw.REMINDER_WEEKDAY,
      weeklyTime: raw.REMINDER_TIME,
      digestWorkingDaysBefore: raw.DIGEST_WORKING_DAYS_BEFORE,
      digestTime: raw.DIGEST_TIME,
      morningDigest: raw.DIGEST_MORNING_TIME !== 'off',
      morningTime: raw.DIGEST_MORNING_TIME === 'off' ? '07:30' : raw.DIGEST_MORNING_TIME,
    },
    reports: {
      weeksBack: raw.REPORT_WEEKS_BACK,
      editWeeks: raw.REPORT_EDIT_WEEKS,
      areas: raw.REPORT_AREAS,
      partyByPerson: Object.fromEntries(raw.PARTY_BY_PERSON.map((p) => p.split('=') as [string, 'Polisen' | 'Kommunen']).map(([t, p]) => [t.toLowerCase(), p])),
      partyByTenant: Object.fromEntries(raw.PARTY_BY_TENANT.map((p) => p.split('=') as [string, 'Polisen' | 'Kommunen']).map(([t, p]) => [t.toLowerCase(), p])),
    },
  };
}
