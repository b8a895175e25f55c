import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { BOT, botInstalled, cardAction, message, TENANT, USER } from '../helpers/activities.js';
import { assertValidCard, cardsOf } from '../helpers/card-validate.js';
import { cardText, startHarness, tempDbPath, type Harness } from '../helpers/harness.js';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startBot } from '../../src/main.js';

const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const ANNA = { id: '29:anna', name: 'Anna Andersson', aadObjectId: 'aaaaaaaa-1111-4000-8000-00000000000a' };
const BERTIL = { id: '29:bertil', name: 'Bertil Berg', aadObjectId: 'bbbbbbbb-1111-4000-8000-00000000000b' };

function auditEntries(dbPath: string): Record<string, any>[] {
  const path = AuditFile.pathFor(dbPath);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
}

function reportFiles(dbPath: string): string[] {
  const dir = dbPath.replace(/\.json$/, '.reports');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** An activity from another organisation's tenant (channel data and conversation alike). */
function fromTenant<T extends { channelData: Record<string, unknown>; conversation: Record<string, unknown> }>(activity: T, tenantId: string | undefined): T {
  const channelData = { ...activity.channelData };
  const conversation = { ...activity.conversation };
  if (tenantId) {
    channelData.tenant = { id: tenantId };
    conversation.tenantId = tenantId;
  } else {
    delete channelData.tenant;
    delete conversation.tenantId;
  }
  return { ...activity, channelData, conversation };
}

/** A channel message as Teams sends it: the bot's @mention and each person's in text and entities. */
function channelMessage(words: string, people: { id: string; name: string }[], where: { serviceUrl: string; from?: typeof USER }) {
  const base = message('', { ...where, kind: 'channel' });
  const botMention = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: { id: BOT.id, name: BOT.name } };
  const mentions = people.map((p) => ({ type: 'mention', text: `<at>${p.name}</at>`, mentioned: { id: p.id, name: p.name } }));
  return {
    ...base,
    text: `<at>${BOT.name}</at> ${words} ${people.map((p) => `<at>${p.name}</at>`).join(' ')}`.trim(),
    entities: [botMention, ...mentions],
  };
}

describe('access: allowed tenants (ALLOWED_TENANT_IDS)', () => {
  let h: Harness;
  const where = (extra: Record<string, unknown> = {}) => ({ serviceUrl: h.connector.url, ...extra });

  before(async () => {
    h = await startHarness({ clock: new ManualClock('2024-03-14T10:00:00Z'), env: { ALLOWED_TENANT_IDS: TENANT } });
  });
  after(async () => {
    await h.stop();
  });

  it('answers a message from another tenant politely in Swedish, stores nothing and audits the refusal', async () => {
    const activity = fromTenant(message('hjälp', where({ conversationId: 'a:other-tenant-chat' })), OTHER_TENANT);
    const [reply] = await h.turn(activity);
    assert.equal(reply!.type, 'message');
    assert.match(String(reply!.text), /Den här boten används av Polisen och Tranås kommun/);
    assert.match(String(reply!.text), /Din organisation har inte tillgång/);
    assert.doesNotMatch(String(reply!.text), /!/);
    assert.deepEqual(await h.bot.store.conversations.list(), []);
    const refused = auditEntries(h.dbPath).filter((e) => e.action === 'access.refused' && e.correlationId === activity.id);
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.outcome, 'refused');
    assert.equal(refused[0]!.detail, 'tenant:message');
    assert.equal(refused[0]!.actor.id, USER.aadObjectId);
    assert.equal(refused[0]!.actor.tenantId, OTHER_TENANT);
  });

  it('answers in English when the Teams locale is English', async () => {
    const [reply] = await h.turn(fromTenant(message('help', where({ locale: 'en-US', conversationId: 'a:other-tenant-en' })), OTHER_TENANT));
    assert.match(String(reply!.text), /Your organisation does not have access/);
  });

  it('answers a card action from another tenant with an error card and stores no report', async () => {
    const data = { submissionId: 'sub-other-tenant-1', week: '2024-W11', activityId: 'trafikkontroller', count: '3', date: '2024-03-13', area: 'Centrum', description: 'kontroller', party: 'Polisen' };
    const activity = fromTenant(cardAction('report.submit', data, where()), OTHER_TENANT);
    const res = await h.post(activity);
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assertValidCard(res.body.value);
    assert.match(cardText(res.body.value), /Din organisation har inte tillgång/);
    assert.deepEqual(reportFiles(h.dbPath), []);
    assert.equal((await h.bot.store.reports.list({ includeWithdrawn: true })).length, 0);
    assert.ok(auditEntries(h.dbPath).some((e) => e.action === 'access.refused' && e.detail === 'tenant:invoke' && e.correlationId === activity.id));
  });

  it('sends nothing and stores nothing when the bot is installed in another tenant', async () => {
    const before = h.connector.posted.length;
    const res = await h.post(fromTenant(botInstalled(where({ kind: 'channel', conversationId: '19:other@thread.tacv2' })), OTHER_TENANT));
    assert.ok(res.status >= 200 && res.status < 300);
    assert.equal(h.connector.posted.length, before);
    assert.deepEqual(await h.bot.store.conversations.list(), []);
  });

  it('refuses an activity without a tenant, and one whose conversation names another tenant', async () => {
    const [noTenant] = await h.turn(fromTenant(message('status', where({ conversationId: 'a:no-tenant' })), undefined));
    assert.match(String(noTenant!.text), /Din organisation har inte tillgång/);
    const mixed = message('status', where({ conversationId: 'a:mixed' }));
    const [reply] = await h.turn({ ...mixed, conversation: { ...mixed.conversation, tenantId: OTHER_TENANT } });
    assert.match(String(reply!.text), /Din organisation har inte tillgång/);
    assert.deepEqual(await h.bot.store.conversations.list(), []);
  });

  it('serves the allowed tenant as usual (tenant ids compared case-insensitively)', async () => {
    const activity = fromTenant(message('hjälp', where({ conversationId: 'a:allowed' })), TENANT.toUpperCase());
    const [reply] = await h.turn(activity);
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    assert.match(cardText(reply!), /Det här kan jag/);
    assert.deepEqual((await h.bot.store.conversations.list()).map((c) => c.id), ['a:allowed']);
  });
});

