import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { BOT, message, TENANT, USER } from '../helpers/activities.js';
import { assertValidCard, cardsOf } from '../helpers/card-validate.js';
import { cardText, startHarness, tempDbPath, type Harness } from '../helpers/harness.js';
import { pino } from 'pino';
import { sv } from '../../src/texts/index.js';
import { assertShows } from '../helpers/texts.js';
import { loadConfig } from '../../src/config.js';
import { startBot } from '../../src/main.js';

/** Coordinators added by @mention: the bot looks each person up at the Bot Connector (a protocol call), so over HTTP. Tenant access is tested as turns in test/teams/turns/access.test.ts. */
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

/** A channel message as Teams sends it: the bot's @mention and each person's in text and entities. */
function channelMessage(
  words: string,
  people: { id: string; name: string }[],
  where: { serviceUrl: string; from?: typeof USER },
) {
  const base = message('', { ...where, kind: 'channel' });
  const botMention = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: { id: BOT.id, name: BOT.name } };
  const mentions = people.map((p) => ({
    type: 'mention',
    text: `<at>${p.name}</at>`,
    mentioned: { id: p.id, name: p.name },
  }));
  return {
    ...base,
    text: `<at>${BOT.name}</at> ${words} ${people.map((p) => `<at>${p.name}</at>`).join(' ')}`.trim(),
    entities: [botMention, ...mentions],
  };
}

describe('access: coordinators added and removed in chat', () => {
  let h: Harness;
  const as = (from: typeof USER) => ({ serviceUrl: h.connector.url, from });
  const roles = () => h.bot.store.coordinators;

  before(async () => {
    h = await startHarness({
      clock: new ManualClock('2024-03-14T10:00:00Z'),
      env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, ALLOWED_TENANT_IDS: TENANT },
    });
    for (const p of [ANNA, BERTIL, COORDINATOR, USER])
      h.connector.members.set(p.id, { ...p, tenantId: TENANT, userPrincipalName: `${p.id}@example.invalid` });
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
    assertShows(text, sv.access.coordinators.onlyCoordinators);
    assert.deepEqual(await roles().list(), []);
    assert.equal(
      h.connector.received.filter((r) => r.method === 'GET').length,
      0,
      'no member lookup for a refused person',
    );
    assert.ok(
      auditEntries(h.dbPath).some(
        (e) => e.action === 'access.refused' && e.detail === 'coordinator.add' && e.actor.id === USER.aadObjectId,
      ),
    );
  });

  it('explains how when no one but the bot is mentioned (the bot is never taken as the person)', async () => {
    const text = await say('lägg till samordnare', [], COORDINATOR);
    assertShows(text, sv.access.coordinators.usageAdd);
    assert.deepEqual(await roles().list(), []);
  });

  it('adds the @mentioned person by AAD object id, looked up at the connector, and audits it', async () => {
    const before = h.connector.received.length;
    const text = await say('lägg till samordnare', [ANNA], COORDINATOR);
    assertShows(text, sv.access.coordinators.added(ANNA.name));
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
    const both = await say('lägg till samordnare', [BERTIL, ANNA], ANNA);
    assertShows(both, sv.access.coordinators.added(BERTIL.name));
    assertShows(both, sv.access.coordinators.alreadyCoordinator(ANNA.name));
    assert.equal((await roles().get(BERTIL.aadObjectId))?.addedBy, ANNA.aadObjectId);
    assertShows(
      await say('lägg till samordnare', [COORDINATOR], ANNA),
      sv.access.coordinators.configuredAdd(COORDINATOR.name),
    );
  });

  it('removes a coordinator added in chat, keeping who and when; they are then refused', async () => {
    assertShows(await say('ta bort samordnare', [BERTIL], COORDINATOR), sv.access.coordinators.removed(BERTIL.name));
    const stored = await roles().get(BERTIL.aadObjectId);
    assert.equal(stored?.removedBy, COORDINATOR.aadObjectId);
    assert.equal(stored?.removedAt, '2024-03-14T10:00:00.000Z');
    assertShows(await say('lägg till samordnare', [USER], BERTIL), sv.access.coordinators.onlyCoordinators);
    assert.equal(await roles().get(USER.aadObjectId), undefined);
    assertShows(
      await say('ta bort samordnare', [BERTIL], COORDINATOR),
      sv.access.coordinators.notCoordinator(BERTIL.name),
    );
    const removed = auditEntries(h.dbPath).filter(
      (e) => e.action === 'role.changed' && e.objectId === BERTIL.aadObjectId,
    );
    assert.deepEqual(
      removed.map((e) => e.detail),
      ['coordinator:added', 'coordinator:removed'],
    );
  });

  it('does not remove a coordinator from COORDINATOR_IDS in chat, and says so', async () => {
    const text = await say('ta bort samordnare', [COORDINATOR], ANNA);
    assertShows(text, sv.access.coordinators.configuredRemove(COORDINATOR.name));
    assert.equal(await roles().get(COORDINATOR.aadObjectId), undefined);
  });

  it('says so when a mentioned person cannot be looked up, and changes nothing', async () => {
    const ghost = { id: '29:ghost', name: 'Okänd Person' };
    const text = await say('lägg till samordnare', [ghost], COORDINATOR);
    assertShows(text, sv.access.coordinators.lookupFailed(ghost.name));
    assert.equal((await roles().list()).length, 2);
  });

  it('keeps display names out of markdown (TextRuns)', async () => {
    const odd = {
      id: '29:odd',
      name: '**[fet](https://example.invalid)**',
      aadObjectId: 'dddddddd-1111-4000-8000-00000000000d',
    };
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
  const credentials = {
    BOT_ID: '0b0b0b0b-1111-4222-8333-444444444444',
    BOT_PASSWORD: 'test-secret',
    BOT_TENANT_ID: '0c0c0c0c-1111-4222-8333-444444444444',
    HOST: '127.0.0.1',
  };

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
    assert.ok(
      !(await warningsAtStart({ ...credentials, ALLOWED_TENANT_IDS: TENANT })).some((m) =>
        /ALLOWED_TENANT_IDS/.test(m),
      ),
    );
    assert.ok(!(await warningsAtStart({})).some((m) => /ALLOWED_TENANT_IDS/.test(m)));
  });
});
