import { botInstalled, cardAction, installationUpdate, message, TENANT, USER } from './activities.js';

/**
 * Generators of malformed activities and card payloads for the fuzz test (test/http/fuzz.test.ts),
 * driven by a seeded PRNG so that a run can be reproduced.
 */

export const COORDINATOR = { id: '29:coord', name: 'Kommunpolis', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
export const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Rng = ReturnType<typeof prng>;

// Texts with no URL scheme in them: nothing generated can point the bot at a host off this machine.
export const PERSONAL = [
  '19121212-1212',
  '121212-1212',
  '8112189876',
  '701063-2391',
  '121212+1212',
  'ABC 123',
  'abc123',
  '070-123 45 67',
  '+46 70 123 45 67',
  'anna.andersson@polisen.se',
  'K123456-24',
];
const WORDS = [
  'status',
  'rapportera',
  'rapport',
  'mina rapporter',
  'hjälp',
  'help',
  '?',
  'hur går det med trafiken?',
  'hur många trafikkontroller i år?',
  'vilka aktiviteter ligger efter?',
  'lägg till samordnare',
  'ta bort samordnare',
  'koppla kanal',
  'anmäl mig',
  'avanmäl mig',
  'borta till 2024-07-31',
  'borta till igår',
  'rapportörer',
  'nytt möte',
  'möten',
  'påminnelser',
  'sätt status',
  'ta bort status',
  'rapporteringsgrad',
  'exportera',
  'logg',
  'granskningslogg',
  'aktiviteter',
  'alla rapporter',
  'rapporter vecka 11',
  'rapporter v 99',
  'ny aktivitet',
  'sätt mål',
  'riktade insatser vecka 12',
  'vad har gjorts i Centrum?',
  'Löfte 1',
  'vecka 53',
  'tertial 4',
  'år 1900',
];
const ODD = [
  '',
  ' ',
  '\u0000',
  '\n\r\t',
  '\u200b\u200d\u2060',
  '\u202eabc\u202c',
  'Å Ä Ö å ä ö é ü ß',
  '😀👮‍♀️🏳️‍🌈',
  '\ud83d',
  'z\u0301\u0301\u0301\u0301',
  '𝕳𝖊𝖏',
  '你好',
  'مرحبا',
  '<at>Medborgarlöfte</at>',
  '<at>x</at><at>',
  '**fet** _kursiv_ [länk](javascript:alert(1))',
  '<script>alert(1)</script>',
  '${process.exit(1)}',
  '{{$temp.input}}',
  '%s%n%x',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../etc/passwd',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'undefined',
  'true',
  '0x1F',
  '٣',
  '2024-W11',
  '2024-W99',
  '2024-02-30',
  '9999-12-31',
];

function randomText(r: Rng, huge = false): string {
  if (huge) {
    const unit = r.pick(['x', 'å', '😀', 'ab ', '1', ' ', ...PERSONAL.map((p) => `${p} `)]);
    return unit.repeat(1000 + r.int(30_000)).slice(0, 120_000);
  }
  switch (r.int(6)) {
    case 0:
      return r.pick(WORDS);
    case 1:
      return r.pick(ODD);
    case 2:
      return `${r.pick(WORDS)} ${r.pick(ODD)} ${r.chance(0.3) ? r.pick(PERSONAL) : ''}`;
    case 3:
      return Array.from({ length: 1 + r.int(12) }, () =>
        String.fromCodePoint(
          r.chance(0.7)
            ? 32 + r.int(95)
            : r.pick([0xe5, 0xe4, 0xf6, 0x1f600, 0x200b, 0xfffd, 0x10ffff, 0x7f, 0x85, 0x2028]),
        ),
      ).join('');
    case 4:
      return `Vi gjorde ${r.int(50)} kontroller, ${r.pick(PERSONAL)} nämndes`;
    default:
      return String(r.int(1_000_000) - 500_000);
  }
}

function randomNumber(r: Rng): number {
  return r.pick([
    0,
    -1,
    1,
    3,
    2.5,
    -0.5,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 31,
    -(2 ** 53),
    1e-300,
    r.int(100),
  ]);
}

/** Any JSON value, nested up to `depth`. */
function randomValue(r: Rng, depth = 3): unknown {
  const k = r.int(depth > 0 ? 9 : 6);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return randomNumber(r);
    case 3:
    case 4:
      return randomText(r);
    case 5:
      return r.chance(0.5) ? {} : [];
    case 6:
    case 7: {
      const o: Record<string, unknown> = {};
      const n = r.int(5);
      for (let i = 0; i < n; i++)
        o[
          r.chance(0.3)
            ? r.pick(['__proto__', 'constructor', 'id', 'type', 'text', 'value', 'toString', 'length'])
            : randomText(r).slice(0, 20)
        ] = randomValue(r, depth - 1);
      return o;
    }
    default:
      return Array.from({ length: r.int(5) }, () => randomValue(r, depth - 1));
  }
}

