import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { AuditFile } from '../../../src/storage/audit-file.js';
import { en, sv } from '../../../src/texts/index.js';
import { botInstalled, cardAction, message, TENANT, USER } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { assertDoesNotShow, assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';

const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
const REFUSED = sv.access.tenantRefused({ municipality: 'Tranås kommun' });

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
function fromTenant<T extends { channelData: Record<string, unknown>; conversation: Record<string, unknown> }>(
  activity: T,
  tenantId: string | undefined,
): T {
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

describe('access: allowed tenants (ALLOWED_TENANT_IDS), turns', () => {
  let h: TurnHarness;
  const where = (extra: Record<string, unknown> = {}) => ({ serviceUrl: h.serviceUrl, ...extra });

  before(async () => {
    h = await startTurnHarness({ clock: new ManualClock('2024-03-14T10:00:00Z'), env: { ALLOWED_TENANT_IDS: TENANT } });
  });
  after(async () => {
    await h.stop();
  });

  it('answers a message from another tenant politely in Swedish, stores nothing and audits the refusal', async () => {
    const activity = fromTenant(message('hjälp', where({ conversationId: 'a:other-tenant-chat' })), OTHER_TENANT);
    const [reply] = await h.turn(activity);
    assert.equal(reply!.type, 'message');
    assertShows(String(reply!.text), REFUSED);
    assertDoesNotShow(String(reply!.text), '!');
    assert.deepEqual(await h.bot.store.conversations.list(), []);
    const refused = auditEntries(h.dbPath).filter(
      (e) => e.action === 'access.refused' && e.correlationId === activity.id,
    );
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.outcome, 'refused');
    assert.equal(refused[0]!.detail, 'tenant:message');
    assert.equal(refused[0]!.actor.id, USER.aadObjectId);
    assert.equal(refused[0]!.actor.tenantId, OTHER_TENANT);
  });

  it('answers in English when the Teams locale is English', async () => {
    const [reply] = await h.turn(
      fromTenant(message('help', where({ locale: 'en-US', conversationId: 'a:other-tenant-en' })), OTHER_TENANT),
    );
    assertShows(String(reply!.text), en.access.tenantRefused({ municipality: 'Tranås kommun' }));
  });

  it('answers a card action from another tenant with an error card and stores no report', async () => {
    const data = {
      submissionId: 'sub-other-tenant-1',
      week: '2024-W11',
      activityId: 'trafikkontroller',
      count: '3',
      date: '2024-03-13',
      area: 'Centrum',
      description: 'kontroller',
      party: 'Polisen',
    };
    const activity = fromTenant(cardAction('report.submit', data, where()), OTHER_TENANT);
    const res = await h.post(activity);
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assertValidCard(res.body.value);
    assertShows(cardText(res.body.value), REFUSED);
    assert.deepEqual(reportFiles(h.dbPath), []);
    assert.equal((await h.bot.store.reports.list({ includeWithdrawn: true })).length, 0);
    assert.ok(
      auditEntries(h.dbPath).some(
        (e) => e.action === 'access.refused' && e.detail === 'tenant:invoke' && e.correlationId === activity.id,
      ),
    );
  });

  it('sends nothing and stores nothing when the bot is installed in another tenant', async () => {
    const res = await h.post(
      fromTenant(botInstalled(where({ kind: 'channel', conversationId: '19:other@thread.tacv2' })), OTHER_TENANT),
    );
    assert.ok(res.status >= 200 && res.status < 300);
    assert.deepEqual(res.replies, []);
    assert.deepEqual(await h.bot.store.conversations.list(), []);
  });

  it('refuses an activity without a tenant, and one whose conversation names another tenant', async () => {
    const [noTenant] = await h.turn(fromTenant(message('status', where({ conversationId: 'a:no-tenant' })), undefined));
    assertShows(String(noTenant!.text), REFUSED);
    const mixed = message('status', where({ conversationId: 'a:mixed' }));
    const [reply] = await h.turn({ ...mixed, conversation: { ...mixed.conversation, tenantId: OTHER_TENANT } });
    assertShows(String(reply!.text), REFUSED);
    assert.deepEqual(await h.bot.store.conversations.list(), []);
  });

  it('serves the allowed tenant as usual (tenant ids compared case-insensitively)', async () => {
    const activity = fromTenant(message('hjälp', where({ conversationId: 'a:allowed' })), TENANT.toUpperCase());
    const [reply] = await h.turn(activity);
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    assertShows(cardText(reply!), sv.help.title);
    assert.deepEqual(
      (await h.bot.store.conversations.list()).map((c) => c.id),
      ['a:allowed'],
    );
  });
});

describe('access: any tenant when ALLOWED_TENANT_IDS is empty', () => {
  let h: TurnHarness;
  before(async () => {
    h = await startTurnHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('serves a user of any tenant', async () => {
    const [reply] = await h.turn(fromTenant(message('hjälp', h.where()), OTHER_TENANT));
    assertShows(cardText(reply!), sv.help.title);
  });
});
