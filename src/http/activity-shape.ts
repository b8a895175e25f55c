/**
 * The shape an activity must have before botbuilder and teams-ai see it. They dereference the
 * well-known fields without checking their types (`entities[i].type.toLowerCase()`, `from.id` for
 * the turn state, `recipient.id` for mentions...), so a field of the wrong type would throw deep in
 * a turn and become a 5xx or a 501. Here every well-known field is checked once, at the edge:
 * absent or null is fine for optional fields (null is removed, as if absent), the wrong type is a
 * 400 naming the field. Unknown fields and `value` (free-form by design) pass untouched.
 *
 * Pure: no framework imports; `normalizeActivity` mutates only the object it is given.
 */

type Kind = 'string' | 'boolean' | 'object' | 'array';

const kindOf = (v: unknown): Kind | 'other' =>
  typeof v === 'string'
    ? 'string'
    : typeof v === 'boolean'
      ? 'boolean'
      : Array.isArray(v)
        ? 'array'
        : v !== null && typeof v === 'object'
          ? 'object'
          : 'other';

const isObject = (v: unknown): v is Record<string, unknown> => kindOf(v) === 'object';

/** Optional top-level fields of a Bot Framework activity and their types. */
const TOP_LEVEL: Record<string, Kind> = {
  id: 'string',
  channelId: 'string',
  timestamp: 'string',
  localTimestamp: 'string',
  localTimezone: 'string',
  callerId: 'string',
  text: 'string',
  textFormat: 'string',
  speak: 'string',
  inputHint: 'string',
  summary: 'string',
  locale: 'string',
  name: 'string',
  action: 'string',
  replyToId: 'string',
  label: 'string',
  valueType: 'string',
  topicName: 'string',
  code: 'string',
  deliveryMode: 'string',
  expiration: 'string',
  importance: 'string',
  attachmentLayout: 'string',
  historyDisclosed: 'boolean',
  channelData: 'object',
  relatesTo: 'object',
  suggestedActions: 'object',
  semanticAction: 'object',
  from: 'object',
  recipient: 'object',
  entities: 'array',
  attachments: 'array',
  membersAdded: 'array',
  membersRemoved: 'array',
  reactionsAdded: 'array',
  reactionsRemoved: 'array',
  listenFor: 'array',
  textHighlights: 'array',
};
// Built once: every request is checked against them.
const TOP_LEVEL_ENTRIES = Object.entries(TOP_LEVEL);
const TOP_LEVEL_KEYS = Object.keys(TOP_LEVEL);

/** Optional string fields of a channel account (from, recipient, members) and of the conversation. */
const ACCOUNT_STRINGS = [
  'name',
  'aadObjectId',
  'role',
  'tenantId',
  'userPrincipalName',
  'email',
  'givenName',
  'surname',
  'userRole',
];
const CONVERSATION_STRINGS = ['name', 'conversationType', 'tenantId', 'aadObjectId', 'role'];
const ACCOUNT_ID_STRINGS = ['id', ...ACCOUNT_STRINGS];
const CONVERSATION_ID_STRINGS = ['id', ...CONVERSATION_STRINGS];

/** Teams channel data: the parts the bot and teams-ai read. */
const CHANNEL_DATA_OBJECTS = ['tenant', 'team', 'channel', 'meeting', 'settings', 'notification'];
const CHANNEL_DATA_NULLABLE = [...CHANNEL_DATA_OBJECTS, 'eventType', 'source'];
const CHANNEL_DATA_STRINGS = ['id', 'name', 'aadGroupId', 'type'];

/**
 * Identifiers and names are short in every real activity (AAD display names are at most 256
 * characters, Teams ids a few hundred). They are kept in the conversation reference, which is
 * written to the data file: an unbounded one would grow every later write of that file.
 */
const MAX_ID_CHARS = 1024;
const MAX_LOCALE_CHARS = 64;
const SHORT_TOP_LEVEL = [
  'id',
  'channelId',
  'serviceUrl',
  'replyToId',
  'callerId',
  'timestamp',
  'localTimestamp',
  'localTimezone',
];

function tooLong(o: Record<string, unknown>, keys: string[], max: number, where: string): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v.length > max) return `expected ${where}${k} of at most ${max} characters`;
  }
  return undefined;
}

function dropNulls(o: Record<string, unknown>, keys: Iterable<string>): void {
  for (const k of keys) if (o[k] === null) delete o[k];
}

