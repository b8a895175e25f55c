import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import type { FollowUpDocuments } from '../../src/app/ports.js';
import type { FollowUpDocument } from '../../src/domain/follow-up-document.js';
import { contentDisposition } from '../../src/http/downloads.js';
import { followUpDownloadsCard } from '../../src/teams/cards/follow-up-downloads.js';
import { en, sv } from '../../src/texts/index.js';
import { TRANAS_KF_2024, TRANAS_T2_DRAFT, TRANAS_T2_SIGNED } from '../fixtures/follow-up-documents.js';
import { assertValidCard } from '../helpers/card-validate.js';
import { checkDigit } from '../helpers/identifiers.js';
import { readDocx } from '../helpers/documents.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { assertShows } from '../helpers/texts.js';

/**
 * The follow-up documents behind signed download links on the bot's own HTTP server: the card
 * with three buttons (Word, PDF, text), each link made fresh and served from the FollowUpDocuments
 * port when it is opened.
 */
describe('follow-up documents through signed download links', () => {
  let h: Harness;
  const clock = new ManualClock('2024-09-12T10:00:00Z');
  const stored = new Map<string, FollowUpDocument>();
  const asked: string[] = [];
  const documents: FollowUpDocuments = {
    get: async (agreementId, periodKey) => {
      asked.push(`${agreementId}/${periodKey}`);
      return stored.get(`${agreementId}/${periodKey}`);
    },
  };
  const cardFor = (document: FollowUpDocument, texts = sv) =>
    followUpDownloadsCard({ links: h.bot.downloads, document, texts, ttlMinutes: 30 });
  const urls = (card: Record<string, any>) =>
    Object.fromEntries((card.actions as { title: string; url: string }[]).map((a) => [a.title, a.url]));

  before(async () => {
    stored.set('tranas-2023-2024/2024-T2', TRANAS_T2_SIGNED);
    stored.set('tranas-2023-2024/2024', TRANAS_KF_2024);
    h = await startHarness({ clock, followUpDocuments: documents });
  });
  after(async () => {
    await h.stop();
  });

  it('offers a valid card with Word, PDF and text buttons that name the municipality and the period', () => {
    const card = cardFor(TRANAS_T2_SIGNED);
    assertValidCard(card);
    assert.deepEqual(
      (card.actions as { type: string; title: string }[]).map((a) => [a.type, a.title]),
      [
        ['Action.OpenUrl', sv.documents.card.word],
        ['Action.OpenUrl', sv.documents.card.pdf],
        ['Action.OpenUrl', sv.documents.card.text],
      ],
    );
    const shown = JSON.stringify(card);
    assertShows(shown, sv.documents.card.title('tertial 2 2024'));
    assertShows(shown, sv.documents.card.body('Tranås kommun', 30));
    assert.ok(!shown.includes(sv.documents.card.draft));
    assertShows(JSON.stringify(cardFor(TRANAS_T2_DRAFT)), sv.documents.card.draft);
  });

  it('serves each file from the links: a Word file, a PDF and the text, named for the period', async () => {
    const links = urls(cardFor(TRANAS_T2_SIGNED));
    const word = await fetch(links[sv.documents.card.word]!);
    assert.equal(word.status, 200);
    assert.equal(
      word.headers.get('content-type'),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    assert.equal(
      word.headers.get('content-disposition'),
      contentDisposition(sv.documents.fileName('Tranås kommun', TRANAS_T2_SIGNED.period, false, 'docx')),
    );
    const read = await readDocx(Buffer.from(await word.arrayBuffer()));
    assert.equal(
      read.text.split('\n')[0],
      sv.documents.title('Tranås kommun', 'Lokalpolisområde Höglandet', TRANAS_T2_SIGNED.period),
    );

    const pdf = await fetch(links[sv.documents.card.pdf]!);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );

    const text = await fetch(links[sv.documents.card.text]!);
    assert.equal(text.status, 200);
    assert.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
    assertShows(await text.text(), TRANAS_T2_SIGNED.pledges[0]!.narrative);
    assert.ok(asked.filter((a) => a === 'tranas-2023-2024/2024-T2').length >= 3);
  });

  it('writes the file in English for an English-speaking coordinator', async () => {
    const links = urls(cardFor(TRANAS_T2_SIGNED, en));
    const text = await (await fetch(links[en.documents.card.text]!)).text();
    assertShows(text, en.documents.title('Tranås kommun', 'Lokalpolisområde Höglandet', TRANAS_T2_SIGNED.period));
  });

  it('serves the KF report under its own title', async () => {
    const links = urls(cardFor(TRANAS_KF_2024));
    const text = await (await fetch(links[sv.documents.card.text]!)).text();
    assertShows(text, sv.documents.kfTitle('Tranås kommun', 'Lokalpolisområde Höglandet', TRANAS_KF_2024.period));
  });

  it('answers 404 when the follow-up no longer exists and 410 once the link has expired', async () => {
    const gone = { ...TRANAS_T2_SIGNED, period: { ...TRANAS_T2_SIGNED.period, key: '2024-T3' } };
    const missing = await fetch(urls(cardFor(gone))[sv.documents.card.pdf]!);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), sv.downloads.gone);
    const link = urls(cardFor(TRANAS_T2_SIGNED))[sv.documents.card.word]!;
    clock.advance(31 * 60_000);
    const expired = await fetch(link);
    assert.equal(expired.status, 410);
  });

  it('serves no file whose text fails the privacy guard', async () => {
    const nine = '811218987';
    const leaked: FollowUpDocument = {
      ...TRANAS_T2_SIGNED,
      period: { ...TRANAS_T2_SIGNED.period, key: '2024-T1' },
      pledges: TRANAS_T2_SIGNED.pledges.map((p) => ({
        ...p,
        narrative: `${p.narrative} 19${nine.slice(0, 6)}-${nine.slice(6)}${checkDigit(nine)}`,
      })),
    };
    stored.set('tranas-2023-2024/2024-T1', leaked);
    for (const title of [sv.documents.card.word, sv.documents.card.pdf, sv.documents.card.text]) {
      const res = await fetch(urls(cardFor(leaked))[title]!);
      assert.equal(res.status, 500);
      const body = await res.text();
      assert.equal(body, sv.downloads.failed);
      assert.ok(!body.includes(nine));
    }
  });
});
