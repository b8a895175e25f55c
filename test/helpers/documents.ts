import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { tempDir } from './temp.js';

/**
 * Reads rendered follow-up documents back: a Word file's paragraphs, tables, header and footer
 * (from its XML parts), and a PDF's text and pages through poppler (pdftotext, pdftoppm).
 */

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The text of each w:p in an XML fragment. */
function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map((p) =>
    [...p[1]!.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1]!)).join(''),
  );
}

export interface DocxContent {
  /** Every paragraph of the body, tables included, one per line. */
  text: string;
  /** Each table as rows of cells; a cell's paragraphs joined with "\n". */
  tables: string[][][];
  header: string;
  footer: string;
  /** The raw XML of every part, for "appears nowhere" checks. */
  allXml: string;
}

export async function readDocx(body: Uint8Array): Promise<DocxContent> {
  const zip = await JSZip.loadAsync(body);
  const part = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  const document = await part('word/document.xml');
  const names = Object.keys(zip.files);
  const headers = await Promise.all(names.filter((n) => /^word\/header\d*\.xml$/.test(n)).map(part));
  const footers = await Promise.all(names.filter((n) => /^word\/footer\d*\.xml$/.test(n)).map(part));
  const all = await Promise.all(names.filter((n) => n.endsWith('.xml') || n.endsWith('.rels')).map(part));
  const tables = [...document.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) =>
    [...t[1]!.matchAll(/<w:tr(?:\s[^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((r) =>
      [...r[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => paragraphs(c[1]!).join('\n')),
    ),
  );
  return {
    text: paragraphs(document).join('\n'),
    tables,
    header: headers.flatMap(paragraphs).join('\n'),
    footer: footers.flatMap(paragraphs).join('\n'),
    allXml: all.join('\n'),
  };
}

/** Whether poppler's tools are installed (Debian: poppler-utils; .ci/run installs them). */
export function havePoppler(): boolean {
  return ['pdftotext', 'pdftoppm'].every((tool) => spawnSync(tool, ['-v'], { encoding: 'utf8' }).status === 0);
}

/** The PDF's text as pdftotext reads it (reading order), whitespace folded to single spaces. */
export function pdfText(body: Uint8Array): string {
  const dir = tempDir('mlbot-pdf-');
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, body);
  const run = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pdftotext failed: ${run.stderr}`);
  return run.stdout.replace(/\s+/g, ' ');
}

/** The PDF's pages as PNG files (pdftoppm at `dpi`), in page order. */
export function pdfPages(body: Uint8Array, dpi = 60, dir = tempDir('mlbot-pdf-')): string[] {
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, body);
  const run = spawnSync('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pdftoppm failed: ${run.stderr}`);
  return readdirSync(dir)
    .filter((f) => /^page-\d+\.png$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}
