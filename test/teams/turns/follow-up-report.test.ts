import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { parseCommand } from '../../../src/app/commands.js';
import { ManualClock } from '../../../src/app/clock.js';
import { cardAction, message } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { en, sv } from '../../../src/texts/index.js';
import { assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';

// Turn tests of the follow-up commands (#15): the Swedish (and English) ways of asking, the answer
// naming its scope, refusals for periods outside the agreement, a coordinator whose party is not
// known, and the KF report of the whole period.

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const f = sv.followUpReport;

describe('follow-up commands in chat (#15)', () => {
  let h: TurnHarness;
  const clock = new ManualClock('2024-09-10T08:00:00Z');
  const where = (locale?: string) => h.where({ from: COORDINATOR, ...(locale ? { locale } : {}) });
  const ask = async (text: string, locale?: string) => {
    const [reply] = await h.turn(message(text, where(locale)));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    return cardText(reply!);
  };

  before(async () => {
    // No PARTY_BY_PERSON and no registration: the coordinator's party is unknown.
    h = await startTurnHarness({ clock, env: { COORDINATOR_IDS: COORDINATOR.aadObjectId } });
  });
  after(async () => {
    await h.stop();
  });

  it('parses the Swedish variants with and without å, ä, ö', () => {
    for (const text of [
      'uppföljning',
      'Uppföljningen',
      'uppfoljning tertial 2',
      'visa uppföljningen för tertial 2',
      'uppföljning 2024',
    ])
      assert.equal(parseCommand(text).kind, 'followUpReport', text);
    for (const text of ['kf-rapport 2024', 'KF rapport', 'återrapport 2023-2024', 'aterrapport till KF 2024'])
      assert.equal(parseCommand(text).kind, 'kfReport', text);
    assert.equal(parseCommand('nästa uppföljningsmöte').kind, 'unknown');
  });

  it('"uppföljning" alone: the last ended tertial, naming municipality, period and dates', async () => {
    const shown = await ask('uppföljning');
    assertShows(shown, f.title('tertial 2 2024', 'Tranås kommun'));
    assertShows(shown, f.scope('2023–2024', 'Lokalpolisområde Höglandet', '2024-05-01', '2024-08-31'));
  });

  it('"visa uppföljningen för tertial 1 2023" and "uppföljning 2024"', async () => {
    assertShows(await ask('visa uppföljningen för tertial 1 2023'), f.title('tertial 1 2023', 'Tranås kommun'));
    assertShows(await ask('uppföljning 2024'), f.title('tertial 3 2024', 'Tranås kommun'));
  });

  it('a period outside the agreement, and words it does not understand, are answered in Swedish', async () => {
    assertShows(await ask('uppföljning tertial 2 2026'), f.refusals.notInAgreement('2023–2024'));
    assertShows(await ask('uppföljning kvartal 2'), f.refusals.notInAgreement('2023–2024'));
    assertShows(await ask('uppföljning om trafiken'), f.refusals.notUnderstood('uppföljning tertial 2'));
  });

  it('in English for an English Teams client', async () => {
    assertShows(
      await ask('uppföljning tertial 2', 'en-GB'),
      en.followUpReport.title('tertial 2 2024', 'Tranås kommun'),
    );
  });

  it('a coordinator whose party is not known cannot approve, and is told how to fix it', async () => {
    const res = await h.post(
      cardAction(
        'followup.approve',
        { agreementId: 'tranas-2023-2024', periodKey: '2024-T2', party: 'Polisen', revision: 1 },
        where(),
      ),
    );
    assertShows(cardText(res.body.value), f.refusals.unknownParty);
  });

  it('an approval naming another municipality’s agreement or a made-up period is refused', async () => {
    const res = await h.post(
      cardAction('followup.narrative', { agreementId: 'eksjo-2024-2025', periodKey: '2024-T2', pledge: 1 }, where()),
    );
    assertShows(cardText(res.body.value), f.refusals.notFound);
    const made = await h.post(
      cardAction('followup.narrative', { agreementId: 'tranas-2023-2024', periodKey: '2024-T9', pledge: 1 }, where()),
    );
    assertShows(cardText(made.body.value), f.refusals.notFound);
  });

  it('"kf-rapport" alone: the whole period, with what is not yet signed', async () => {
    const shown = await ask('kf-rapport');
    assertShows(shown, f.kf.title('2023–2024', 'Tranås kommun'));
    assertShows(shown, f.kf.against(60, false));
    assert.match(shown, /Inte godkända av båda parter: tertial 1 2023, tertial 2 2023/);
  });
});
