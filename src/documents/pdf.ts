import PDFDocument from 'pdfkit';
import type { ComposedActivity, ComposedDocument, ComposedPledge } from './compose.js';
import { documentFonts, type FontName } from './fonts.js';
import { guardText } from './guard.js';

/**
 * The follow-up as a PDF, laid out like the polisen.se follow-up pages: per löfte its wording,
 * Aktiviteter (a table with the outcome), Utfall (the counts as the police write them, sub-counts
 * included), two charts (the outcome against the target per activity; the count per tertial) and
 * the Kommentar. The charts are drawn with pdfkit's own vector primitives: no browser, no canvas,
 * no SVG step. The font (Inter, SIL OFL, from the @fontsource/inter package) is embedded, so å, ä,
 * ö and the dashes look the same everywhere. Every text goes through the privacy guard once more
 * as it is written.
 */

const NAVY = '#1F3A5F';
const INK = '#1C2430';
const GREY = '#5A6472';
const LIGHT = '#E8EEF5';
const RULE = '#C9D1DB';
const RED = '#B42318';
const TARGET = '#C2410C';
const SERIES = ['#1F3A5F', '#2A7F8E', '#D08C2F', '#8A94A3', '#7B4B94', '#4D7C0F'];

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 50, right: 50, top: 56, bottom: 64 };
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;

type Pdf = PDFKit.PDFDocument;
type Font = FontName;

interface TextOptions {
  font?: Font;
  size?: number;
  color?: string;
  width?: number;
  align?: 'left' | 'right' | 'center';
  lineGap?: number;
}

class Writer {
  constructor(readonly pdf: Pdf) {}

  /** Where the next block starts on the current page. */
  y = MARGIN.top;

  /** Starts a new page when `height` does not fit below y; true when it did. */
  need(height: number): boolean {
    if (this.y + height <= BOTTOM) return false;
    this.pdf.addPage();
    this.y = MARGIN.top;
    return true;
  }

  style(o: TextOptions): void {
    this.pdf
      .font(o.font ?? 'regular')
      .fontSize(o.size ?? 10)
      .fillColor(o.color ?? INK);
  }

  height(text: string, o: TextOptions): number {
    this.style(o);
    return this.pdf.heightOfString(text, { width: o.width ?? WIDTH, lineGap: o.lineGap ?? 1.5 });
  }

  /** Writes `text` at (x, y) and returns the y below it. */
  text(text: string, x: number, y: number, o: TextOptions = {}): number {
    this.style(o);
    const width = o.width ?? WIDTH;
    this.pdf.text(guardText(text), x, y, { width, align: o.align ?? 'left', lineGap: o.lineGap ?? 1.5 });
    return this.pdf.y;
  }

  /** One line, cut with an ellipsis to fit `width`. */
  line(text: string, x: number, y: number, width: number, o: TextOptions = {}): void {
    this.style(o);
    let shown = text;
    while (shown.length > 1 && this.pdf.widthOfString(shown) > width) shown = `${shown.slice(0, -2).trimEnd()}…`;
    this.pdf.text(guardText(shown), x, y, { width, lineBreak: false, align: o.align ?? 'left' });
  }
}

