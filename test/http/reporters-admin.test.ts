import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { BOT, cardAction, message, TENANT, USER, type Where } from '../helpers/activities.js';
import { assertValidCard, cardsOf } from '../helpers/card-validate.js';
import { sv } from '../../src/texts/index.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { assertShows } from '../helpers/texts.js';

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const ANNA = { id: '29:anna', name: 'Anna Andersson', aadObjectId: 'aaaaaaaa-1111-4000-8000-00000000000a' };
const BERTIL = { id: '29:bertil', name: 'Bertil Berg', aadObjectId: 'bbbbbbbb-1111-4000-8000-00000000000b' };
const CECILIA = { id: '29:cecilia', name: 'Cecilia Cederholm', aadObjectId: 'cccccccc-1111-4000-8000-00000000000c' };
const DAVID = { id: '29:david', name: 'David Dahl', aadObjectId: 'dddddddd-1111-4000-8000-00000000000d' };
const ERIK = { id: '29:erik', name: 'Erik Ek', aadObjectId: 'eeeeeeee-1111-4000-8000-00000000000e' };
const STRANGER = { id: '29:stranger', name: 'Okänd Person', aadObjectId: 'ffffffff-1111-4000-8000-00000000000f' };
const MEMBER_TENANT = '22222222-2222-4222-8222-222222222222';

type Person = { id: string; name: string; aadObjectId: string };

function auditEntries(dbPath: string): Record<string, any>[] {
  const path = AuditFile.pathFor(dbPath);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
}

/** Every Action.Execute in a card as {title, verb, data}. */
function actionsOf(content: any): { title: string; verb: string; data: any }[] {
  const out: { title: string; verb: string; data: any }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, any>;
      if (o.type === 'Action.Execute') out.push({ title: o.title, verb: o.verb, data: o.data });
      Object.values(o).forEach(walk);
    }
  };
  walk(content);
  return out;
}

/** A message as Teams sends it: the bot's @mention first (in a channel), then `before @A @B after`. */
function mentionMessage(before: string, people: Person[], after: string, where: Where) {
  const base = message('', where);
  const botMention = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: { id: BOT.id, name: BOT.name } };
  const mentions = people.map((p) => ({
    type: 'mention',
    text: `<at>${p.name}</at>`,
    mentioned: { id: p.id, name: p.name },
  }));
  const withBot = where.kind === 'channel';
  const text = [
    withBot ? `<at>${BOT.name}</at>` : '',
    before,
    people.map((p) => `<at>${p.name}</at>`).join(' och '),
    after,
  ]
    .filter(Boolean)
    .join(' ');
  return { ...base, text, entities: [...(withBot ? [botMention] : []), ...mentions] };
}