function checkStrings(o: Record<string, unknown>, keys: string[], where: string): string | undefined {
  dropNulls(o, keys);
  for (const k of keys)
    if (o[k] !== undefined && typeof o[k] !== 'string') return `expected ${where}.${k} to be a string`;
  return undefined;
}

function accountProblem(v: unknown, where: string): string | undefined {
  if (!isObject(v)) return `expected ${where} to be an object`;
  if (typeof v.id !== 'string' || v.id === '') return `expected ${where}.id to be a non-empty string`;
  return checkStrings(v, ACCOUNT_STRINGS, where) ?? tooLong(v, ACCOUNT_ID_STRINGS, MAX_ID_CHARS, `${where}.`);
}

/** The problem with an activity's shape (a message for a 400), or undefined when it may go on. */
export function normalizeActivity(a: Record<string, unknown>): string | undefined {
  dropNulls(a, TOP_LEVEL_KEYS);
  for (const [key, kind] of TOP_LEVEL_ENTRIES) {
    if (a[key] !== undefined && kindOf(a[key]) !== kind)
      return `expected ${key} to be ${kind === 'array' ? 'an array' : kind === 'object' ? 'an object' : `a ${kind}`}`;
  }

  const long = tooLong(a, SHORT_TOP_LEVEL, MAX_ID_CHARS, '') ?? tooLong(a, ['locale'], MAX_LOCALE_CHARS, '');
  if (long) return long;

  // Every turn needs these: teams-ai keys its turn state on channel, bot, conversation and user.
  if (typeof a.channelId !== 'string' || a.channelId === '') return 'expected an activity with a channelId';
  const from = accountProblem(a.from, 'from');
  if (from) return from;
  const recipient = accountProblem(a.recipient, 'recipient');
  if (recipient) return recipient;

  const conversation = a.conversation as Record<string, unknown>;
  const conv =
    checkStrings(conversation, CONVERSATION_STRINGS, 'conversation') ??
    tooLong(conversation, CONVERSATION_ID_STRINGS, MAX_ID_CHARS, 'conversation.');
  if (conv) return conv;
  dropNulls(conversation, ['isGroup']);
  if (conversation.isGroup !== undefined && typeof conversation.isGroup !== 'boolean')
    return 'expected conversation.isGroup to be a boolean';

  for (const key of ['membersAdded', 'membersRemoved']) {
    const list = a[key] as unknown[] | undefined;
    for (let i = 0; i < (list?.length ?? 0); i++) {
      const p = accountProblem(list![i], `${key}.${i}`);
      if (p) return p;
    }
  }
  const entities = a.entities as unknown[] | undefined;
  for (let i = 0; i < (entities?.length ?? 0); i++) {
    const e = entities![i];
    if (!isObject(e) || typeof e.type !== 'string') return `expected entities.${i} to be an object with a type`;
    if (e.type.toLowerCase() === 'mention') {
      if (!isObject(e.mentioned)) return `expected entities.${i}.mentioned to be an account`;
      const m = accountProblem(e.mentioned, `entities.${i}.mentioned`);
      if (m) return m;
      const t = checkStrings(e, ['text'], `entities.${i}`);
      if (t) return t;
    }
  }
  const attachments = a.attachments as unknown[] | undefined;
  for (let i = 0; i < (attachments?.length ?? 0); i++) {
    const at = attachments![i];
    if (!isObject(at)) return `expected attachments.${i} to be an object`;
    const s = checkStrings(at, ['contentType', 'contentUrl', 'name', 'thumbnailUrl'], `attachments.${i}`);
    if (s) return s;
  }

  const channelData = a.channelData as Record<string, unknown> | undefined;
  if (channelData) {
    dropNulls(channelData, CHANNEL_DATA_NULLABLE);
    for (const key of CHANNEL_DATA_OBJECTS) {
      const v = channelData[key];
      if (v === undefined) continue;
      if (!isObject(v)) return `expected channelData.${key} to be an object`;
      const s =
        checkStrings(v, CHANNEL_DATA_STRINGS, `channelData.${key}`) ??
        tooLong(v, CHANNEL_DATA_STRINGS, MAX_ID_CHARS, `channelData.${key}.`);
      if (s) return s;
    }
    if (channelData.eventType !== undefined && typeof channelData.eventType !== 'string')
      return 'expected channelData.eventType to be a string';
  }
  return undefined;
}