/** A value nested `levels` deep, built without recursion. */
function deep(levels: number, r: Rng): unknown {
  let v: unknown = randomText(r);
  for (let i = 0; i < levels; i++) v = r.chance(0.5) ? [v] : { a: v };
  return v;
}

/** Wrong for the field, whatever the field is: another type, null, an array, a huge or odd string. */
function wrongValue(r: Rng): unknown {
  switch (r.int(8)) {
    case 0:
      return null;
    case 1:
      return randomNumber(r);
    case 2:
      return [randomValue(r, 1), randomValue(r, 1)];
    case 3:
      return { id: randomValue(r, 1), type: randomValue(r, 1) };
    case 4:
      return r.chance(0.05) ? randomText(r, true) : randomText(r);
    case 5:
      return deep(10 + r.int(r.chance(0.1) ? 3000 : 100), r);
    case 6:
      return r.chance(0.5);
    default:
      return randomValue(r, 3);
  }
}

const FIELD_PATHS = [
  'type',
  'id',
  'timestamp',
  'localTimestamp',
  'channelId',
  'from',
  'from.id',
  'from.aadObjectId',
  'from.name',
  'recipient',
  'recipient.id',
  'recipient.name',
  'conversation.tenantId',
  'conversation.conversationType',
  'conversation.isGroup',
  'conversation.name',
  'channelData',
  'channelData.tenant',
  'channelData.tenant.id',
  'channelData.team',
  'channelData.team.id',
  'channelData.channel',
  'channelData.channel.id',
  'channelData.eventType',
  'text',
  'textFormat',
  'locale',
  'entities',
  'attachments',
  'value',
  'value.action',
  'value.action.verb',
  'value.action.data',
  'value.action.type',
  'value.trigger',
  'name',
  'membersAdded',
  'membersRemoved',
  'action',
  'replyToId',
  'relatesTo',
  'label',
  'valueType',
  'from.properties',
  'recipient.properties',
  'conversation.properties',
  'channelData.settings',
  'channelData.x',
  'value.x',
  'summary',
  'suggestedActions',
  'callerId',
  'deliveryMode',
  'expiration',
  'importance',
  'listenFor',
  'semanticAction',
  'speak',
  'inputHint',
  'topicName',
  'historyDisclosed',
];

