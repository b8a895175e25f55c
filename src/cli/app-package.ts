/**
 * Builds the Teams app package (appPackage/build/appPackage.<env>.zip) from teamsAppManifest/.
 * This module holds the pure parts (placeholders, schema validation, zip) so that they can be
 * tested; `package-app.ts` is only a thin entry point.
 *
 * ajv, ajv-formats and @microsoft/app-manifest are dev dependencies and are therefore loaded
 * dynamically, with a clear error message if they are missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { parseEnv } from 'node:util';
import { ZipFile } from 'yazl';

/** The manifest version teamsAppManifest/manifest.json uses. */
export const MANIFEST_SCHEMA_VERSION = 'v1.24';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/${MANIFEST_SCHEMA_VERSION}/MicrosoftTeams.schema.json`;

export const MANIFEST_DIR = 'teamsAppManifest';
export const OUTPUT_DIR = join('appPackage', 'build');

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** An error shown to the user as it is (without a stack trace). */
export class AppPackageError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'AppPackageError';
  }
}

export type EnvMap = Record<string, string | undefined>;

// ------------------------------------------------------------------ environment

/** The name of the Teams Toolkit environment: TEAMSFX_ENV or "local". */
export function resolveEnvName(env: EnvMap): string {
  const name = env.TEAMSFX_ENV?.trim() || 'local';
  if (!ENV_NAME.test(name)) {
    throw new AppPackageError(
      `TEAMSFX_ENV har värdet "${name}", men ett miljönamn får bara innehålla bokstäver, siffror, "-" och "_" (t.ex. "local" eller "dev").`,
    );
  }
  return name;
}

/**
 * Reads env files as Teams Toolkit does: env/.env.<env> and then env/.env.<env>.user (which wins
 * over the first). Values in `processEnv` win over both. Missing files are skipped.
 */
export function loadTeamsToolkitEnv(
  projectDir: string,
  envName: string,
  processEnv: EnvMap = process.env,
): {
  env: EnvMap;
  loadedFiles: string[];
} {
  const loadedFiles: string[] = [];
  const fromFiles: EnvMap = {};
  for (const file of [`.env.${envName}`, `.env.${envName}.user`]) {
    const path = join(projectDir, 'env', file);
    if (!existsSync(path)) continue;
    Object.assign(fromFiles, parseEnv(readFileSync(path, 'utf8')));
    loadedFiles.push(join('env', file));
  }
  const env: EnvMap = { ...fromFiles };
  for (const [key, value] of Object.entries(processEnv)) {
    if (value !== undefined) env[key] = value;
  }
  return { env, loadedFiles };
}

// ----------------------------------------------------------- placeholders

/** Every `${{NAME}}` that occurs in the text, in order and without duplicates. */
export function findPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Replaces `${{NAME}}` with values from `env`. The values are JSON-escaped because the
 * placeholders stand inside JSON strings. Returns the names that have no value (they are left
 * untouched in the text).
 */
export function substitutePlaceholders(text: string, env: EnvMap): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const result = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return whole;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  return { text: result, missing: [...missing] };
}

export function isGuid(value: string | undefined): value is string {
  return value !== undefined && GUID.test(value.trim());
}

/** Checks BOT_ID and throws a Swedish error explaining what is expected. */
export function assertBotId(env: EnvMap, envName = 'local'): string {
  const value = env.BOT_ID?.trim();
  const where = `env/.env.${envName}, env/.env.${envName}.user eller som miljövariabel`;
  if (!value) {
    throw new AppPackageError(
      `BOT_ID saknas. Ange botens Microsoft App ID (Azure Bot-registreringens klient-ID) som ett GUID, ` +
        `t.ex. BOT_ID=00000000-0000-0000-0000-000000000000, i ${where}.`,
    );
  }
  if (!isGuid(value)) {
    throw new AppPackageError(
      `BOT_ID har värdet "${value}", som inte är ett giltigt GUID. Förväntat är botens Microsoft App ID ` +
        `på formen xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hexadecimala tecken), angivet i ${where}.`,
    );
  }
  return value;
}

/**
 * Replaces the placeholders in the manifest template and parses the result as JSON.
 * Throws AppPackageError if BOT_ID is wrong or if a placeholder has no value.
 */
export function renderManifest(template: string, env: EnvMap, envName = 'local'): Record<string, unknown> {
  const botId = assertBotId(env, envName);
  const { text, missing } = substitutePlaceholders(template, { ...env, BOT_ID: botId });
  if (missing.length > 0) {
    throw new AppPackageError(
      `Manifestet innehåller platshållare utan värde: ${missing.map((n) => `\${{${n}}}`).join(', ')}. ` +
        `Ange ${missing.join(', ')} i env/.env.${envName}, env/.env.${envName}.user eller som miljövariabel.`,
    );
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new AppPackageError(
      `manifest.json är inte giltig JSON efter ersättning av platshållare: ${(err as Error).message}`,
    );
  }
}

// -------------------------------------------------------- schema validation

const require = createRequire(import.meta.url);

function missingDevDependency(name: string, err: unknown): AppPackageError {
  return new AppPackageError(
    `Utvecklingsberoendet "${name}" kunde inte laddas (${(err as Error).message.split('\n')[0]}). ` +
      `Kör "npm install" (utan --omit=dev) i projektkatalogen innan du kör "npm run package".`,
  );
}

/** Reads the official manifest schema from @microsoft/app-manifest (offline). */
export function loadManifestSchema(version = MANIFEST_SCHEMA_VERSION): Record<string, unknown> {
  let schemaPath: string;
  try {
    const pkgDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
    schemaPath = join(pkgDir, 'build', 'json-schemas', 'teams', version, 'MicrosoftTeams.schema.json');
  } catch (err) {
    throw missingDevDependency('@microsoft/app-manifest', err);
  }
  if (!existsSync(schemaPath)) {
    throw new AppPackageError(
      `Schemat för manifestversion ${version} finns inte i @microsoft/app-manifest (${schemaPath}). Uppdatera paketet eller ändra manifestVersion.`,
    );
  }
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
}

export type ManifestValidator = (manifest: unknown) => string[];

/**
 * Compiles the schema with ajv + ajv-formats. The Teams schema declares draft-04 but uses no
 * draft-04-specific keywords (`id`, boolean `exclusiveMinimum/Maximum`), so it is compiled in
 * ajv's default mode after `$schema` has been removed.
 */
export async function createManifestValidator(
  schema: Record<string, unknown> = loadManifestSchema(),
): Promise<ManifestValidator> {
  let AjvClass: typeof import('ajv').Ajv;
  let addFormats: import('ajv-formats').FormatsPlugin;
  try {
    ({ Ajv: AjvClass } = await import('ajv'));
  } catch (err) {
    throw missingDevDependency('ajv', err);
  }
  try {
    // ajv-formats is CommonJS: the default import is module.exports (the plugin), and the plugin
    // also has .default pointing at itself, which is the one TypeScript knows about.
    addFormats = (await import('ajv-formats')).default.default;
  } catch (err) {
    throw missingDevDependency('ajv-formats', err);
  }
  const ajv = new AjvClass({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  const { $schema: _draft, ...schemaBody } = schema;
  const validate = ajv.compile(schemaBody);
  return (manifest: unknown) => {
    if (validate(manifest)) return [];
    return (validate.errors ?? []).map((e) => {
      const path = e.instancePath || '(roten)';
      return `${path}: ${e.message ?? 'ogiltigt värde'} ${JSON.stringify(e.params)}`;
    });
  };
}

/** Validates a manifest against the official schema. An empty list = valid. */
export async function validateManifest(manifest: unknown, schema?: Record<string, unknown>): Promise<string[]> {
  const validate = await createManifestValidator(schema);
  return validate(manifest);
}

// ----------------------------------------------------------------- icons

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

/** Reads the PNG header (IHDR). Throws if the file is not a PNG. */
export function readPngInfo(data: Buffer): PngInfo {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length < 33 || !data.subarray(0, 8).equals(signature) || data.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('inte en PNG-fil');
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), bitDepth: data[24]!, colorType: data[25]! };
}

const ICON_SIZES = { color: 192, outline: 32 } as const;

// -------------------------------------------------------------------- zip

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** A fixed timestamp so that the same input gives the same zip file. */
const ZIP_MTIME = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

/** Builds a zip archive in memory with the files at the archive's root (or the given path). */
export function buildZip(entries: readonly ZipEntry[], mtime: Date = ZIP_MTIME): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    try {
      for (const entry of entries) {
        zip.addBuffer(entry.data, entry.name, { mtime, mode: 0o100644 });
      }
      zip.end();
    } catch (err) {
      reject(err);
    }
  });
}

// ------------------------------------------------------------- the whole

export interface PackageAppOptions {
  projectDir: string;
  /** Environment variables (default: process.env). They win over the env files. */
  processEnv?: EnvMap;
}

export interface PackageAppResult {
  envName: string;
  outputPath: string;
  loadedEnvFiles: string[];
  files: string[];
}

/**
 * Reads the manifest, replaces placeholders, validates against the schema and writes
 * appPackage/build/appPackage.<env>.zip with manifest.json and the icons.
 */
export async function packageApp({
  projectDir,
  processEnv = process.env,
}: PackageAppOptions): Promise<PackageAppResult> {
  const envName = resolveEnvName(processEnv);
  const { env, loadedFiles } = loadTeamsToolkitEnv(projectDir, envName, processEnv);

  const manifestDir = join(projectDir, MANIFEST_DIR);
  const template = await readFile(join(manifestDir, 'manifest.json'), 'utf8');
  const manifest = renderManifest(template, env, envName);

  const errors = await validateManifest(manifest);
  if (errors.length > 0) {
    throw new AppPackageError(
      `manifest.json följer inte schemat för Teams-manifest ${MANIFEST_SCHEMA_VERSION}:`,
      errors,
    );
  }

  const icons = manifest.icons as Record<keyof typeof ICON_SIZES, string>;
  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') },
  ];
  for (const kind of Object.keys(ICON_SIZES) as (keyof typeof ICON_SIZES)[]) {
    const relPath = posix.normalize(icons[kind]);
    if (relPath.startsWith('..') || posix.isAbsolute(relPath)) {
      throw new AppPackageError(`Ikonen icons.${kind} ("${icons[kind]}") måste ligga i ${MANIFEST_DIR}/.`);
    }
    const path = join(manifestDir, relPath);
    if (!existsSync(path)) {
      throw new AppPackageError(
        `Ikonen ${MANIFEST_DIR}/${relPath} saknas (icons.${kind}). Generera den med "node scripts/make-icons.mjs".`,
      );
    }
    const data = await readFile(path);
    let info: PngInfo;
    try {
      info = readPngInfo(data);
    } catch {
      throw new AppPackageError(`${MANIFEST_DIR}/${relPath} är ingen PNG-fil.`);
    }
    const size = ICON_SIZES[kind];
    if (info.width !== size || info.height !== size) {
      throw new AppPackageError(
        `${MANIFEST_DIR}/${relPath} är ${info.width}×${info.height} pixlar, men Teams kräver ${size}×${size} för icons.${kind}.`,
      );
    }
    entries.push({ name: relPath, data });
  }

  const zip = await buildZip(entries);
  const outputPath = join(projectDir, OUTPUT_DIR, `appPackage.${envName}.zip`);
  await mkdir(dirname(outputPath), { recursive: true });
  await writeFile(outputPath, zip);
  return { envName, outputPath, loadedEnvFiles: loadedFiles, files: entries.map((e) => e.name) };
}
