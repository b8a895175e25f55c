import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { botInstalled, cardAction, installationUpdate, message } from '../helpers/activities.js';
import { assertValidCard, cardsOf } from '../helpers/card-validate.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';

describe('turns through the HTTP endpoint', () => {
  let h: Harness;
  const where = () => ({ serviceUrl: h.connector.url });

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('serves /healthz with status, version and store state', async () => {
    const res = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, any>;
    assert.equal(body.status, 'ok');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.equal(body.store.kind, 'lowdb');
    assert.equal(body.store.state, 'open');
    assert.equal(body.mode, 'local-development');
  });

  it('answers hjälp with a Swedish help card', async () => {
    const [reply] = await h.turn(message('hjälp', where()));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assert.match(text, /Det här kan jag/);
    assert.match(text, /rapportera/);
    assert.match(text, /Inga namn eller personuppgifter/);
    assert.equal(reply!.conversation.id, 'a:personal-1');
  });

  it('answers "help" and "HJALP" too', async () => {
    for (const t of ['help', 'HJALP', 'hjälp!']) {
      const [reply] = await h.turn(message(t, where()));
      assert.match(cardText(reply!), /Det här kan jag/, t);
    }
  });

  it('answers status with the three Tranås promises and six activities with owners and targets', async () => {
    const [reply] = await h.turn(message('status', where()));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assert.match(text, /Tranås kommun och Lokalpolisområde Höglandet · 2023–2024/);
    for (const n of [1, 2, 3]) assert.match(text, new RegExp(`Löfte ${n}`));
    assert.match(text, /Öka upptäckten av narkotikabrott/);
    assert.match(text, /säker trafikmiljö inom Tranås kommun/);
    for (const wording of ['Trafikkontroller för en säker trafikmiljö', 'Riktade insatser', 'LOB och polislagen', 'Krogkontroller', 'langning av alkohol och tobak', 'SSPF och EST']) {
      assert.ok(text.includes(wording), wording);
    }
    assert.match(text, /minst 30 kontroller per år/);
    assert.match(text, /minst 15 insatser per år/);
    assert.equal(text.match(/Inget mål \(antal följs upp\)/g)?.length, 4);
  });

  it('answers in English when the Teams locale is English', async () => {
    const [reply] = await h.turn(message('status', { ...where(), locale: 'en-US' }));
    const text = cardText(reply!);
    assert.match(text, /Status of the citizen promise/);
    assert.match(text, /at least 30 kontroller per year/);
  });

  it('welcomes on install in a team and tells how to link a channel', async () => {
    const [reply] = await h.turn(botInstalled({ ...where(), kind: 'channel' }));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assert.match(text, /följa upp medborgarlöftet/);
    assert.match(text, /koppla kanal/);
  });

  it('welcomes in personal chat without the channel hint', async () => {
    const [reply] = await h.turn(botInstalled({ ...where(), conversationId: 'a:personal-2' }));
    const text = cardText(reply!);
    assert.match(text, /följa upp medborgarlöftet/);
    assert.doesNotMatch(text, /koppla kanal/);
  });

  it('answers unknown text with examples, never silence', async () => {
    const [reply] = await h.turn(message('vad är klockan på månen', where()));
    const text = cardText(reply!);
    assert.match(text, /Det förstod jag inte/);
    assert.match(text, /hur går det med trafiken/);
  });

  it('answers an empty message with examples', async () => {
    const [reply] = await h.turn(message('', where()));
    assert.match(cardText(reply!), /Det förstod jag inte/);
  });

  it('answers the status button (Action.Execute) with the status card in the invoke response', async () => {
    const res = await h.post(cardAction('status.show', {}, where()));
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assertValidCard(res.body.value);
    assert.match(cardText(res.body.value), /Löfte 3/);
  });

  it('answers an unknown card verb with an error card, not 501', async () => {
    const res = await h.post(cardAction('no.such.verb', {}, where()));
    assert.equal(res.status, 200);
    assertValidCard(res.body.value);
    assert.match(cardText(res.body.value), /känner jag inte igen/);
  });

  it('persists conversation references from personal chats, channels and installs', async () => {
    await h.post(installationUpdate('add', { ...where(), kind: 'groupChat', conversationId: '19:group@thread.v2' }));
    const file = JSON.parse(readFileSync(h.dbPath, 'utf8'));
    const byId = new Map(file.conversations.map((c: any) => [c.id, c]));
    const personal = byId.get('a:personal-1') as any;
    assert.equal(personal.kind, 'personal');
    assert.equal(personal.serviceUrl, h.connector.url);
    assert.equal(personal.userAadObjectId, 'aaaaaaaa-0000-4000-8000-000000000001');
    const channel = byId.get('19:general@thread.tacv2') as any;
    assert.equal(channel.kind, 'channel');
    assert.equal(channel.teamId, '19:team@thread.tacv2');
    assert.equal(channel.tenantId, '11111111-1111-4111-8111-111111111111');
    assert.equal((byId.get('19:group@thread.v2') as any).kind, 'groupChat');
  });

  it('marks a conversation inactive when the app is uninstalled', async () => {
    await h.post(installationUpdate('remove', { ...where(), kind: 'groupChat', conversationId: '19:group@thread.v2' }));
    const file = JSON.parse(readFileSync(h.dbPath, 'utf8'));
    assert.equal(file.conversations.find((c: any) => c.id === '19:group@thread.v2').active, false);
  });

  it('does not rewrite the data file for every message in a known conversation', async () => {
    await h.turn(message('hjälp', where()));
    const before = readFileSync(h.dbPath, 'utf8');
    await h.turn(message('status', where()));
    await h.turn(message('hjälp', where()));
    assert.equal(readFileSync(h.dbPath, 'utf8'), before);
  });

  it('keeps agreements and conversations across a restart, and does not reseed', async () => {
    const before = readFileSync(h.dbPath, 'utf8');
    await h.restart();
    const afterRestart = readFileSync(h.dbPath, 'utf8');
    assert.equal(afterRestart, before);
    const list = await h.bot.store.conversations.list();
    assert.ok(list.some((c) => c.id === 'a:personal-1'));
    const [reply] = await h.turn(message('status', where()));
    assert.match(cardText(reply!), /Löfte 1/);
  });
});