function setPath(target: Record<string, unknown>, path: string, value: unknown, remove: boolean): void {
  const keys = path.split('.');
  let o: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = o[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) {
      if (remove) return;
      o[key] = {};
    } else {
      o[key] = { ...(next as Record<string, unknown>) };
    }
    o = o[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (remove) delete o[last];
  else o[last] = value;
}

/** Report card data near the valid shape, with some fields broken. */
function reportData(r: Rng, reportIds: string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {
    submissionId: r.chance(0.8) ? `fuzz-${r.int(1e9)}-${r.int(1e9)}` : wrongValue(r),
    week: r.pick(['2024-W11', '2024-W10', '2024-W07', '2024-W12', '2023-W52', '2024-W53', '2024-W00', '11', '']),
    activityId: r.pick([
      'trafikkontroller',
      'riktade-insatser-narkotika',
      'ovrigt-lofte-1',
      'ovrigt-lofte-9',
      'krogkontroller',
      'finns-inte',
      '',
      'trafikkontroller ',
    ]),
    count: r.pick(['3', '0', '-1', '1.5', '1e3', '999999999', ' 7 ', '３', '', 'tre']),
    date: r.pick(['2024-03-13', '2024-03-11', '2024-03-14', '2024-03-15', '2024-02-30', '13/3 2024', '']),
    area: r.pick(['Centrum', 'Resecentrum', 'Krogmiljön', 'Skolor', 'Hela kommunen', 'Annat', 'Storgatan 5', '']),
    description: r.pick([
      '3 kontroller vid infarten',
      '',
      'Samtal med ungdomar vid resecentrum',
      randomText(r),
      `Förare ${r.pick(PERSONAL)} fick ordningsbot`,
    ]),
    ageUnder18: r.pick(['', '0', '2', '-3', 'x']),
    age18to21: r.pick(['', '1', '1.2']),
    ageOver21: r.pick(['', '4', '99999999']),
    raiseAtNextMeeting: r.pick(['true', 'false', '', 'ja']),
    party: r.pick(['Polisen', 'Kommunen', 'Båda', '', 'polisen']),
    reportId: reportIds.length > 0 && r.chance(0.7) ? r.pick(reportIds) : randomText(r),
  };
  if (r.chance(0.35)) {
    // A valid report, then at most one field broken: these reach the store or fail on one rule.
    Object.assign(data, {
      week: '2024-W11',
      activityId: r.pick(['trafikkontroller', 'ovrigt-lofte-1', 'krogkontroller']),
      count: String(r.int(20)),
      date: r.pick(['2024-03-11', '2024-03-13']),
      ageUnder18: '',
      age18to21: '',
      ageOver21: r.pick(['', '3']),
      area: 'Centrum',
      description: r.pick(['3 kontroller vid infarten', 'Samtal med ungdomar vid resecentrum', '']),
      party: r.pick(['Polisen', 'Kommunen']),
      raiseAtNextMeeting: 'false',
    });
    if (r.chance(0.5)) return data;
  }
  const broken = 1 + r.int(3);
  const keys = Object.keys(data);
  for (let i = 0; i < broken; i++) {
    const key = r.pick(keys);
    switch (r.int(5)) {
      case 0:
        delete data[key];
        break;
      case 1:
        data[key] = [typeof data[key] === 'string' ? data[key] : JSON.stringify(data[key] ?? ''), 'extra'];
        break;
      case 2:
        data[key] = r.pick(PERSONAL);
        break;
      case 3:
        data[key] = r.pick([-5, -1, 3, 2.5, 1e21, null, true, {}]);
        break;
      default:
        data[key] = wrongValue(r);
    }
  }
  if (r.chance(0.1))
    data[r.pick(['__proto__', 'constructor', 'history', 'id', 'reporterId', 'withdrawn', 'agreementId'])] = randomValue(
      r,
      2,
    );
  return data;
}

/** Weighted towards the verbs that take data and write. */
const VERBS = [
  'report.submit',
  'report.submit',
  'report.submit',
  'report.submit',
  'report.save',
  'report.save',
  'report.withdraw',
  'report.edit',
  'status.pledge',
  'report.open',
  'status.show',
  'help.show',
  'report.mine',
];

export type Case = { body: string | Buffer; invoke: boolean; label: string };

export function generate(r: Rng, serviceUrl: string, reportIds: string[]): Case {
  const from = r.pick([
    USER,
    USER,
    COORDINATOR,
    { id: '29:x', aadObjectId: 'eeeeeeee-0000-4000-8000-00000000000e', name: 'Annan' },
  ]);
  const kind = r.pick(['personal', 'channel', 'groupChat'] as const);
  const where = {
    serviceUrl,
    from,
    kind,
    locale: r.chance(0.1) ? 'en-US' : 'sv-SE',
    conversationId: r.chance(0.5) ? undefined : `a:fuzz-${r.int(50)}`,
  };
  const roll = r.next();
  let label: string;
  let activity: Record<string, unknown>;

  if (roll < 0.04) {
    // Not an activity at all: raw bytes, broken JSON, deep nesting.
    const raw = r.pick([
      () => '{"type":"message","text":',
      () => '['.repeat(1 + r.int(60_000)),
      () => `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      () => `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
      () => Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      () => JSON.stringify(randomText(r)),
      () => '\u0000',
      () => '',
      () => `{"type":"message","serviceUrl":"${serviceUrl}","conversation":{"id":"a:1"},"text":"\\ud800"}`,
      () => `{"type":"message","serviceUrl":"${serviceUrl}","conversation":{"id":"a:1"},"text":"x","text":{"dup":1}}`,
    ])();
    return { body: raw, invoke: false, label: 'raw' };
  } else if (roll < 0.12) {
    label = 'json';
    activity = (
      r.chance(0.5)
        ? randomValue(r, 4)
        : {
            type: randomValue(r, 1),
            serviceUrl: r.pick([serviceUrl, randomValue(r, 1)]),
            conversation: randomValue(r, 2),
            ...(randomValue(r, 2) as object),
          }
    ) as Record<string, unknown>;
  } else if (roll < 0.55) {
    label = 'card';
    const verb = r.chance(0.85) ? r.pick(VERBS) : randomText(r);
    const data = r.chance(0.8)
      ? reportData(r, reportIds)
      : r.chance(0.5)
        ? { pledgeNumber: wrongValue(r) }
        : (randomValue(r, 3) as Record<string, unknown>);
    activity = cardAction(verb, data, where);
  } else if (roll < 0.85) {
    label = 'message';
    activity = message(r.chance(0.05) ? randomText(r, true) : randomText(r), where);
    if (r.chance(0.3)) {
      activity.entities = Array.from({ length: r.int(4) }, () =>
        r.chance(0.6)
          ? {
              type: r.pick(['mention', 'Mention', 'clientInfo', 7]),
              text: randomValue(r, 1),
              mentioned: r.chance(0.7)
                ? { id: r.pick(['28:bot-id', '29:user-1', '29:nobody', randomValue(r, 1)]), name: randomValue(r, 1) }
                : randomValue(r, 1),
            }
          : randomValue(r, 2),
      );
    }
  } else {
    label = 'event';
    activity = r.pick([
      () => botInstalled(where),
      () => installationUpdate(r.chance(0.5) ? 'add' : 'remove', where),
      () => ({
        ...message('', where),
        type: r.pick([
          'typing',
          'messageReaction',
          'event',
          'invoke',
          'endOfConversation',
          'messageUpdate',
          'messageDelete',
          'trace',
          'handoff',
          'command',
          'x',
        ]),
        name: r.pick([
          '',
          'signin/verifyState',
          'composeExtension/query',
          'task/fetch',
          'fileConsent/invoke',
          'actionableMessage/executeAction',
          'config/fetch',
          'adaptiveCard/action',
          randomText(r),
        ]),
        value: randomValue(r, 2),
      }),
    ])() as Record<string, unknown>;
  }

  // Break up to 4 fields of half the activities.
  const mutations = r.chance(0.5) ? 0 : 1 + r.int(4);
  for (let i = 0; i < mutations && activity && typeof activity === 'object' && !Array.isArray(activity); i++) {
    // A wrong type (the edge answers 400), or a string of odd content that goes through to the turn.
    setPath(activity, r.pick(FIELD_PATHS), r.chance(0.5) ? wrongValue(r) : randomText(r), r.chance(0.2));
  }
  if (activity && typeof activity === 'object' && !Array.isArray(activity)) {
    if (r.chance(0.05))
      setPath(
        activity,
        r.pick(['channelData.tenant.id', 'conversation.tenantId']),
        r.pick([OTHER_TENANT, TENANT.toUpperCase(), '', ' ']),
        false,
      );
    // Never let the bot be pointed at a host off this machine: only our stub, a closed loopback port, or a non-URL.
    const s = (activity as Record<string, unknown>).serviceUrl;
    if (typeof s === 'string' && ![serviceUrl, 'http://127.0.0.1:1/', 'not a url', ''].includes(s))
      (activity as Record<string, unknown>).serviceUrl = r.chance(0.97)
        ? serviceUrl
        : r.pick(['http://127.0.0.1:1/', 'not a url', '']);
  }
  const invoke = Boolean(
    activity && typeof activity === 'object' && (activity as Record<string, unknown>).type === 'invoke',
  );
  return { body: JSON.stringify(activity) ?? 'null', invoke, label };
}