export async function renderPdf(doc: ComposedDocument, page: (n: number, of: number) => string): Promise<Buffer> {
  const fonts = documentFonts();
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    // Never pdfkit's built-in Helvetica (its metrics are read from files beside pdfkit's code).
    font: fonts.regular as unknown as string,
    info: {
      Title: guardText(doc.title),
      Creator: 'Medborgarlöfte',
      CreationDate: new Date(`${doc.period.to}T12:00:00Z`),
    },
    lang: 'sv-SE',
    displayTitle: true,
  });
  for (const [name, data] of Object.entries(fonts)) pdf.registerFont(name, data);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const w = new Writer(pdf);

  // Title block.
  pdf.rect(0, 0, PAGE.width, 8).fill(NAVY);
  w.y = w.text(doc.title, MARGIN.left, w.y, { font: 'bold', size: 17, color: NAVY, lineGap: 2 }) + 4;
  w.y = w.text(`${doc.scope} ${doc.revision}.`, MARGIN.left, w.y, { size: 9.5, color: GREY }) + 10;
  w.y = signOffBox(w, doc, w.y) + 14;

  for (const p of doc.pledges) pledge(w, doc, p);

  // Kommunicerat till medborgarna.
  const commsHeight =
    24 +
    (doc.communications.lines.length === 0
      ? 16
      : doc.communications.lines.reduce(
          (h, c) => h + w.height(communicationText(c), { size: 9.5, width: WIDTH - 12 }) + 4,
          0,
        ));
  w.need(Math.min(commsHeight, 200));
  w.y = heading(w, doc.communications.heading, w.y);
  if (doc.communications.lines.length === 0)
    w.y = w.text(doc.communications.none, MARGIN.left, w.y, { font: 'italic', size: 9.5, color: GREY }) + 6;
  for (const c of doc.communications.lines) {
    w.need(w.height(communicationText(c), { size: 9.5, width: WIDTH - 12 }) + 4);
    pdf.circle(MARGIN.left + 3, w.y + 5.5, 1.6).fill(NAVY);
    w.y = w.text(communicationText(c), MARGIN.left + 12, w.y, { size: 9.5, width: WIDTH - 12 }) + 4;
  }

  // Footer and draft mark on every page.
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    pdf.page.margins.bottom = 0;
    pdf
      .moveTo(MARGIN.left, PAGE.height - 46)
      .lineTo(PAGE.width - MARGIN.right, PAGE.height - 46)
      .lineWidth(0.5)
      .stroke(RULE);
    w.line(doc.footer, MARGIN.left, PAGE.height - 40, WIDTH - 70, { size: 7.5, color: GREY });
    w.line(page(i + 1, range.count), PAGE.width - MARGIN.right - 70, PAGE.height - 40, 70, {
      size: 7.5,
      color: GREY,
      align: 'right',
    });
    if (doc.draftMark) {
      w.style({ font: 'bold', size: 9 });
      const label = doc.draftMark;
      const tw = pdf.widthOfString(label) + 14;
      pdf.roundedRect(PAGE.width - MARGIN.right - tw, 18, tw, 17, 3).fill(RED);
      w.line(label, PAGE.width - MARGIN.right - tw, 22.5, tw, {
        font: 'bold',
        size: 9,
        color: '#FFFFFF',
        align: 'center',
      });
    }
  }
  pdf.end();
  return done;
}

const communicationText = (c: { text: string; url?: string; note?: string }) =>
  [c.text, c.url ? `: ${c.url}` : '', c.note ? ` – ${c.note}` : ''].join('');

function heading(w: Writer, text: string, y: number): number {
  return w.text(text, MARGIN.left, y, { font: 'bold', size: 13, color: NAVY }) + 4;
}

function signOffBox(w: Writer, doc: ComposedDocument, y: number): number {
  const pdf = w.pdf;
  const inner = WIDTH - 24;
  const lines = doc.signOff.lines.join('   ');
  const h =
    14 +
    w.height(doc.signOff.state, { font: 'bold', size: 10, width: inner }) +
    w.height(lines, { size: 9.5, width: inner });
  pdf.rect(MARGIN.left, y, WIDTH, h).fill(LIGHT);
  pdf.rect(MARGIN.left, y, 3, h).fill(doc.draftMark ? RED : NAVY);
  let yy = w.text(doc.signOff.state, MARGIN.left + 14, y + 7, {
    font: 'bold',
    size: 10,
    width: inner,
    color: doc.draftMark ? RED : NAVY,
  });
  yy = w.text(lines, MARGIN.left + 14, yy, { size: 9.5, width: inner, color: INK });
  return Math.max(yy, y + h);
}

