import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { USER, cardAction, message } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { sv } from '../../../src/texts/index.js';
import { assertDoesNotShow, assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const REFUSAL = sv.statusAdmin.forbidden;

function auditEntries(dbPath: string): Record<string, any>[] {
  const file = dbPath.replace(/\.json$/, '.audit.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('coordinators over the protocol: status set by hand, targets, reporting rate', () => {
  let h: TurnHarness;

  before(async () => {
    // Thursday 14 March 2024, week 11: day 74 of 366.
    h = await startTurnHarness({
      clock: new ManualClock('2024-03-14T10:00:00Z'),
      env: { COORDINATOR_IDS: COORDINATOR.aadObjectId },
    });
    const res = await h.post(
      cardAction(
        'report.submit',
        {
          submissionId: 'status-admin-1',
          week: '2024-W11',
          activityId: 'trafikkontroller',
          count: '7',
          date: '2024-03-13',
          area: 'Centrum',
          description: '',
          party: 'Polisen',
        },
        { serviceUrl: h.serviceUrl },
      ),
    );
    assertShows(cardText(res.body.value), sv.report.saved);
  });
  after(async () => {
    await h.stop();
  });

  /** Sends a message and returns the text of the card it answers with (validated). */
  async function say(
    text: string,
    from: { id: string; name?: string; aadObjectId?: string } = COORDINATOR,
    locale?: string,
  ): Promise<string> {
    const [reply] = await h.turn(message(text, { serviceUrl: h.serviceUrl, from, ...(locale ? { locale } : {}) }));
    const cards = cardsOf(reply!);
    assert.equal(cards.length, 1, `one card for ${text}`);
    assertValidCard(cards[0]);
    return cardText(reply!);
  }

  async function click(
    verb: string,
    data: Record<string, unknown>,
    from: { id: string; name?: string; aadObjectId?: string } = COORDINATOR,
  ): Promise<string> {
    const res = await h.post(cardAction(verb, data, { serviceUrl: h.serviceUrl, from }));
    assert.equal(res.status, 200);
    assertValidCard(res.body.value);
    return cardText(res.body.value);
  }

  it('shows a coordinator’s override on the next status card, with who, when, why and the computed figure', async () => {
    const confirm = await say('sätt status löfte 3 risk: polisen har haft färre resurser i sommar');
    assertShows(confirm, sv.statusAdmin.overrideSaved(sv.statusAdmin.pledge(3), sv.levels.atRisk!));
    assertShows(confirm, sv.statusAdmin.computed(sv.levels.onTrack!));

    assert.match(
      await say('status'),
      /\*\*Löfte 3\*\* · 🟡 Risk \(satt av samordnare\) · 7 av 30 kontroller i år \(6,1 väntat\)/,
    );
    const status = await click('status.all', {});
    assert.match(status, /Löfte 3 — 🟡 Risk/);
    assert.ok(status.includes('Satt till 🟡 Risk av Kommunpolis Karin, 14 mars 2024 kl. 11.00.'), status);
    assert.ok(status.includes('Beräknad status: 🟢 I fas.'));
    assert.ok(status.includes('polisen har haft färre resurser i sommar'));
    // 30 × 74/366 ≈ 6,1 expected: the computed figure stays on the card.
    assert.ok(status.includes('7 av 30 (väntat hittills 6,1)'), status);

    const audit = auditEntries(h.dbPath).filter((e) => e.action === 'status.override');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor.id, COORDINATOR.aadObjectId);
    assert.equal(audit[0]!.detail, 'p:3:atRisk');
    assert.ok(
      !readFileSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8').includes('resurser'),
      'the reason is not in the audit trail',
    );
  });

  it('refuses a non-coordinator politely, audits it, and changes nothing', async () => {
    const before = auditEntries(h.dbPath).length;
    for (const text of [
      'sätt status löfte 2 efter: allt går dåligt',
      'ta bort status löfte 3',
      'sätt mål trafikkontroller 5 per år',
      'rapporteringsgrad',
    ]) {
      assert.equal(await say(text, USER), REFUSAL, text);
    }
    assert.equal(
      await click('status.override.save', { subject: 'p:2', level: 'behind', reason: 'allt går dåligt' }, USER),
      REFUSAL,
    );
    const refused = auditEntries(h.dbPath).slice(before);
    assert.deepEqual(
      refused.map((e) => [e.action, e.outcome, e.actor.id]),
      Array.from({ length: 5 }, () => ['access.refused', 'refused', USER.aadObjectId]),
    );
    const status = await click('status.all', {}, USER);
    assert.match(status, /Löfte 2 — ⚪ Inget mål/);
    assert.match(status, /Löfte 3 — 🟡 Risk/);
    assert.ok(status.includes('7 av 30'));
  });

  it('answers an unclear command with the correct form, an example and what was typed; the form card saves', async () => {
    const text = await say('sätt status löfte 2 kanske');
    assertShows(text, sv.statusAdmin.notSaved);
    assertShows(text, sv.statusAdmin.overrideProblems.level);
    assert.match(text, /Du skrev: \nlöfte 2 kanske|Du skrev: [\s\S]*löfte 2 kanske/);
    assertShows(text, sv.statusAdmin.overrideExamples[0]!);

    const bare = await say('sätt status');
    assertDoesNotShow(bare, sv.statusAdmin.notSaved);
    assert.match(bare, /Skriv: sätt status/);

    const saved = await click('status.override.save', {
      subject: 'p:2',
      level: 'behind',
      reason: 'Färre trygghetsvandringar än planerat',
    });
    assertShows(saved, sv.statusAdmin.overrideSaved(sv.statusAdmin.pledge(2), sv.levels.behind!));
    assert.match(await click('status.all', {}), /Löfte 2 — 🔴 Efter/);
  });

  it('clears a status set by hand; the computed status is back and the figure unchanged', async () => {
    const text = await say('ta bort status löfte 3');
    assertShows(text, sv.statusAdmin.cleared(sv.statusAdmin.pledge(3)));
    const status = await click('status.all', {});
    assert.match(status, /Löfte 3 — 🟢 I fas/);
    assert.ok(!status.includes('färre resurser'));
    assert.ok(status.includes('7 av 30'));
    assertShows(
      await click('status.override.clear', { subject: 'p:3' }),
      sv.statusAdmin.clearNone(sv.statusAdmin.pledge(3)),
    );
    assert.equal(auditEntries(h.dbPath).filter((e) => e.action === 'status.override.cleared').length, 1);
    const stored = JSON.parse(readFileSync(h.dbPath, 'utf8')).overrides;
    assert.equal(stored.length, 2, 'cleared overrides are kept');
    assert.ok(stored.find((o: any) => o.pledgeNumber === 3).clearedAt);
  });

  it('shows the reporting rate per party for the last four weeks', async () => {
    const text = await say('rapporteringsgrad');
    assert.match(text, /Rapporteringsgrad/);
    for (const w of ['Vecka 11 2024 \\(11–17 mars\\) – pågår', 'Vecka 10 2024', 'Vecka 9 2024', 'Vecka 8 2024'])
      assert.match(text, new RegExp(w));
    assert.match(text, /Polisen\n1 rapportör, 1 rapport/);
    assert.match(text, /Kommunen\n0 rapportörer, 0 rapporter/);
    assert.match(text, /Inga rapportörer har anmält sig ännu/);
  });

  it('changes a target with sätt mål; the status card shows the new target', async () => {
    const text = await say('sätt mål trafikkontroller 35 per år');
    assert.match(text, /Målet för Trafikkontroller för en säker trafikmiljö är ändrat/);
    assert.match(text, /Tidigare mål\nminst 30 kontroller per år/);
    assert.match(text, /Nytt mål\nminst 35 kontroller per år/);
    const status = await click('status.all', {});
    assert.ok(status.includes('minst 35 kontroller per år'), status);
    assert.ok(status.includes('7 av 35'), status);
    const changed = auditEntries(h.dbPath).filter((e) => e.action === 'agreement.changed');
    assert.deepEqual(
      changed.map((e) => e.detail),
      ['activity.changed:trafikkontroller:target'],
    );

    const refused = await say('sätt mål trafikkontroller 35 per månad');
    assert.match(refused, /Ändringen sparades inte/);
    assert.match(refused, /Skriv målet som ett antal och en tid/);
  });

  it('lists the activities and adds one', async () => {
    const added = await say(
      'ny aktivitet löfte 2: Trygghetsvandringar, enhet vandringar, mål 10 per år, ägare Kommunen',
    );
    assert.match(added, /Trygghetsvandringar är tillagd i löfte 2/);
    const list = await say('aktiviteter');
    assert.match(list, /Trygghetsvandringar\n[\s\S]*aktivitet-7\n[\s\S]*minst 10 vandringar per år/);
    assertShows(list, sv.statusAdmin.howToChange);
    const forReporter = await say('aktiviteter', USER);
    assertDoesNotShow(forReporter, sv.statusAdmin.howToChange);
  });

  it('speaks English to an English Teams client', async () => {
    assert.equal(
      await say('rapporteringsgrad', USER, 'en-US'),
      'Only coordinators can do this: kommunpolis or säkerhetssamordnare.',
    );
    assert.match(
      await say('rapporteringsgrad', COORDINATOR, 'en-GB'),
      /Reporting rate[\s\S]*Police\n1 reporter, 1 report/,
    );
  });

  it('refuses a coordinator command longer than 4 000 characters before parsing it, changing nothing', async () => {
    const overrides = () => JSON.stringify(JSON.parse(readFileSync(h.dbPath, 'utf8')).overrides);
    const dbBefore = overrides();
    const reason = 'resurser '.repeat((240 * 1024) / 9);
    const [reply] = await h.turn(
      message(`sätt status löfte 2 risk: ${reason}`, { serviceUrl: h.serviceUrl, from: COORDINATOR }),
    );
    assertShows(reply!.text, sv.errors.tooLong(4000));
    assert.equal(overrides(), dbBefore);
    // Just under the cap it is read as the command it is (the reason is then too long: max 500).
    const [near] = await h.turn(
      message(`sätt status löfte 2 risk: ${'x'.repeat(3900)}`, { serviceUrl: h.serviceUrl, from: COORDINATOR }),
    );
    assertDoesNotShow(JSON.stringify(near), sv.errors.tooLong(4000));
  });
});
