import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { ComposedActivity, ComposedDocument, ComposedPledge } from './compose.js';
import { guardText } from './guard.js';

/**
 * The follow-up as a Word file (.docx): what municipal staff edit and attach to a KF ärende. One
 * block per löfte like the polisen.se follow-up pages: the löfte, Aktiviteter (a table with the
 * outcome), Utfall (the counts as the police write them) and Kommentar. Every text goes through
 * the privacy guard once more as it is written.
 */

const FONT = 'Calibri';
const BLUE = '1F3A5F';
const GREY = '5A6472';
const RULE = 'C9D1DB';
const HEAD_FILL = 'E8EEF5';
/** A4 minus 2 cm margins, in twentieths of a point. */
const CONTENT_WIDTH = 11906 - 2 * 1134;

const run = (text: string, options: { bold?: boolean; italics?: boolean; color?: string; size?: number } = {}) =>
  new TextRun({ text: guardText(text), font: FONT, ...options });

const para = (
  children: ParagraphChild[] | string,
  options: {
    spacingAfter?: number;
    heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel];
    keepNext?: boolean;
  } = {},
) =>
  new Paragraph({
    children: typeof children === 'string' ? [run(children)] : children,
    spacing: { after: options.spacingAfter ?? 120 },
    ...(options.heading ? { heading: options.heading } : {}),
    ...(options.keepNext ? { keepNext: true } : {}),
  });

const border = { style: BorderStyle.SINGLE, size: 4, color: RULE };
const borders = { top: border, bottom: border, left: border, right: border };

function cell(children: Paragraph[], width: number, options: { head?: boolean; right?: boolean } = {}): TableCell {
  return new TableCell({
    children,
    width: { size: width, type: WidthType.DXA },
    borders,
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    ...(options.head ? { shading: { type: ShadingType.CLEAR, fill: HEAD_FILL, color: 'auto' } } : {}),
  });
}

const cellText = (text: string, options: { bold?: boolean; right?: boolean; small?: string } = {}) => [
  new Paragraph({
    children: [run(text, { bold: options.bold ?? false, size: 20 })],
    alignment: options.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
    spacing: { after: options.small ? 40 : 0 },
  }),
  ...(options.small
    ? [new Paragraph({ children: [run(options.small, { color: GREY, size: 17 })], spacing: { after: 0 } })]
    : []),
];

function activityTable(doc: ComposedDocument, activities: ComposedActivity[]): Table {
  const columns = doc.labels.columns;
  const first = doc.kind === 'kf-report' ? 0.4 : 0.44;
  const rest = (1 - first) / (columns.length - 1);
  const widths = columns.map((_, i) => Math.round(CONTENT_WIDTH * (i === 0 ? first : rest)));
  const header = new TableRow({
    tableHeader: true,
    children: columns.map((c, i) => cell(cellText(c, { bold: true, right: i > 0 }), widths[i]!, { head: true })),
  });
  const rows = activities.map(
    (a) =>
      new TableRow({
        cantSplit: true,
        children: [
          cell(cellText(`${a.wording} ${a.owner}`, doc.kind === 'kf-report' ? {} : { small: a.target }), widths[0]!),
          ...a.cells.map((c, i) => cell(cellText(c, { right: true }), widths[i + 1]!)),
        ],
      }),
  );
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [header, ...rows],
  });
}

function pledgeBlock(doc: ComposedDocument, p: ComposedPledge): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [
    para([run(p.heading, { color: BLUE })], { heading: HeadingLevel.HEADING_2, keepNext: true, spacingAfter: 60 }),
    para([run(p.wording, { italics: true })], { keepNext: true, spacingAfter: 160 }),
    para([run(doc.labels.activities, { bold: true, color: BLUE })], { keepNext: true, spacingAfter: 80 }),
    activityTable(doc, p.activities),
    para([run(doc.labels.outcome, { bold: true, color: BLUE })], { keepNext: true, spacingAfter: 80 }),
  ];
  // A gap after the table: Word puts the next paragraph flush against it otherwise.
  out.splice(4, 0, para('', { spacingAfter: 60 }));
  for (const a of p.activities)
    out.push(
      new Paragraph({
        bullet: { level: 0 },
        spacing: { after: 60 },
        children: [run(`${a.wording} ${a.owner}`, { bold: true }), run(` – ${a.line}`)],
      }),
    );
  out.push(para([run(p.commentHeading, { bold: true, color: BLUE })], { keepNext: true, spacingAfter: 80 }));
  if (p.comments.length === 0) out.push(para([run(p.noComment, { italics: true, color: GREY })]));
  for (const c of p.comments)
    out.push(para(c.label ? [run(`${c.label}: `, { bold: true }), run(c.text)] : [run(c.text)]));
  out.push(para('', { spacingAfter: 120 }));
  return out;
}

export async function renderDocx(doc: ComposedDocument, pageParts: [string, string]): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    para([run(doc.title, { color: BLUE })], { heading: HeadingLevel.TITLE, spacingAfter: 120 }),
    para([run(doc.scope, { color: GREY }), run(` ${doc.revision}.`, { color: GREY })], { spacingAfter: 80 }),
    para([run(`${doc.signOff.state} `, { bold: true }), run(doc.signOff.lines.join(' '))], { spacingAfter: 240 }),
  ];
  for (const p of doc.pledges) children.push(...pledgeBlock(doc, p));

  children.push(para([run(doc.communications.heading, { color: BLUE })], { heading: HeadingLevel.HEADING_2 }));
  if (doc.communications.lines.length === 0)
    children.push(para([run(doc.communications.none, { italics: true, color: GREY })]));
  for (const c of doc.communications.lines) {
    const parts: ParagraphChild[] = [run(c.text)];
    if (c.url)
      parts.push(
        run(': '),
        new ExternalHyperlink({ link: guardText(c.url), children: [run(c.url, { color: '0563C1' })] }),
      );
    if (c.note) parts.push(run(` – ${c.note}`));
    children.push(new Paragraph({ bullet: { level: 0 }, spacing: { after: 60 }, children: parts }));
  }

  const header = new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: doc.draftMark
          ? [
              run(doc.draftMark, { bold: true, color: 'B42318', size: 18 }),
              run(` · ${doc.revision}`, { color: GREY, size: 16 }),
            ]
          : [run(doc.revision, { color: GREY, size: 16 })],
      }),
    ],
  });
  const footer = new Footer({
    children: [
      new Paragraph({
        children: [run(doc.footer, { color: GREY, size: 16 })],
        spacing: { after: 40 },
      }),
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [
          run(pageParts[0], { color: GREY, size: 16 }),
          new TextRun({ children: [PageNumber.CURRENT], font: FONT, color: GREY, size: 16 }),
          run(pageParts[1], { color: GREY, size: 16 }),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], font: FONT, color: GREY, size: 16 }),
        ],
      }),
    ],
  });

  const document = new Document({
    creator: 'Medborgarlöfte',
    title: guardText(doc.title),
    styles: {
      default: { document: { run: { font: FONT, size: 22 } } },
      paragraphStyles: [
        {
          id: 'Title',
          name: 'Title',
          basedOn: 'Normal',
          next: 'Normal',
          run: { size: 36, bold: true, color: BLUE, font: FONT },
          paragraph: { spacing: { after: 120 } },
        },
        {
          id: 'Heading2',
          name: 'Heading 2',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { size: 28, bold: true, color: BLUE, font: FONT },
          paragraph: { spacing: { before: 240, after: 60 }, keepNext: true },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 },
          },
        },
        headers: { default: header },
        footers: { default: footer },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
