import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderFollowUp } from '../src/documents/index.js';
import type { FollowUpDocument } from '../src/domain/follow-up-document.js';
import { TRANAS_KF_2024, TRANAS_T2_SIGNED } from '../test/fixtures/follow-up-documents.js';

/**
 * `npm run docs:documents`: renders the fixed Tranås follow-up and KF report (test/fixtures) as
 * PDF and turns chosen pages into the PNGs in docs/screenshots/ (poppler's pdftoppm, 80 dpi), for
 * docs/uppfoljning.md and the README. Run it again after a change to the PDF layout.
 */
const out = join('docs', 'screenshots');
const pages: { doc: FollowUpDocument; page: number; name: string }[] = [
  { doc: TRANAS_T2_SIGNED, page: 1, name: 'uppfoljning-tertial-sida-1.png' },
  { doc: TRANAS_T2_SIGNED, page: 3, name: 'uppfoljning-tertial-sida-3.png' },
  { doc: TRANAS_KF_2024, page: 1, name: 'uppfoljning-kf-rapport-sida-1.png' },
];

mkdirSync(out, { recursive: true });
for (const { doc, page, name } of pages) {
  const dir = mkdtempSync(join(tmpdir(), 'mlbot-pages-'));
  try {
    const pdf = join(dir, 'doc.pdf');
    writeFileSync(pdf, (await renderFollowUp(doc, 'pdf')).body);
    const run = spawnSync(
      'pdftoppm',
      ['-r', '80', '-png', '-f', String(page), '-l', String(page), pdf, join(dir, 'p')],
      {
        encoding: 'utf8',
      },
    );
    if (run.status !== 0)
      throw new Error(`pdftoppm failed (apt-get install poppler-utils): ${run.stderr ?? run.error}`);
    const png = readdirSync(dir).find((f) => f.endsWith('.png'));
    if (!png) throw new Error(`no page ${page}`);
    renameSync(join(dir, png), join(out, name));
    console.log(join(out, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
