// Closed-loop load against a bot's /api/messages: `concurrency` workers, each a Teams user of its
// own (its own personal conversation), send one request after another until `count` requests have
// been issued or `maxSeconds` have passed, whichever comes first. A message turn is complete when
// the HTTP request completes: CloudAdapter awaits the turn, and the turn awaits the reply posted to
// the stub connector. An invoke's answer (the receipt card) is the HTTP body.
import http from 'node:http';
import type { ConnectorStub } from '../../test/helpers/connector-stub.js';
import { makeUser, percentile, postJson, type PostResult, type User } from '../lib/bot-process.js';
import { cpuMsOf, systemBusyMs } from './proc.js';

export const USERS = Array.from({ length: 64 }, (_, i) => makeUser(i + 1));

/**
 * build(user, i) → { activity, expectReply: boolean, tag? }; check(res, activity) → true when the HTTP
 * answer is right (for invokes: the receipt); replyCheck(body) → true when the reply the stub
 * received is right (for messages). Both run after the timed part, on every answer.
 * Returns { name, concurrency, requests, seconds, turnsPerSecond, p50, p99, max, failures, botCpuMsPerTurn, clientCpuPct, otherCpuPct }.
 */
export interface PhaseOptions {
  name: string;
  endpoint: string;
  stub: ConnectorStub;
  pid: number;
  concurrency: number;
  count: number;
  maxSeconds: number;
  build: (
    user: User,
    i: number,
  ) => { activity: { id: string; type: string } & Record<string, unknown>; expectReply: boolean; tag?: string };
  check?: (res: PostResult, activity: { id: string; type: string }) => boolean;
  replyCheck?: (body: Record<string, any>) => boolean;
  /** Several instances of one bot (part e): request i goes to endpoints[i % n]; `endpoint` is then ignored. */
  endpoints?: string[];
  /** Their processes: bot CPU is the sum (`pid` is then ignored). */
  pids?: number[];
}

export interface Latencies {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export async function runPhase({
  name,
  endpoint,
  stub,
  pid,
  concurrency,
  count,
  maxSeconds,
  build,
  check = (res) => res.status === 200,
  replyCheck,
  endpoints = [endpoint],
  pids = [pid],
}: PhaseOptions) {
  const botCpu = (): number => pids.reduce((sum, p) => sum + cpuMsOf(p), 0);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const byTag = new Map<string, number[]>(); // tag → latencies (a mixed load: each kind of request on its own)
  const failures: string[] = [];
  const expected = new Map<string, true>(); // activity id → true (a message awaiting its reply)
  const answered: { res: PostResult; activity: { id: string; type: string }; expectReply: boolean; tag?: string }[] =
    [];
  stub.clear();
  let issued = 0;
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + maxSeconds * 1000;
  const cpu0 = botCpu();
  const client0 = process.cpuUsage();
  const busy0 = systemBusyMs();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const user = USERS[w % USERS.length]!;
      while (issued < count && Date.now() < deadline) {
        const i = issued++;
        const { activity, expectReply, tag } = build(user, i);
        const res = await postJson(endpoints[i % endpoints.length]!, activity, { agent, timeoutMs: 60000 });
        if (res.error || !(res.status !== undefined && res.status >= 200 && res.status < 300)) {
          failures.push(res.error ?? `HTTP ${res.status} ${String(res.text ?? '').slice(0, 120)}`);
          continue;
        }
        answered.push({ res, activity, expectReply, tag });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const botCpuMs = botCpu() - cpu0;
  const client = process.cpuUsage(client0);
  const busyMs = systemBusyMs() - busy0;
  agent.destroy();
  // Every answer is checked, after the timed part: reading a card's text costs the load generator
  // (which shares the machine and, at concurrency 1, the critical path) up to 0.15 ms per answer, and
  // that is the harness's time, not the bot's; a bot whose answers are richer would pay it alone.
  for (const { res, activity, expectReply, tag } of answered) {
    if (!check(res, activity)) {
      failures.push(`HTTP ${res.status} ${String(res.text ?? '').slice(0, 120)}`);
      continue;
    }
    latencies.push(res.ms);
    if (tag) byTag.set(tag, [...(byTag.get(tag) ?? []), res.ms]);
    if (expectReply) expected.set(activity.id, true);
  }
  // Every message must have had exactly its reply at the stub before its HTTP request completed.
  // Typing indicators are counted apart: teams-ai 1.7.4's Application.run starts its typing timer
  // whatever startTypingTimer says, so a message turn slower than 1 s also posts {type: 'typing'}.
  const replies = new Map<string, (typeof stub.posted)[number][]>();
  let typing = 0;
  for (const p of stub.posted) {
    if (p.body?.type === 'typing') typing++;
    else if (p.replyToId) replies.set(p.replyToId, [...(replies.get(p.replyToId) ?? []), p]);
  }
  let missingReplies = 0;
  let wrongReplies = 0;
  const replyProblems: string[] = [];
  const describe = (b: Record<string, any>): string =>
    b?.text
      ? JSON.stringify(String(b.text).slice(0, 80))
      : b?.attachments
        ? `a ${b.attachments[0]?.contentType ?? 'attachment'}`
        : JSON.stringify(b).slice(0, 80);
  for (const id of expected.keys()) {
    const got = replies.get(id) ?? [];
    if (got.length !== 1) {
      missingReplies++;
      replyProblems.push(
        `${got.length} replies${got.length ? `: ${got.map((p) => describe(p.body)).join(', ')}` : ''}`,
      );
    } else if (replyCheck && !replyCheck(got[0]!.body)) {
      wrongReplies++;
      replyProblems.push(`unexpected reply: ${describe(got[0]!.body)}`);
    }
  }
  stub.clear();
  latencies.sort((a, b) => a - b);
  const done = latencies.length;
  const tags: Record<string, Latencies> = {};
  for (const [tag, xs] of byTag) {
    xs.sort((a, b) => a - b);
    tags[tag] = { n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99), max: xs[xs.length - 1]! };
  }
  return {
    name,
    concurrency,
    requests: issued,
    ok: done,
    seconds,
    turnsPerSecond: done / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    tags,
    typingIndicators: typing,
    failures: failures.length + missingReplies + wrongReplies,
    failureSamples: [...new Set(failures)]
      .slice(0, 3)
      .concat(
        missingReplies ? [`${missingReplies} messages without exactly one reply`] : [],
        wrongReplies ? [`${wrongReplies} unexpected replies`] : [],
        [...new Set(replyProblems)].slice(0, 3),
      ),
    botCpuMsPerTurn: done > 0 ? botCpuMs / done : NaN,
    botCpuPct: (botCpuMs / (seconds * 1000)) * 100,
    clientCpuPct: ((client.user + client.system) / 1000 / (seconds * 1000)) * 100,
    // CPU used meanwhile by every other process on the machine (other work sharing the 2 cores).
    otherCpuPct: Math.max(0, ((busyMs - botCpuMs - (client.user + client.system) / 1000) / (seconds * 1000)) * 100),
  };
}
