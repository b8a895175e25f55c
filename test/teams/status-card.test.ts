import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import { StatusService } from '../../src/app/status.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { statusCard } from '../../src/teams/cards/status-card.js';
import { textsFor } from '../../src/texts/index.js';

/** The status card is built from the view on every turn: the same card for the same view, never a stale one. */
describe('status card', () => {
  async function setup() {
    const store = new MemoryStore();
    const clock = new ManualClock('2024-03-14T10:00:00Z');
    const agreements = new AgreementService(store, clock);
    await agreements.seedDefaults();
    const status = new StatusService(store, agreements, clock, { riskBelow: 0.8, behindBelow: 0.5 });
    return { store, clock, status };
  }
  const sv = textsFor('sv');
  const en = textsFor('en');
  const text = (card: unknown) => JSON.stringify(card);

  it('gives the same card for an unchanged view, whether the agreement is the frozen stored one or a plain copy', async () => {
    const { status } = await setup();
    const view = (await status.current())!;
    const first = statusCard(sv, view);
    assert.deepEqual(statusCard(sv, (await status.current())!), first);
    const plain = { ...view, agreement: structuredClone(view.agreement) };
    assert.equal(text(statusCard(sv, plain)), text(first));
  });

  it('follows every change of what it shows: language, pledge, date, meeting, channel link, override authors', async () => {
    const { store, status, clock } = await setup();
    const view = (await status.current())!;
    const base = text(statusCard(sv, view));
    assert.match(text(statusCard(en, view)), /Status/);
    assert.notEqual(text(statusCard(en, view)), base);
    assert.notEqual(text(statusCard(sv, view, 1)), base);
    assert.equal(text(statusCard(sv, view)), base);

    const full = text(statusCard(sv, view, undefined, true));
    assert.notEqual(full, base);
    assert.equal(text(statusCard(sv, view, undefined, true)), full);
    const meeting = {
      id: 'm1',
      agreementId: view.agreement.id,
      kind: 'styrgrupp' as const,
      date: '2024-03-20',
      time: '13:00',
      createdBy: 'u',
      createdAt: 'x',
      updatedAt: 'x',
      revision: 1,
    };
    const withMeeting = text(statusCard(sv, { ...view, nextMeeting: meeting }, undefined, true));
    assert.notEqual(withMeeting, full);
    assert.notEqual(
      text(statusCard(sv, { ...view, nextMeeting: { ...meeting, time: '14:00' } }, undefined, true)),
      withMeeting,
    );
    assert.match(
      text(
        statusCard(
          sv,
          { ...view, linkedChannel: { name: 'Medborgarlöfte-kanalen', linkedAt: '2024-03-01T10:00:00Z' } },
          undefined,
          true,
        ),
      ),
      /Medborgarlöfte-kanalen/,
    );
    assert.notEqual(text(statusCard(sv, { ...view, inForce: false, today: '2025-01-10' })), base);

    // An override: a new computed status and its author's name.
    await store.overrides.put({
      id: 'o1',
      agreementId: view.agreement.id,
      pledgeNumber: 2,
      level: 'behind',
      reason: 'Färre vandringar än planerat',
      by: 'k1',
      byName: 'Kim Samordnare',
      at: '2024-03-14T09:00:00Z',
    });
    assert.match(text(statusCard(sv, (await status.current())!)), /Löfte 2\*\* · 🔴 Efter \(satt av samordnare\)/);
    const overridden = text(statusCard(sv, (await status.current())!, 2));
    assert.match(overridden, /Färre vandringar än planerat/);
    assert.match(overridden, /Kim Samordnare/);
    await store.overrides.put({
      id: 'o1',
      agreementId: view.agreement.id,
      pledgeNumber: 2,
      level: 'behind',
      reason: 'Färre vandringar än planerat',
      by: 'k1',
      byName: 'Kim S.',
      at: '2024-03-14T09:00:00Z',
    });
    assert.match(text(statusCard(sv, (await status.current())!, 2)), /Kim S\./);

    // The next day: a new date and a new computed status.
    clock.set('2024-03-15T10:00:00Z');
    const tomorrow = (await status.current())!;
    assert.equal(tomorrow.today, '2024-03-15');
    assert.deepEqual(
      statusCard(sv, tomorrow),
      JSON.parse(text(statusCard(sv, { ...tomorrow, agreement: structuredClone(tomorrow.agreement) }))),
    );
  });
});
