// Preloaded (node --import) by scripts/bench/profile.mjs: the first SIGUSR2 starts the V8 CPU
// profiler inside the process, the second stops it and writes the profile to $BENCH_PROFILE_FILE,
// so that the profile covers the measured turns only, not the start-up.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.BENCH_PROFILE_FILE;
if (file) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, result) => {
      writeFileSync(file, JSON.stringify(err ? { error: String(err) } : result.profile));
    });
  });
}