function pledge(w: Writer, doc: ComposedDocument, p: ComposedPledge): void {
  const pdf = w.pdf;
  let y = w.y;
  const set = (v: number) => (y = v);
  const need = (h: number) => {
    w.y = y;
    const moved = w.need(h);
    y = w.y;
    return moved;
  };
  // A löfte that fits on one page starts on a new page rather than being split; a longer one keeps
  // at least its heading, wording and the table's head together.
  const wordingHeight = w.height(p.wording, { font: 'italic', size: 10.5 });
  const whole = pledgeHeight(w, doc, p, wordingHeight);
  if (whole <= BOTTOM - MARGIN.top) need(whole);
  else need(40 + wordingHeight + 60);
  pdf.rect(MARGIN.left, y, WIDTH, 1.2).fill(NAVY);
  set(y + 8);
  set(w.text(p.heading, MARGIN.left, y, { font: 'bold', size: 14, color: NAVY }) + 2);
  set(w.text(p.wording, MARGIN.left, y, { font: 'italic', size: 10.5, color: INK }) + 10);

  // Aktiviteter: the table.
  set(w.text(doc.labels.activities, MARGIN.left, y, { font: 'bold', size: 10.5, color: NAVY }) + 4);
  const cols = doc.labels.columns;
  const first = doc.kind === 'kf-report' ? 0.42 : 0.46;
  const widths = cols.map((_, i) => (i === 0 ? WIDTH * first : (WIDTH * (1 - first)) / (cols.length - 1)));
  const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const pad = 5;
  const headH =
    Math.max(...cols.map((c, i) => w.height(c, { font: 'medium', size: 8.5, width: widths[i]! - 2 * pad }))) + 2 * pad;
  const drawHead = () => {
    pdf.rect(MARGIN.left, y, WIDTH, headH).fill(LIGHT);
    cols.forEach((c, i) =>
      w.text(c, xs[i]! + pad, y + pad, {
        font: 'medium',
        size: 8.5,
        color: NAVY,
        width: widths[i]! - 2 * pad,
        align: i === 0 ? 'left' : 'right',
      }),
    );
    set(y + headH);
  };
  drawHead();
  for (const a of p.activities) {
    const sub = doc.kind === 'kf-report' ? undefined : a.target;
    const h =
      2 * pad +
      w.height(`${a.wording} ${a.owner}`, { size: 9, width: widths[0]! - 2 * pad }) +
      (sub ? w.height(sub, { size: 7.5, width: widths[0]! - 2 * pad }) + 2 : 0);
    const rowH = Math.max(
      h,
      ...a.cells.map((c, i) => w.height(c, { size: 9, width: widths[i + 1]! - 2 * pad }) + 2 * pad),
    );
    if (need(rowH)) drawHead();
    let yy = w.text(`${a.wording} ${a.owner}`, xs[0]! + pad, y + pad, { size: 9, width: widths[0]! - 2 * pad });
    if (sub) w.text(sub, xs[0]! + pad, yy + 2, { size: 7.5, color: GREY, width: widths[0]! - 2 * pad });
    a.cells.forEach((c, i) => {
      const isMet = i === a.cells.length - 1 && a.met !== undefined;
      yy = w.text(c, xs[i + 1]! + pad, y + pad, {
        size: 9,
        font: isMet ? 'medium' : 'regular',
        color: isMet ? (a.met ? '#15803D' : TARGET) : INK,
        width: widths[i + 1]! - 2 * pad,
        align: 'right',
      });
    });
    set(y + rowH);
    pdf
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + WIDTH, y)
      .lineWidth(0.5)
      .stroke(RULE);
  }
  set(y + 12);

  // Utfall: the counts as sentences.
  need(40);
  set(w.text(doc.labels.outcome, MARGIN.left, y, { font: 'bold', size: 10.5, color: NAVY }) + 4);
  for (const a of p.activities) {
    const head = `${a.wording} ${a.owner}`;
    const h =
      w.height(head, { font: 'medium', size: 9.5, width: WIDTH - 12 }) +
      w.height(a.line, { size: 9.5, width: WIDTH - 12 });
    need(h + 6);
    pdf.circle(MARGIN.left + 3, y + 5.5, 1.6).fill(NAVY);
    set(w.text(head, MARGIN.left + 12, y, { font: 'medium', size: 9.5, width: WIDTH - 12 }));
    set(w.text(a.line, MARGIN.left + 12, y, { size: 9.5, width: WIDTH - 12 }) + 5);
  }
  set(y + 6);

  // The charts, side by side.
  const chartH = chartHeight(p.activities);
  need(chartH + 10);
  const half = (WIDTH - 20) / 2;
  againstTarget(w, doc, p.activities, MARGIN.left, y, half, chartH);
  trend(w, doc, p.activities, MARGIN.left + half + 20, y, half, chartH);
  set(y + chartH + 12);

  // Kommentar.
  need(40);
  set(w.text(p.commentHeading, MARGIN.left, y, { font: 'bold', size: 10.5, color: NAVY }) + 4);
  if (p.comments.length === 0) set(w.text(p.noComment, MARGIN.left, y, { font: 'italic', size: 9.5, color: GREY }) + 4);
  for (const c of p.comments) {
    if (c.label) {
      need(30);
      set(w.text(c.label, MARGIN.left, y, { font: 'medium', size: 9.5, color: INK }) + 1);
    }
    const h = w.height(c.text, { size: 10 });
    // A long comment may run over a page (pdfkit breaks it); a short one is kept whole.
    if (h < 200) need(h);
    set(w.text(c.text, MARGIN.left, y, { size: 10, lineGap: 2 }) + 6);
  }
  w.y = y + 16;
}

