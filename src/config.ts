import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
  MAX_BODY_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024, 'at least 1024').default(256 * 1024)),
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
  status: { riskBelow: number; behindBelow: number };
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
    status: { riskBelow: raw.STATUS_RISK_BELOW, behindBelow: raw.STATUS_BEHIND_BELOW },
    reports: {
      weeksBack: raw.REPORT_WEEKS_BACK,
      editWeeks: raw.REPORT_EDIT_WEEKS,
      areas: raw.REPORT_AREAS,
      partyByPerson: Object.fromEntries(raw.PARTY_BY_PERSON.map((p) => p.split('=') as [string, 'Polisen' | 'Kommunen']).map(([t, p]) => [t.toLowerCase(), p])),
      partyByTenant: Object.fromEntries(raw.PARTY_BY_TENANT.map((p) => p.split('=') as [string, 'Polisen' | 'Kommunen']).map(([t, p]) => [t.toLowerCase(), p])),
    },
  };
}
