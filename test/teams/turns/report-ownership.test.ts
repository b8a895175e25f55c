import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { cardAction, message, USER } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { sv } from '../../../src/texts/index.js';
import { assertDoesNotShow, assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';
import { storedReports } from '../../helpers/stored-reports.js';

const OTHER = { id: '29:user-2', name: 'Rapportör Två', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002' };

const answer = (values: Record<string, unknown>) => ({
  week: '2024-W11',
  activityId: 'trafikkontroller',
  count: '3',
  date: '2024-03-13',
  area: 'Centrum',
  raiseAtNextMeeting: 'false',
  party: 'Polisen',
  ...values,
});

/** Every Input.* element of a card, anywhere in its body. */
function inputsOf(content: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.')) out.push(String(o.id));
      Object.values(o).forEach(walk);
    }
  };
  walk(content);
  return out;
}

describe('one owner per report: channel cards and submission ids', () => {
  let h: TurnHarness;
  const clock = new ManualClock('2024-03-14T10:00:00Z');
  const inChannel = (from: typeof USER) => ({ serviceUrl: h.serviceUrl, kind: 'channel' as const, from });
  const personal = (from: typeof USER) => ({
    serviceUrl: h.serviceUrl,
    from,
    conversationId: `a:personal-${from.aadObjectId}`,
  });

  before(async () => {
    h = await startTurnHarness({ clock });
  });
  after(async () => {
    await h.stop();
  });

  it('posts a button, not a form, when someone writes rapportera in a channel; each press gets a form of its own', async () => {
    const [posted] = await h.turn(message('rapportera', inChannel(USER)));
    const [launcher] = cardsOf(posted!);
    assertValidCard(launcher);
    assert.deepEqual(inputsOf(launcher), [], 'the channel card carries no form');
    assert.doesNotMatch(JSON.stringify(launcher), /submissionId/);
    assert.equal(launcher!.actions[0].verb, 'report.open');
    assertShows(cardText(posted!), sv.report.launcherText);

    const first = await h.post(cardAction(launcher!.actions[0].verb, launcher!.actions[0].data ?? {}, inChannel(USER)));
    const second = await h.post(
      cardAction(launcher!.actions[0].verb, launcher!.actions[0].data ?? {}, inChannel(OTHER)),
    );
    assert.ok(inputsOf(first.body.value).includes('description'));
    const a = first.body.value.actions[0].data.submissionId;
    const b = second.body.value.actions[0].data.submissionId;
    assert.match(a, /^[0-9a-f-]{36}$/);
    assert.notEqual(a, b);
  });

  it('stores both people’s reports from one channel card, and neither receipt shows the other’s text', async () => {
    const [posted] = await h.turn(message('rapportera', inChannel(USER)));
    const open = cardsOf(posted!)[0]!.actions[0];
    const formOf = async (from: typeof USER) =>
      (await h.post(cardAction(open.verb, open.data ?? {}, inChannel(from)))).body.value;
    const [formA, formB] = [await formOf(USER), await formOf(OTHER)];
    const submit = (form: any, from: typeof USER, description: string) =>
      h.post(
        cardAction(form.actions[0].verb, { ...form.actions[0].data, ...answer({ description }) }, inChannel(from)),
      );
    const a = await submit(formA, USER, 'Kontroll vid infarten norr, 40 fordon');
    const b = await submit(formB, OTHER, 'Hastighetskontroll vid skolan, 12 fordon');
    const textA = cardText(a.body.value);
    const textB = cardText(b.body.value);
    assertShows(textA, sv.report.saved);
    assertShows(textB, sv.report.saved);
    assertDoesNotShow(textB, sv.report.alreadySaved);
    assert.doesNotMatch(textB, /infarten norr/);
    assert.doesNotMatch(textA, /skolan/);
    const stored = storedReports(h.dbPath);
    assert.equal(
      stored.filter(
        (r) => r.description === 'Kontroll vid infarten norr, 40 fordon' && r.reporterId === USER.aadObjectId,
      ).length,
      1,
    );
    assert.equal(
      stored.filter(
        (r) => r.description === 'Hastighetskontroll vid skolan, 12 fordon' && r.reporterId === OTHER.aadObjectId,
      ).length,
      1,
    );
  });

  it('a submission id reused by another person stores that person’s report and never shows the first', async () => {
    const submissionId = 'reused-0000-4000-8000-000000000001';
    const first = await h.post(
      cardAction(
        'report.submit',
        answer({ submissionId, description: 'Första personens text om Storgatan' }),
        personal(USER),
      ),
    );
    assertShows(cardText(first.body.value), sv.report.saved);
    const reused = await h.post(
      cardAction(
        'report.submit',
        answer({ submissionId, count: '7', description: 'Andra personens egen text' }),
        personal(OTHER),
      ),
    );
    const text = cardText(reused.body.value);
    assertShows(text, sv.report.saved);
    assertDoesNotShow(text, sv.report.alreadySaved);
    assert.doesNotMatch(text, /Storgatan/);
    assert.match(text, /Andra personens egen text/);

    // The same person sending again gets their own receipt, marked as already saved.
    const again = await h.post(
      cardAction(
        'report.submit',
        answer({ submissionId, count: '7', description: 'Andra personens egen text' }),
        personal(OTHER),
      ),
    );
    assertShows(cardText(again.body.value), sv.report.alreadySaved);
    assert.doesNotMatch(cardText(again.body.value), /Storgatan/);

    const withId = () => storedReports(h.dbPath).filter((r) => r.submissionId === submissionId);
    assert.deepEqual(
      withId()
        .map((r) => r.reporterId)
        .sort(),
      [USER.aadObjectId, OTHER.aadObjectId].sort(),
    );

    // After a restart both are still there and the owner's duplicate is still recognised.
    await h.restart();
    const afterRestart = await h.post(
      cardAction(
        'report.submit',
        answer({ submissionId, description: 'Första personens text om Storgatan' }),
        personal(USER),
      ),
    );
    assertShows(cardText(afterRestart.body.value), sv.report.alreadySaved);
    assert.doesNotMatch(cardText(afterRestart.body.value), /Andra personens/);
    assert.equal(withId().length, 2);
  });
});
