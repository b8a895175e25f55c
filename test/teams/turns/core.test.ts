import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { botInstalled, cardAction, installationUpdate, message } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { assertDoesNotShow, assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';
import { en, sv } from '../../../src/texts/index.js';

describe('turns: help, status, welcome, fallbacks and conversation references (TestAdapter)', () => {
  let h: TurnHarness;
  const where = () => h.where();

  before(async () => {
    h = await startTurnHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('answers hjälp with a Swedish help card', async () => {
    const [reply] = await h.turn(message('hjälp', where()));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assertShows(text, sv.help.title);
    assert.match(text, /rapportera/);
    assertShows(text, sv.privacyNote);
    assert.equal(reply!.conversation.id, 'a:personal-1');
  });

  it('answers "help" and "HJALP" too', async () => {
    for (const t of ['help', 'HJALP', 'hjälp!']) {
      const [reply] = await h.turn(message(t, where()));
      assertShows(cardText(reply!), sv.help.title, t);
    }
  });

  it('answers status with one line per promise, and the three Tranås promises and six activities with owners and targets one tap away', async () => {
    const [reply] = await h.turn(message('status', where()));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const compact = cardText(reply!);
    assert.match(compact, /Tranås kommun och Lokalpolisområde Höglandet · 2023–2024/);
    for (const n of [1, 2, 3]) assert.match(compact, new RegExp(`Löfte ${n}\\*\\* · `));
    assert.match(compact, /0 av 30 kontroller i år/);
    assert.equal(compact.match(/Visa detaljer/g)?.length, 3);
    assert.doesNotMatch(compact, /Öka upptäckten av narkotikabrott/);

    const all = await h.post(cardAction('status.all', {}, where()));
    assertValidCard(all.body.value);
    const text = cardText(all.body.value);
    assert.match(text, /Tranås kommun och Lokalpolisområde Höglandet · 2023–2024/);
    for (const n of [1, 2, 3]) assertShows(text, sv.status.pledge(n));
    assert.match(text, /Öka upptäckten av narkotikabrott/);
    assert.match(text, /säker trafikmiljö inom Tranås kommun/);
    for (const wording of [
      'Trafikkontroller för en säker trafikmiljö',
      'Riktade insatser',
      'LOB och polislagen',
      'Krogkontroller',
      'langning av alkohol och tobak',
      'SSPF och EST',
    ]) {
      assert.ok(text.includes(wording), wording);
    }
    assert.match(text, /minst 30 kontroller per år/);
    assert.match(text, /minst 15 insatser per år/);
    assert.equal(text.match(/Inget mål \(antal följs upp\)/g)?.length, 4);
  });

  it('answers in English when the Teams locale is English', async () => {
    const [reply] = await h.turn(message('status', { ...where(), locale: 'en-US' }));
    assertShows(cardText(reply!), en.status.title);
    assert.match(cardText(reply!), /Promise 3\*\* · .* · 0 of 30 kontroller this year \(6\.1 expected\)/);
    const all = await h.post(cardAction('status.all', {}, { ...where(), locale: 'en-US' }));
    assert.match(cardText(all.body.value), /at least 30 kontroller per year/);
  });

  it('welcomes on install in a team and tells how to link a channel', async () => {
    const [reply] = await h.turn(botInstalled({ ...where(), kind: 'channel' }));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const text = cardText(reply!);
    assertShows(text, sv.welcome.title);
    assertShows(text, sv.welcome.team);
  });

  it('welcomes in personal chat without the channel hint', async () => {
    const [reply] = await h.turn(botInstalled({ ...where(), conversationId: 'a:personal-2' }));
    const text = cardText(reply!);
    assertShows(text, sv.welcome.title);
    assertDoesNotShow(text, sv.welcome.team);
  });

  it('answers unknown text with examples, never silence', async () => {
    const [reply] = await h.turn(message('vad är klockan på månen', where()));
    const text = cardText(reply!);
    assertShows(text, sv.answers.notUnderstood(['klockan', 'månen']));
    for (const example of sv.unknown.examples) assertShows(text, example);
  });

  it('answers an empty message with examples', async () => {
    const [reply] = await h.turn(message('', where()));
    assertShows(cardText(reply!), sv.answers.examplesTitle);
  });

  it('answers the status button (Action.Execute) with the status card in the invoke response', async () => {
    const res = await h.post(cardAction('status.show', {}, where()));
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assertValidCard(res.body.value);
    assertShows(cardText(res.body.value), sv.status.pledge(3));
  });

  it('answers an unknown card verb with an error card, not 501', async () => {
    const res = await h.post(cardAction('no.such.verb', {}, where()));
    assert.equal(res.status, 200);
    assertValidCard(res.body.value);
    assertShows(cardText(res.body.value), sv.errors.unknownAction);
  });

  it('persists conversation references from personal chats, channels and installs', async () => {
    await h.post(installationUpdate('add', { ...where(), kind: 'groupChat', conversationId: '19:group@thread.v2' }));
    const file = JSON.parse(readFileSync(h.dbPath, 'utf8'));
    const byId = new Map(file.conversations.map((c: any) => [c.id, c]));
    const personal = byId.get('a:personal-1') as any;
    assert.equal(personal.kind, 'personal');
    assert.equal(personal.serviceUrl, h.serviceUrl);
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
    assertShows(cardText(reply!), sv.status.pledge(1));
  });
});