describe('access: any tenant when ALLOWED_TENANT_IDS is empty', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('serves a user of any tenant', async () => {
    const [reply] = await h.turn(fromTenant(message('hjälp', { serviceUrl: h.connector.url }), OTHER_TENANT));
    assert.match(cardText(reply!), /Det här kan jag/);
  });
});

describe('access: coordinators added and removed in chat', () => {
  let h: Harness;
  const as = (from: typeof USER) => ({ serviceUrl: h.connector.url, from });
  const roles = () => h.bot.store.coordinators;

  before(async () => {
    h = await startHarness({ clock: new ManualClock('2024-03-14T10:00:00Z'), env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, ALLOWED_TENANT_IDS: TENANT } });
    for (const p of [ANNA, BERTIL, COORDINATOR, USER]) h.connector.members.set(p.id, { ...p, tenantId: TENANT, userPrincipalName: `${p.id}@example.invalid` });
  });
  after(async () => {
    await h.stop();
  });

  async function say(words: string, people: { id: string; name: string }[], from: typeof USER): Promise<string> {
    const [reply] = await h.turn(channelMessage(words, people, as(from)));
    for (const c of cardsOf(reply!)) assertValidCard(c);
    return cardText(reply!);
  }

  it('refuses a person who is not a coordinator, politely, and changes nothing', async () => {
    const text = await say('lägg till samordnare', [ANNA], USER);
    assert.match(text, /bara samordnare som kan lägga till eller ta bort samordnare/);
    assert.deepEqual(await roles().list(), []);
    assert.equal(h.connector.received.filter((r) => r.method === 'GET').length, 0, 'no member lookup for a refused person');
    assert.ok(auditEntries(h.dbPath).some((e) => e.action === 'access.refused' && e.detail === 'coordinator.add' && e.actor.id === USER.aadObjectId));
  });

  it('explains how when no one but the bot is mentioned (the bot is never taken as the person)', async () => {
    const text = await say('lägg till samordnare', [], COORDINATOR);
    assert.match(text, /Nämn personen med @/);
    assert.deepEqual(await roles().list(), []);
  });

  it('adds the @mentioned person by AAD object id, looked up at the connector, and audits it', async () => {
    const before = h.connector.received.length;
    const text = await say('lägg till samordnare', [ANNA], COORDINATOR);
    assert.match(text, /Anna Andersson är nu samordnare/);
    const lookups = h.connector.received.slice(before).filter((r) => r.method === 'GET');
    assert.equal(lookups.length, 1);
    assert.match(lookups[0]!.path, /\/v3\/conversations\/19%3Ateam%40thread\.tacv2\/members\/29%3Aanna$/);
    const stored = await roles().get(ANNA.aadObjectId);
    assert.equal(stored?.addedBy, COORDINATOR.aadObjectId);
    assert.equal(stored?.addedAt, '2024-03-14T10:00:00.000Z');
    assert.equal(stored?.removedAt, undefined);
    assert.equal((await roles().list()).length, 1, 'only Anna: not the bot');
    const changed = auditEntries(h.dbPath).filter((e) => e.action === 'role.changed');
    assert.equal(changed.length, 1);
    assert.equal(changed[0]!.objectId, ANNA.aadObjectId);
    assert.equal(changed[0]!.outcome, 'ok');
    assert.equal(changed[0]!.actor.id, COORDINATOR.aadObjectId);
  });

  it('lets the new coordinator act as one (add Bertil), and says when someone already is one', async () => {
    assert.match(await say('lägg till samordnare', [BERTIL, ANNA], ANNA), /Bertil Berg är nu samordnare[\s\S]*Anna Andersson är redan samordnare/);
    assert.equal((await roles().get(BERTIL.aadObjectId))?.addedBy, ANNA.aadObjectId);
    assert.match(await say('lägg till samordnare', [COORDINATOR], ANNA), /redan samordnare enligt inställningen COORDINATOR_IDS/);
  });

  it('removes a coordinator added in chat, keeping who and when; they are then refused', async () => {
    assert.match(await say('ta bort samordnare', [BERTIL], COORDINATOR), /Bertil Berg är inte längre samordnare/);
    const stored = await roles().get(BERTIL.aadObjectId);
    assert.equal(stored?.removedBy, COORDINATOR.aadObjectId);
    assert.equal(stored?.removedAt, '2024-03-14T10:00:00.000Z');
    assert.match(await say('lägg till samordnare', [USER], BERTIL), /bara samordnare/);
    assert.equal(await roles().get(USER.aadObjectId), undefined);
    assert.match(await say('ta bort samordnare', [BERTIL], COORDINATOR), /inte samordnare, så det fanns inget att ta bort/);
    const removed = auditEntries(h.dbPath).filter((e) => e.action === 'role.changed' && e.objectId === BERTIL.aadObjectId);
    assert.deepEqual(removed.map((e) => e.detail), ['coordinator:added', 'coordinator:removed']);
  });

  it('does not remove a coordinator from COORDINATOR_IDS in chat, and says so', async () => {
    const text = await say('ta bort samordnare', [COORDINATOR], ANNA);
    assert.match(text, /enligt inställningen COORDINATOR_IDS och kan inte tas bort i chatten/);
    assert.equal(await roles().get(COORDINATOR.aadObjectId), undefined);
  });

  it('says so when a mentioned person cannot be looked up, and changes nothing', async () => {
    const ghost = { id: '29:ghost', name: 'Okänd Person' };
    const text = await say('lägg till samordnare', [ghost], COORDINATOR);
    assert.match(text, /kunde inte slå upp Okänd Person/);
    assert.equal((await roles().list()).length, 2);
  });

  it('keeps display names out of markdown (TextRuns)', async () => {
    const odd = { id: '29:odd', name: '**[fet](https://example.invalid)**', aadObjectId: 'dddddddd-1111-4000-8000-00000000000d' };
    h.connector.members.set(odd.id, odd);
    const [reply] = await h.turn(channelMessage('lägg till samordnare', [odd], as(COORDINATOR)));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const blocks = JSON.stringify(content!.body);
    assert.match(blocks, /"type":"RichTextBlock"/);
    assert.doesNotMatch(blocks, /"type":"TextBlock","text":"\*\*\[fet\]/);
  });

  it('answers "lägg till samordnare" without a name with how to do it', async () => {
    const [reply] = await h.turn(message('lägg till samordnare', as(COORDINATOR)));
    assert.match(cardText(reply!), /Nämn personen med @/);
  });
});

