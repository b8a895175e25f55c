/**
 * How hard the generated tests push, in one place. A local `npm test` stays quick; CI (.ci/run)
 * runs the full strength with `FUZZ_COUNT=10000 PROPERTY_RUNS=1`.
 *
 * - FUZZ_COUNT: requests the HTTP fuzz test sends (default 1000; CI 10000).
 * - PROPERTY_RUNS: a multiplier on every fast-check numRuns written in the tests (default 0.25;
 *   1 is the full count each test names, 2 doubles it).
 */

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

export const FUZZ_COUNT = Math.round(positiveNumber('FUZZ_COUNT', 1000));
export const PROPERTY_RUNS = positiveNumber('PROPERTY_RUNS', 0.25);

/** The numRuns for a property whose full strength is `full` runs (at least `min`, default 1). */
export function runs(full: number, min = 1): number {
  return Math.max(min, Math.round(full * PROPERTY_RUNS));
}
