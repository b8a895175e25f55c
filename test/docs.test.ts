import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'mocha';

// Runs from the repository root (as mocha does with .mocharc.json).
const README = 'README.md';
const DOCS = 'docs';

const markdownFiles = () => [
  README,
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(DOCS, f)),
];

/** Markdown without fenced code blocks and inline code, where a link is only text. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('documentation', () => {
  it('keeps the README at most 200 lines', () => {
    const lines = readFileSync(README, 'utf8').replace(/\n$/, '').split('\n').length;
    assert.ok(lines <= 200, `README.md has ${lines} lines; move detail to docs/`);
  });

  it('finds the documents it checks', () => {
    const files = markdownFiles();
    for (const f of [
      'architecture',
      'anvandarguide',
      'operations',
      'records-and-privacy',
      'security',
      'testing',
      'benchmarks',
    ]) {
      assert.ok(files.includes(join(DOCS, `${f}.md`)), `docs/${f}.md is missing`);
    }
  });

  it('points every relative link in the README and docs/*.md at a file that exists, and every anchor at a heading', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of markdownFiles()) {
      for (const link of links(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:
        checked++;
        const [rawPath, anchor] = link.split('#', 2) as [string, string | undefined];
        const target = rawPath === '' ? file : normalize(join(dirname(file), decodeURIComponent(rawPath)));
        if (!existsSync(target)) {
          broken.push(`${file}: ${link} (no file ${target})`);
          continue;
        }
        if (anchor !== undefined && target.endsWith('.md') && statSync(target).isFile()) {
          if (!anchors(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor)))
            broken.push(`${file}: ${link} (no heading #${anchor} in ${target})`);
        }
      }
    }
    assert.ok(checked > 20, `only ${checked} relative links found`);
    assert.deepEqual(broken, []);
  });

  it('names every folder under src/ in docs/architecture.md', () => {
    const architecture = readFileSync(join(DOCS, 'architecture.md'), 'utf8');
    const folders = readdirSync('src').filter((name) => statSync(join('src', name)).isDirectory());
    assert.ok(folders.length >= 5);
    assert.deepEqual(
      folders.filter((name) => !architecture.includes(`src/${name}`)),
      [],
    );
  });
});