describe('access: the start-up warning about ALLOWED_TENANT_IDS', () => {
  const credentials = { BOT_ID: '0b0b0b0b-1111-4222-8333-444444444444', BOT_PASSWORD: 'test-secret', BOT_TENANT_ID: '0c0c0c0c-1111-4222-8333-444444444444', HOST: '127.0.0.1' };

  async function warningsAtStart(env: Record<string, string>): Promise<string[]> {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DB_PATH: tempDbPath(), ...env }, '/nonexistent-env-dir');
    const bot = await startBot(config, { clock: new ManualClock('2024-03-14T10:00:00Z'), logger });
    await bot.stop();
    return lines.map((l) => String((JSON.parse(l) as { msg?: unknown }).msg));
  }

  it('warns when the bot runs with credentials and any tenant may use it', async () => {
    assert.ok((await warningsAtStart(credentials)).some((m) => /ALLOWED_TENANT_IDS is empty/.test(m)));
  });

  it('does not warn when the tenants are listed, or in local development mode', async () => {
    assert.ok(!(await warningsAtStart({ ...credentials, ALLOWED_TENANT_IDS: TENANT })).some((m) => /ALLOWED_TENANT_IDS/.test(m)));
    assert.ok(!(await warningsAtStart({})).some((m) => /ALLOWED_TENANT_IDS/.test(m)));
  });
});
