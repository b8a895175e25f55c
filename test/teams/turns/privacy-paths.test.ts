import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { runAgreementCli } from '../../../src/cli/agreement.js';
import { TRANAS_2023_2024 } from '../../../src/domain/tranas-2023-2024.js';
import { cardAction, message, TENANT, USER, type Where } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText, tempDbPath } from '../../helpers/harness.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';
import { anyDisguised, checkDigit, inContext, SEED, splitInTwo, type Disguised } from '../../helpers/identifiers.js';
import { runs } from '../../helpers/runs.js';
import { storedReports } from '../../helpers/stored-reports.js';

/**
 * Generated identifiers in random disguises, pushed through every path where a person types text
 * the bot stores or shows: each is refused (or, for names Teams supplies, not kept), nothing is
 * stored, and neither the data file nor the audit ever holds the identifier.
 */

/** Generated disguises per path: 30 at full strength (PROPERTY_RUNS=1, as in CI). */
const SAMPLES = runs(30, 10);
const COORDINATOR = { id: '29:coord', name: 'Kommunpolis', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const REFUSED = /ser ut som/;

const samples = (n = SAMPLES, seedOffset = 0): (Disguised & { context?: [string, string] })[] =>
  fc.sample(inContext, { seed: SEED + seedOffset, numRuns: n });

describe('privacy guard on every path (generated disguises, turns)', () => {
  let h: TurnHarness;
  const clock = new ManualClock('2024-03-14T10:00:00Z');
  const where = (from: Where['from'] = USER, extra: Partial<Where> = {}): Where => ({
    serviceUrl: h.serviceUrl,
    from,
    ...extra,
  });
  const db = () => JSON.parse(readFileSync(h.dbPath, 'utf8'));
  const auditText = () =>
    existsSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'))
      ? readFileSync(h.dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8')
      : '';
  const typedSoFar: Disguised[] = [];

  async function say(text: string, w: Where): Promise<string> {
    const [reply] = await h.turn(message(text, w));
    const cards = cardsOf(reply!);
    for (const c of cards) assertValidCard(c);
    return cards.length > 0 ? cardText(reply!) : String(reply!.text ?? '');
  }
  async function press(verb: string, data: Record<string, unknown>, w: Where): Promise<string> {
    const res = await h.post(cardAction(verb, data, w));
    assert.equal(res.status, 200);
    assertValidCard(res.body.value);
    return cardText(res.body.value);
  }

  before(async () => {
    h = await startTurnHarness({
      clock,
      env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, PARTY_BY_TENANT: `${TENANT}=Polisen` },
    });
  });
  after(async () => {
    // Whatever was typed on any path: not in the data file, not in the audit.
    const stored = readFileSync(h.dbPath, 'utf8') + JSON.stringify(storedReports(h.dbPath));
    const audit = auditText();
    for (const d of typedSoFar) {
      for (const s of [d.text, d.plain]) {
        assert.ok(
          !stored.includes(s),
          `stored: ${JSON.stringify(s)} in ${stored.slice(Math.max(0, stored.indexOf(s) - 1200), stored.indexOf(s) + 50)}`,
        );
        assert.ok(!audit.includes(s), `audited: ${JSON.stringify(s)}`);
      }
    }
    await h.stop();
  });

  const report = (extra: Record<string, unknown>) => ({
    submissionId: `sub-${Math.random().toString(36).slice(2, 12)}`,
    week: '2024-W11',
    activityId: 'trafikkontroller',
    count: '3',
    date: '2024-03-13',
    area: 'Centrum',
    description: '',
    party: 'Polisen',
    ...extra,
  });

  it(`report card: refuses ${SAMPLES} generated disguises in the description and stores nothing`, async () => {
    const before = storedReports(h.dbPath).length;
    for (const d of samples()) {
      typedSoFar.push(d);
      assert.match(
        await press('report.submit', report({ description: d.text }), where()),
        REFUSED,
        JSON.stringify(d.text),
      );
    }
    assert.equal(storedReports(h.dbPath).length, before);
    // The guard is not refusing everything: an ordinary report is stored.
    assert.doesNotMatch(
      await press('report.submit', report({ description: 'Trafikkontroll kl. 22.30 på väg 32, 45 fordon' }), where()),
      REFUSED,
    );
    assert.equal(storedReports(h.dbPath).length, before + 1);
  });

  it('report card: refuses an identifier split between the description and the count, or over two fields', async () => {
    const before = storedReports(h.dbPath).length;
    const births = fc.sample(
      fc.record({
        y: fc.integer({ min: 40, max: 99 }),
        m: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 28 }),
        serial: fc.integer({ min: 0, max: 999 }),
      }),
      { seed: SEED, numRuns: runs(15, 5) },
    );
    for (const { y, m, d, serial } of births) {
      const date = [y, m, d].map((n) => String(n).padStart(2, '0')).join('');
      const nine = date + String(serial).padStart(3, '0');
      const last4 = nine.slice(6) + checkDigit(nine);
      typedSoFar.push({ kind: 'personnummer', plain: date + last4, disguises: [], text: `${date}-${last4}` });
      assert.match(
        await press('report.submit', report({ description: `Kontroll av person född ${date}`, count: last4 }), where()),
        REFUSED,
      );
    }
    for (const [a, b] of fc.sample(anyDisguised.filter((x) => x.kind === 'personnummer').chain(splitInTwo), {
      seed: SEED,
      numRuns: runs(15, 5),
    })) {
      // The last field a report card has besides the description is the age bands (numbers only); a
      // split into two free texts is the meeting's place and agenda (below).
      assert.match(
        await press(
          'meeting.create',
          {
            meetingId: `m-${Math.random().toString(36).slice(2, 12)}`,
            kind: 'EST-möte',
            date: '2024-03-20',
            time: '13:00',
            place: a,
            agenda: b,
          },
          where(COORDINATOR),
        ),
        REFUSED,
      );
    }
    assert.equal(storedReports(h.dbPath).length, before);
  });

  it(`meeting card: refuses ${SAMPLES} generated disguises in the place and in the agenda`, async () => {
    const before = db().meetings.length;
    for (const [i, d] of samples(SAMPLES, 1).entries()) {
      typedSoFar.push(d);
      const fields =
        i % 2 === 0 ? { place: d.text, agenda: 'Läget i centrum' } : { place: 'Stadshuset, sal 112', agenda: d.text };
      assert.match(
        await press(
          'meeting.create',
          {
            meetingId: `m-${Math.random().toString(36).slice(2, 12)}`,
            kind: 'samverkansmöte',
            date: '2024-03-20',
            time: '13:00',
            ...fields,
          },
          where(COORDINATOR),
        ),
        REFUSED,
        JSON.stringify(d.text),
      );
    }
    assert.equal(db().meetings.length, before);
    // A meeting id crafted into the card data to carry an identifier is not used: ids reach the audit.
    typedSoFar.push({ kind: 'personnummer', plain: '19121212-1212', disguises: [], text: '19121212\u20111212' });
    assert.doesNotMatch(
      await press(
        'meeting.create',
        { meetingId: '19121212-1212', kind: 'samverkansmöte', date: '2024-03-21', time: '13:00', place: 'Stadshuset' },
        where(COORDINATOR),
      ),
      REFUSED,
    );
    assert.equal(db().meetings.length, before + 1);
    assert.ok(!db().meetings.some((m: any) => m.id.includes('1212-1212')));
  });

  it(`status reason: refuses ${SAMPLES} generated disguises in chat and ${SAMPLES} on the card`, async () => {
    for (const d of samples(SAMPLES, 2)) {
      typedSoFar.push(d);
      assert.match(
        await say(`sätt status löfte 3 risk: ${d.text}`, where(COORDINATOR)),
        REFUSED,
        JSON.stringify(d.text),
      );
    }
    for (const d of samples(SAMPLES, 3)) {
      typedSoFar.push(d);
      assert.match(
        await press('status.override.save', { subject: 'p:2', level: 'behind', reason: d.text }, where(COORDINATOR)),
        REFUSED,
        JSON.stringify(d.text),
      );
    }
    assert.deepEqual(db().overrides, []);
  });

  it(`activity wording and unit: refuses ${SAMPLES} generated disguises in "ny aktivitet" and "ändra aktivitet"`, async () => {
    const before = JSON.stringify(db().agreements);
    for (const [i, d] of samples(SAMPLES, 4).entries()) {
      typedSoFar.push(d);
      const command =
        i % 2 === 0
          ? `ny aktivitet löfte 2: Vandringar ${d.text}, ägare Polisen`
          : `ändra aktivitet krogkontroller: enhet ${d.text}`;
      const text = await say(command, where(COORDINATOR));
      assert.match(text, REFUSED, JSON.stringify(command));
      assert.ok(!text.includes(d.text) && !text.includes(d.plain), 'not shown back');
    }
    assert.equal(JSON.stringify(db().agreements), before);
  });

  it(`absence note: "borta till …" stores a date only, never the text (${SAMPLES} samples)`, async () => {
    await say('anmäl mig som rapportör', where());
    for (const d of samples(SAMPLES, 5)) {
      typedSoFar.push(d);
      await say(`borta till ${d.text}`, where());
    }
    const me = db().reporters.find((r: any) => r.aadObjectId === USER.aadObjectId);
    assert.deepEqual(Object.keys(me).sort(), [
      'aadObjectId',
      'active',
      // The party of the person's latest report (Polisen or Kommunen), not text typed.
      'lastParty',
      'name',
      'party',
      'personalConversationId',
      'registeredAt',
      // The municipality (a slug of its name), not the text typed.
      'scope',
      'tenantId',
    ]);
  });

  it('names Teams supplies: a display name or channel name that fails is not kept or shown; the registration is made', async () => {
    const names = samples(10, 6);
    for (const [i, d] of names.entries()) {
      typedSoFar.push(d);
      const person = {
        id: `29:named-${i}`,
        name: d.text,
        aadObjectId: `eeeeeeee-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      };
      assert.match(
        await say('anmäl mig som rapportör', where(person, { conversationId: `a:named-${i}` })),
        /rapportör/,
      );
      assert.equal(db().reporters.find((r: any) => r.aadObjectId === person.aadObjectId).name, undefined);
    }
    const list = await say('rapportörer', where(COORDINATOR, { conversationId: 'a:personal-coord' }));
    assert.match(list, /Namn saknas/);

    // A status override by a coordinator whose display name fails: saved, without the name.
    const coordinatorNamed = { ...COORDINATOR, name: names[0]!.text };
    assert.doesNotMatch(
      await say('sätt status löfte 3 risk: färre resurser i sommar', where(coordinatorNamed)),
      REFUSED,
    );
    assert.equal(db().overrides.length, 1);
    assert.equal(db().overrides[0].byName, undefined);

    // A channel whose name fails: linked, the name not kept; the status shows no name.
    const link = message(
      'koppla kanal',
      where(COORDINATOR, { kind: 'channel', conversationId: '19:named@thread.tacv2' }),
    );
    (link.channelData as any).channel.name = names[1]!.text;
    await h.turn(link);
    assert.equal(db().channelLinks.length, 1);
    assert.equal(db().channelLinks[0].channelName, undefined);
  });

  it(`agreement import: refuses ${SAMPLES} generated disguises in an activity's wording or unit or a pledge's text, naming the field only`, async () => {
    const saved = process.env.DB_PATH;
    process.env.DB_PATH = tempDbPath();
    try {
      for (const [i, d] of samples(SAMPLES, 7).entries()) {
        typedSoFar.push(d);
        const agreement = structuredClone(TRANAS_2023_2024) as any;
        agreement.id = 'tranas-2025-2026';
        // Wording (max 300) and pledge text (max 500) hold the sentence; the unit (max 40) the identifier alone.
        if (i % 3 === 0) agreement.activities[0].wording = `Kontroller ${d.text}`;
        else if (i % 3 === 1) agreement.pledges[1].wording = `Löftet gäller ${d.text}`;
        else
          agreement.activities[1].unit = d.text.slice(
            d.context?.[0].length ?? 0,
            d.text.length - (d.context?.[1].length ?? 0),
          );
        const file = `${process.env.DB_PATH}.${i}.json`;
        writeFileSync(file, JSON.stringify(agreement));
        const lines: string[] = [];
        const code = await runAgreementCli(['import', file], (s) => lines.push(s));
        assert.equal(code, 1, JSON.stringify(d.text));
        const out = lines.join('\n');
        assert.match(out, /innehåller något som ser ut som|at most 40/);
        assert.ok(!out.includes(d.plain), 'the value is not printed');
      }
    } finally {
      if (saved === undefined) delete process.env.DB_PATH;
      else process.env.DB_PATH = saved;
    }
  });
});
