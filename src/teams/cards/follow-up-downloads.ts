import type { FollowUpDocument } from '../../domain/follow-up-document.js';
import type { DownloadLinks } from '../../http/downloads.js';
import type { Texts } from '../../texts/index.js';
import { card, heading, textBlock, type AdaptiveCardJson } from './card.js';

/** The download kinds src/main.ts registers: one per format, each made from the FollowUpDocuments port. */
export const FOLLOW_UP_DOWNLOAD_KINDS = {
  docx: 'follow-up-docx',
  pdf: 'follow-up-pdf',
  txt: 'follow-up-txt',
} as const;

/** What a follow-up download link names: the agreement and the follow-up point, never a person. */
export function followUpDownloadParams(
  agreementId: string,
  periodKey: string,
  locale: 'sv' | 'en',
): Record<string, string> {
  return { agreement: agreementId, period: periodKey, ...(locale === 'en' ? { locale: 'en' } : {}) };
}

/**
 * A small card with three Action.OpenUrl buttons (Word, PDF, text) for a follow-up or KF report,
 * built from fresh signed links (src/http/downloads.ts). Links are short-lived, so build the card
 * when a coordinator asks, never ahead; the caller checks that the asker may have the document.
 */
export function followUpDownloadsCard(input: {
  links: DownloadLinks;
  document: Pick<FollowUpDocument, 'kind' | 'agreementId' | 'municipality' | 'period' | 'signed'>;
  texts: Texts;
  ttlMinutes: number;
}): AdaptiveCardJson {
  const { links, document: doc, texts: t, ttlMinutes } = input;
  const d = t.documents;
  const period = d.period(doc.period);
  const params = followUpDownloadParams(doc.agreementId, doc.period.key, t.locale);
  const open = (title: string, kind: string) => ({
    type: 'Action.OpenUrl',
    title,
    url: links.link(kind, params, { ttlMinutes, locale: t.locale }),
  });
  const body = [
    heading(doc.kind === 'kf-report' ? d.card.kfTitle(period) : d.card.title(period)),
    textBlock(d.card.body(doc.municipality, ttlMinutes), { isSubtle: true }),
  ];
  if (!doc.signed) body.push(textBlock(d.card.draft, { color: 'Attention' }));
  return card(body, [
    open(d.card.word, FOLLOW_UP_DOWNLOAD_KINDS.docx),
    open(d.card.pdf, FOLLOW_UP_DOWNLOAD_KINDS.pdf),
    open(d.card.text, FOLLOW_UP_DOWNLOAD_KINDS.txt),
  ]);
}
