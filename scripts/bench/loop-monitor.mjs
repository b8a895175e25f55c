// Preloaded into a bot process by the benchmark (node --import, via NODE_OPTIONS): measures the
// event loop from inside the process. perf_hooks.monitorEventLoopDelay samples the loop every 10 ms;
// a synchronous stretch of work of X ms shows up as a delay of about X ms.
//
// On SIGUSR2 and at exit it appends one JSON line to $BENCH_LOOP_FILE and starts a fresh histogram,
// so the benchmark can cut the process's life into phases (start-up, warm-up, each measured load):
//   {seq, reason, at, sinceMs, samples, maxMs, p99Ms, p50Ms, meanMs, rssBytes, heapUsedBytes}
// It changes nothing else in the process (no timers that keep it alive, no output on stdout).
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let seq = 0;
  let since = performance.now();
  const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;

  const snapshot = (reason) => {
    const now = performance.now();
    const samples = histogram.count;
    const mem = process.memoryUsage();
    const record = {
      seq: ++seq,
      reason,
      at: Date.now(),
      sinceMs: Math.round(now - since),
      samples,
      maxMs: samples > 0 ? ms(histogram.max) : 0,
      p99Ms: samples > 0 ? ms(histogram.percentile(99)) : 0,
      p50Ms: samples > 0 ? ms(histogram.percentile(50)) : 0,
      meanMs: samples > 0 ? ms(histogram.mean) : 0,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
    };
    try {
      appendFileSync(file, `${JSON.stringify(record)}\n`);
    } catch {
      /* the benchmark's temp dir is gone: nothing to report to */
    }
    histogram.reset();
    since = now;
  };

  process.on('SIGUSR2', () => snapshot('signal'));
  process.on('exit', () => snapshot('exit'));
}