describe('rapportörer registered by a coordinator: anmäl @Namn som rapportör för Kommunen', () => {
  let h: Harness;
  const clock = new ManualClock('2024-03-14T10:00:00Z');
  const inChannel = (from: Person | typeof USER, extra: Partial<Where> = {}): Where => ({
    serviceUrl: h.connector.url,
    from,
    kind: 'channel',
    ...extra,
  });
  const inGroupChat = (from: Person | typeof USER): Where => ({
    serviceUrl: h.connector.url,
    from,
    kind: 'groupChat',
    conversationId: '19:group-chat@thread.v2',
  });
  const reporter = (p: Person) => h.bot.store.reporters.get(p.aadObjectId);
  const lookups = () => h.connector.received.filter((r) => r.method === 'GET' && /\/members\//.test(r.path));

  async function say(before: string, people: Person[], after: string, where: Where): Promise<any> {
    const [reply] = await h.turn(mentionMessage(before, people, after, where));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    return content;
  }
  async function press(data: Record<string, unknown>, where: Where): Promise<any> {
    const res = await h.post(cardAction('reporter.register', data, where));
    assert.equal(res.status, 200);
    assertValidCard(res.body.value);
    return res.body.value;
  }

  before(async () => {
    h = await startHarness({
      clock,
      env: {
        COORDINATOR_IDS: COORDINATOR.aadObjectId,
        PARTY_BY_PERSON: `${CECILIA.aadObjectId}=Kommunen`,
        PARTY_BY_TENANT: `${TENANT}=Polisen`,
      },
    });
    for (const p of [ANNA, BERTIL, CECILIA, DAVID, ERIK, COORDINATOR, USER])
      h.connector.members.set(p.id, { ...p, tenantId: MEMBER_TENANT, userPrincipalName: `${p.id}@example.invalid` });
  });
  after(async () => {
    await h.stop();
  });

  it('refuses a person who is not a coordinator, politely, without looking anyone up, and audits it', async () => {
    const before = lookups().length;
    const content = await say('anmäl', [ANNA], 'som rapportör för Kommunen', inChannel(USER));
    assertShows(cardText(content), sv.followUp.reporters.others.forbidden);
    assert.doesNotMatch(cardText(content), /!/);
    assert.equal(lookups().length, before);
    assert.equal(await reporter(ANNA), undefined);
    assert.ok(
      auditEntries(h.dbPath).some(
        (e) =>
          e.action === 'access.refused' &&
          e.outcome === 'refused' &&
          e.detail === 'reporter.registerOther' &&
          e.actor.id === USER.aadObjectId,
      ),
    );
  });

  it('registers the @mentioned person by AAD object id for the party said, never the bot, and audits by-coordinator', async () => {
    const before = lookups().length;
    const content = await say('anmäl', [ANNA], 'som rapportör för Kommunen', inChannel(COORDINATOR));
    const text = cardText(content);
    assertShows(text, sv.followUp.reporters.others.registeredNoChat(ANNA.name, 'Kommunen'));
    assert.doesNotMatch(text, new RegExp(ANNA.aadObjectId));
    const newLookups = lookups().slice(before);
    assert.equal(newLookups.length, 1, 'only Anna is looked up, not the bot');
    assert.match(newLookups[0]!.path, /\/members\/29%3Aanna$/);

    const stored = await reporter(ANNA);
    assert.equal(stored?.party, 'Kommunen');
    assert.equal(stored?.name, 'Anna Andersson');
    assert.equal(stored?.tenantId, MEMBER_TENANT);
    assert.equal(stored?.active, true);
    assert.equal(stored?.personalConversationId, undefined);
    assert.equal(await h.bot.store.reporters.get(BOT.id), undefined);

    const audited = auditEntries(h.dbPath).filter(
      (e) => e.action === 'reporter.registered' && e.objectId === ANNA.aadObjectId,
    );
    assert.equal(audited.length, 1);
    assert.equal(audited[0]!.detail, 'by-coordinator');
    assert.equal(audited[0]!.actor.id, COORDINATOR.aadObjectId);
    assert.equal(audited[0]!.outcome, 'ok');

    const again = await say('anmäl', [ANNA], 'för Kommunen', inChannel(COORDINATOR));
    assertShows(cardText(again), sv.followUp.reporters.others.alreadyRegistered(ANNA.name, 'Kommunen'));
    assert.equal(
      auditEntries(h.dbPath).filter((e) => e.action === 'reporter.registered' && e.objectId === ANNA.aadObjectId)
        .length,
      1,
    );
  });

  it('keeps the personal chat the person already has with the bot, so the 1:1 reminder works (group chat)', async () => {
    await h.turn(message('hjälp', { serviceUrl: h.connector.url, from: BERTIL, conversationId: 'a:bertil-personal' }));
    const content = await say('anmäl', [BERTIL], 'för Polisen', inGroupChat(COORDINATOR));
    assertShows(cardText(content), sv.followUp.reporters.others.registered(BERTIL.name, 'Polisen'));
    const stored = await reporter(BERTIL);
    assert.equal(stored?.party, 'Polisen');
    assert.equal(stored?.personalConversationId, 'a:bertil-personal');
  });

  it('uses PARTY_BY_PERSON without party words, and asks for the rest with buttons that register on the choice', async () => {
    const content = await say('anmäl', [CECILIA, DAVID], '', inChannel(COORDINATOR));
    const text = cardText(content);
    assert.match(text, /Cecilia Cederholm är anmäld som rapportör för Kommunen/);
    assertShows(text, sv.followUp.reporters.others.chooseParty(DAVID.name, false));
    assert.equal((await reporter(CECILIA))?.party, 'Kommunen');
    assert.equal(await reporter(DAVID), undefined, 'not PARTY_BY_TENANT: in a shared channel the tenant says nothing');

    const buttons = actionsOf(content);
    assert.deepEqual(
      buttons.map((b) => [b.title, b.verb]),
      [
        ['Polisen', 'reporter.register'],
        ['Kommunen', 'reporter.register'],
      ],
    );
    assert.deepEqual(
      buttons[0]!.data.people.map((p: any) => p.aadObjectId),
      [DAVID.aadObjectId],
    );

    const answer = await press(buttons[0]!.data, inChannel(COORDINATOR));
    assert.match(cardText(answer), /David Dahl är anmäld som rapportör för Polisen/);
    const stored = await reporter(DAVID);
    assert.equal(stored?.party, 'Polisen');
    assert.equal(stored?.tenantId, MEMBER_TENANT);
    assert.equal(await reporter(COORDINATOR), undefined, 'the coordinator pressing is not registered');
  });

  it('refuses the buttons to someone who is not a coordinator, whatever the card data says', async () => {
    const answer = await press(
      { party: 'Polisen', people: [{ aadObjectId: ERIK.aadObjectId, name: ERIK.name }] },
      inChannel(USER),
    );
    assertShows(cardText(answer), sv.followUp.reporters.others.forbidden);
    assert.equal(await reporter(ERIK), undefined);
    assert.equal(await h.bot.store.reporters.get(USER.aadObjectId), undefined);
  });

  it('asks again when the party words name neither party, and stores nothing', async () => {
    const content = await say('anmäl', [ERIK], 'som rapportör för Försvarsmakten', inChannel(COORDINATOR));
    assertShows(cardText(content), sv.followUp.reporters.unknownParty);
    assertShows(cardText(content), sv.followUp.reporters.others.chooseParty(ERIK.name, false));
    assert.equal(await reporter(ERIK), undefined);
  });

  it('says so when a mentioned person cannot be looked up, and registers the others', async () => {
    const content = await say('anmäl', [STRANGER, ERIK], 'som rapportörer för Polisen', inChannel(COORDINATOR));
    const text = cardText(content);
    assertShows(text, sv.followUp.reporters.others.lookupFailed('Okänd Person'));
    assert.match(text, /Erik Ek är anmäld som rapportör för Polisen/);
    assert.equal(await reporter(STRANGER), undefined);
    assert.equal((await reporter(ERIK))?.party, 'Polisen');
  });

  it('explains how when a coordinator mentions no one, and "anmäl mig" still registers the writer', async () => {
    const [usage] = await h.turn(
      message('anmäl Anna', { serviceUrl: h.connector.url, from: COORDINATOR, conversationId: 'a:coord-personal' }),
    );
    assertValidCard(cardsOf(usage!)[0]);
    assert.match(cardText(usage!), /Skriv anmäl och nämn personen med @/);
    const [self] = await h.turn(
      message('anmäl mig för Kommunen', { serviceUrl: h.connector.url, from: USER, conversationId: 'a:user-personal' }),
    );
    assert.match(cardText(self!), /Du är anmäld som rapportör för Kommunen/);
    assert.equal((await h.bot.store.reporters.get(USER.aadObjectId))?.party, 'Kommunen');
  });

  it('answers in English: "register @Name for the police"', async () => {
    await h.bot.store.reporters.put({ ...(await reporter(ANNA))!, active: false });
    const content = await say(
      'register',
      [ANNA],
      'as reporter for the police',
      inChannel(COORDINATOR, { locale: 'en-US' }),
    );
    assert.match(cardText(content), /Anna Andersson is registered as a reporter for/);
    assert.equal((await reporter(ANNA))?.party, 'Polisen');
  });
});
