/**
 * `npm run package` – builds the Teams app package appPackage/build/appPackage.<env>.zip.
 *
 * The environment is chosen with TEAMSFX_ENV (default "local"). Values are read from
 * env/.env.<env> and env/.env.<env>.user; environment variables win.
 * All the logic is in app-package.ts.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppPackageError, MANIFEST_DIR, packageApp } from './app-package.js';

/** The project root: the nearest directory upwards that holds teamsAppManifest/manifest.json. */
function findProjectDir(): string {
  for (const start of [process.cwd(), dirname(fileURLToPath(import.meta.url))]) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, MANIFEST_DIR, 'manifest.json'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new AppPackageError(`Hittar inte ${MANIFEST_DIR}/manifest.json. Kör kommandot i projektkatalogen.`);
}

async function main(): Promise<void> {
  const projectDir = findProjectDir();
  const result = await packageApp({ projectDir });
  const envFiles =
    result.loadedEnvFiles.length > 0 ? result.loadedEnvFiles.join(', ') : 'inga env-filer, bara miljövariabler';
  console.log(`Miljö: ${result.envName} (${envFiles})`);
  console.log(
    `Manifestet är giltigt. Skrev ${relative(projectDir, result.outputPath)} med ${result.files.join(', ')}.`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof AppPackageError) {
    console.error(`Fel: ${err.message}`);
    for (const detail of err.details) console.error(`  - ${detail}`);
  } else {
    console.error('Oväntat fel när appaketet skulle byggas:', err);
  }
  process.exitCode = 1;
});