/** About how tall `pledge` draws the löfte (the same measures, rounded up a little). */
function pledgeHeight(w: Writer, doc: ComposedDocument, p: ComposedPledge, wordingHeight: number): number {
  const first = doc.kind === 'kf-report' ? 0.42 : 0.46;
  const rows = p.activities.reduce(
    (h, a) =>
      h +
      10 +
      w.height(`${a.wording} ${a.owner}`, { size: 9, width: WIDTH * first - 10 }) +
      (doc.kind === 'kf-report' ? 0 : w.height(a.target, { size: 7.5, width: WIDTH * first - 10 }) + 2),
    0,
  );
  const outcome = p.activities.reduce(
    (h, a) =>
      h +
      5 +
      w.height(`${a.wording} ${a.owner}`, { font: 'medium', size: 9.5, width: WIDTH - 12 }) +
      w.height(a.line, { size: 9.5, width: WIDTH - 12 }),
    0,
  );
  const comments =
    p.comments.length === 0
      ? 16
      : p.comments.reduce((h, c) => h + (c.label ? 14 : 0) + w.height(c.text, { size: 10, lineGap: 2 }) + 6, 0);
  return (
    30 +
    wordingHeight +
    10 +
    18 +
    30 +
    rows +
    12 +
    18 +
    outcome +
    6 +
    chartHeight(p.activities) +
    12 +
    18 +
    comments +
    10
  );
}

const chartHeight = (activities: readonly ComposedActivity[]) => Math.max(150, 58 + activities.length * 34);

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  const n = max / pow;
  const step = n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10;
  return step * pow;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace('.', ','));

/** Horizontal bars: the outcome per activity, the target so far as a solid mark, the whole target dashed. */
function againstTarget(
  w: Writer,
  doc: ComposedDocument,
  activities: readonly ComposedActivity[],
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  const pdf = w.pdf;
  w.text(doc.labels.chartAgainstTarget, x, y, { font: 'medium', size: 9, color: NAVY, width });
  const top = y + 18;
  const legendH = 14;
  const labelW = width * 0.4;
  const plotX = x + labelW + 6;
  const plotW = width - labelW - 14;
  const max = niceMax(
    Math.max(1, ...activities.flatMap((a) => [a.chart.value, a.chart.mark ?? 0, a.chart.full ?? 0])) * 1.05,
  );
  const rowH = (height - 18 - legendH - 14) / Math.max(1, activities.length);
  const scale = (v: number) => plotX + (v / max) * plotW;
  // Grid: 0, half, max.
  for (const v of [0, max / 2, max]) {
    pdf
      .moveTo(scale(v), top)
      .lineTo(scale(v), top + rowH * activities.length)
      .lineWidth(0.4)
      .stroke(RULE);
    w.line(fmt(v), scale(v) - 15, top + rowH * activities.length + 2, 30, { size: 7, color: GREY, align: 'center' });
  }
  activities.forEach((a, i) => {
    const ry = top + i * rowH;
    const barH = Math.min(14, rowH * 0.5);
    const by = ry + (rowH - barH) / 2;
    w.style({ size: 7.5 });
    const label = a.chart.label;
    const lh = Math.min(w.height(label, { size: 7.5, width: labelW, lineGap: 0.5 }), rowH - 2);
    pdf.save();
    pdf.rect(x, ry, labelW, rowH).clip();
    w.text(label, x, ry + (rowH - lh) / 2, { size: 7.5, width: labelW, color: INK, lineGap: 0.5 });
    pdf.restore();
    const hasTarget = a.chart.mark !== undefined;
    pdf.rect(plotX, by, Math.max(0.5, scale(a.chart.value) - plotX), barH).fill(hasTarget ? NAVY : '#8A94A3');
    const valueLabel = hasTarget ? fmt(a.chart.value) : `${fmt(a.chart.value)} (${doc.labels.noTarget})`;
    w.style({ size: 7.5 });
    const valueW = pdf.widthOfString(valueLabel) + 2;
    const end = scale(a.chart.value);
    // Outside the bar when it fits, else inside its end in white.
    if (end + 3 + valueW <= x + width)
      w.line(valueLabel, end + 3, by + barH / 2 - 4, valueW + 2, { size: 7.5, color: INK });
    else w.line(valueLabel, end - valueW - 3, by + barH / 2 - 4, valueW + 2, { size: 7.5, color: '#FFFFFF' });
    if (a.chart.full !== undefined) {
      pdf
        .moveTo(scale(a.chart.full), by - 4)
        .lineTo(scale(a.chart.full), by + barH + 4)
        .lineWidth(1.2)
        .dash(2.5, { space: 2 })
        .stroke(TARGET);
      pdf.undash();
    }
    if (a.chart.mark !== undefined)
      pdf
        .moveTo(scale(a.chart.mark), by - 5)
        .lineTo(scale(a.chart.mark), by + barH + 5)
        .lineWidth(2)
        .stroke(TARGET);
  });
  // Legend.
  const ly = top + rowH * activities.length + 14;
  let lx = x;
  pdf.rect(lx, ly + 1, 9, 7).fill(NAVY);
  w.line(doc.labels.chartValue, lx + 12, ly, 90, { size: 7, color: GREY });
  w.style({ size: 7 });
  lx += 12 + Math.min(90, pdf.widthOfString(doc.labels.chartValue)) + 10;
  if (activities.some((a) => a.chart.mark !== undefined)) {
    pdf
      .moveTo(lx + 4, ly - 1)
      .lineTo(lx + 4, ly + 9)
      .lineWidth(2)
      .stroke(TARGET);
    w.line(doc.labels.chartMark, lx + 10, ly, 80, { size: 7, color: GREY });
    w.style({ size: 7 });
    lx += 10 + Math.min(80, pdf.widthOfString(doc.labels.chartMark)) + 10;
  }
  if (activities.some((a) => a.chart.full !== undefined)) {
    pdf
      .moveTo(lx + 4, ly - 1)
      .lineTo(lx + 4, ly + 9)
      .lineWidth(1.2)
      .dash(2.5, { space: 2 })
      .stroke(TARGET);
    pdf.undash();
    w.line(doc.labels.chartFull, lx + 10, ly, 80, { size: 7, color: GREY });
  }
}

