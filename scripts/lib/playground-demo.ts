// npm run playground:demo, up to the point where the bot and the Playground start: fresh demo data
// in its own folder, a clock inside the demo period, a Playground config whose user is a
// coordinator (or a plain rapportör), and the instructions printed for the newcomer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateDemo } from '../../src/cli/demo.js';
import { addLocalDays, localDateOf } from '../../src/domain/calendar.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { playgroundConfig, PLAYGROUND_USER_AAD_ID } from './playground-config.js';

/** Its own folder, apart from data/db.json, data/demo/ (npm run demo) and data/playground/. */
export const PLAYGROUND_DEMO_DIR = 'data/playground-demo';
/** A Thursday in the Tranås 2023–2024 period, in tertial 1 of 2024 (the e2e run's clock). */
export const PLAYGROUND_DEMO_CLOCK = '2024-03-14T09:00:00+01:00';

export type DemoRole = 'coordinator' | 'reporter';

export interface PlaygroundDemo {
  dir: string;
  dbPath: string;
  clock: string;
  /** The day the demo reports run to: the day before the clock's date. */
  until: string;
  reports: number;
  role: DemoRole;
  /** The Playground's config file (M365_AGENTS_PLAYGROUND_CONFIG_PATH). */
  playgroundConfigPath: string;
  /** For the bot and the Playground (both inherit the environment of npm run playground:demo). */
  env: { COORDINATOR_IDS: string; PARTY_BY_PERSON: string; M365_AGENTS_PLAYGROUND_CONFIG_PATH: string };
}

/**
 * Writes the demo: the folder `dir` (relative to `root`) gets fresh demo data (every start begins
 * anew), the Playground config. `clock` must lie inside the demo agreement's period.
 */
export async function preparePlaygroundDemo({
  root,
  dir = PLAYGROUND_DEMO_DIR,
  clock = PLAYGROUND_DEMO_CLOCK,
  role = 'coordinator',
}: {
  root: string;
  dir?: string;
  clock?: string;
  role?: DemoRole;
}): Promise<PlaygroundDemo> {
  const instant = new Date(clock);
  if (Number.isNaN(instant.getTime())) throw new Error(`BOT_CLOCK is not a date and time: ${clock}`);
  const today = localDateOf(instant);
  const { periodStart, periodEnd } = TRANAS_2023_2024;
  if (today <= periodStart || today > periodEnd)
    throw new Error(
      `BOT_CLOCK ${clock} lies outside the demo period ${periodStart}..${periodEnd} (after its first day): the demo would show nothing`,
    );
  const folder = resolve(root, dir);
  mkdirSync(folder, { recursive: true });
  const dbPath = join(folder, 'db.json');
  const until = addLocalDays(today, -1);
  const reports = await generateDemo(dbPath, until, resolve(root, 'data', 'db.json'));
  const playgroundConfigPath = join(folder, '.m365agentsplayground.yml');
  writeFileSync(playgroundConfigPath, playgroundConfig(PLAYGROUND_USER_AAD_ID));
  return {
    dir: folder,
    dbPath,
    clock,
    until,
    reports,
    role,
    playgroundConfigPath,
    env: {
      COORDINATOR_IDS: role === 'coordinator' ? PLAYGROUND_USER_AAD_ID : '',
      // The coordinator is the kommunpolis: they approve the follow-up for Polisen.
      PARTY_BY_PERSON: role === 'coordinator' ? `${PLAYGROUND_USER_AAD_ID}=Polisen` : '',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: playgroundConfigPath,
    },
  };
}

/** What to try, printed once both are up (developer console: English, the commands as typed). */
export function demoInstructions(demo: PlaygroundDemo, url: string): string {
  const coordinator = demo.role === 'coordinator';
  return [
    `Demo: ${demo.reports} synthetic [Demo] reports (Tranås 2023–2024, up to ${demo.until}) in ${demo.dbPath},`,
    `      the bot's clock from ${demo.clock}; every start writes the demo data anew.`,
    coordinator
      ? `You:  Alex Wilber, a coordinator of Polisen (COORDINATOR_IDS and PARTY_BY_PERSON name the Playground user, ${PLAYGROUND_USER_AAD_ID}).`
      : 'You:  Alex Wilber, a rapportör (PLAYGROUND_ROLE=reporter); without it you are a coordinator.',
    '',
    `Open ${url} and try, in the personal chat:`,
    '  hjälp                                   what the bot can do',
    '  status                                  one line per löfte; "Visa allt" for every aktivitet',
    '  rapportera                              the week on one card: rows, "Lägg till rad", "Inget att rapportera"',
    '                                          (a personnummer in a note is refused, what you typed is kept)',
    '  hur många trafikkontroller vecka 10?    questions; also "sammanfatta tertial 1"',
    '  mina rapporter, anmäl mig               your reports; register for the Thursday reminder',
    ...(coordinator
      ? [
          "  alla rapporter, rapporteringsgrad       coordinators: everyone's reports, who has reported",
          '  nytt möte, möten, protokoll             follow-up meetings, their calendar file, decisions',
          '  påminnelser                             what is planned in the next 14 days and what went out',
          '  uppföljning tertial 3 2023              the follow-up to comment and approve; Word, PDF and text',
          '  kf-rapport 2023                         the report to kommunfullmäktige for 2023',
          '  ny period                               the card that copies the agreement into its next period',
        ]
      : []),
    'In the team (left: My Team > a channel), @mention the bot: "@Test Bot hjälp"' +
      (coordinator ? ', then "@Test Bot koppla kanal" to link the channel for reminders and digests.' : '.'),
    coordinator
      ? 'To try it as a plain rapportör: PLAYGROUND_ROLE=reporter npm run playground:demo'
      : 'To try it as a coordinator again: npm run playground:demo',
  ].join('\n');
}
