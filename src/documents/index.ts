import type { FollowUpDocument } from '../domain/follow-up-document.js';
import { textsFor, type Locale } from '../texts/index.js';
import { composeDocument } from './compose.js';
import { renderDocx } from './docx.js';
import { renderPdf } from './pdf.js';
import { renderText } from './text.js';

export { DocumentRefusedError } from './guard.js';

/**
 * The follow-up documents (issue #15): a FollowUpDocument rendered as Word, PDF or plain text.
 * An edge folder like storage/: the rendering libraries (docx, pdfkit) do no I/O of their own
 * beyond reading the embedded font, but they are heavy, so only the CLI and the download links
 * load this folder, on first use. Every text is checked by the privacy guard before it is
 * written: a document holding a personal identifier is refused whole (DocumentRefusedError).
 */

export const DOCUMENT_FORMATS = ['docx', 'pdf', 'txt'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const isDocumentFormat = (s: string): s is DocumentFormat => (DOCUMENT_FORMATS as readonly string[]).includes(s);

const CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
};

export interface RenderedDocument {
  fileName: string;
  contentType: string;
  body: Buffer;
}

export async function renderFollowUp(
  doc: FollowUpDocument,
  format: DocumentFormat,
  locale: Locale = 'sv',
): Promise<RenderedDocument> {
  const texts = textsFor(locale);
  const composed = composeDocument(doc, texts);
  const body =
    format === 'docx'
      ? await renderDocx(composed, texts.documents.pageParts)
      : format === 'pdf'
        ? await renderPdf(composed, texts.documents.page)
        : Buffer.from(renderText(composed), 'utf8');
  return { fileName: composed.fileName(format), contentType: CONTENT_TYPES[format], body };
}