/** Grouped vertical bars: each activity's count per tertial of the agreement's period. */
function trend(
  w: Writer,
  doc: ComposedDocument,
  activities: readonly ComposedActivity[],
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  const pdf = w.pdf;
  w.text(doc.labels.chartTrend, x, y, { font: 'medium', size: 9, color: NAVY, width });
  const keys = [...new Set(activities.flatMap((a) => a.chart.trend.map((t) => t.label)))];
  const legendH = activities.length * 10 + 4;
  const top = y + 18;
  const axisW = 22;
  const plotX = x + axisW;
  const plotW = width - axisW;
  const plotH = height - 18 - 14 - legendH;
  const max = niceMax(Math.max(1, ...activities.flatMap((a) => a.chart.trend.map((t) => t.count))));
  const yOf = (v: number) => top + plotH - (v / max) * plotH;
  for (const v of [0, max / 2, max]) {
    pdf
      .moveTo(plotX, yOf(v))
      .lineTo(plotX + plotW, yOf(v))
      .lineWidth(0.4)
      .stroke(RULE);
    w.line(fmt(v), x, yOf(v) - 4, axisW - 4, { size: 7, color: GREY, align: 'right' });
  }
  const groupW = plotW / Math.max(1, keys.length);
  const barW = Math.min(12, (groupW * 0.75) / Math.max(1, activities.length));
  keys.forEach((key, k) => {
    const gx = plotX + k * groupW + (groupW - barW * activities.length) / 2;
    activities.forEach((a, i) => {
      const v = a.chart.trend.find((t) => t.label === key)?.count ?? 0;
      pdf.rect(gx + i * barW, yOf(v), barW - 1, Math.max(0.5, top + plotH - yOf(v))).fill(SERIES[i % SERIES.length]!);
    });
    w.line(key, plotX + k * groupW, top + plotH + 3, groupW, { size: 6.5, color: GREY, align: 'center' });
  });
  let ly = top + plotH + 16;
  activities.forEach((a, i) => {
    pdf.rect(x, ly + 1, 7, 6).fill(SERIES[i % SERIES.length]!);
    w.line(a.chart.label, x + 11, ly, width - 11, { size: 7, color: GREY });
    ly += 10;
  });
}
