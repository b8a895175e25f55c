import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

/**
 * The PDF's font: Inter (SIL Open Font License) from the @fontsource/inter package, so a clean
 * `npm ci` has it on every machine (no system font, no download at run time). The package ships
 * WOFF files; fontkit would inflate their tables in pure JavaScript on every document (over a
 * second per PDF), so they are turned into plain TrueType/OpenType once per process with zlib.
 */

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  regular: 'inter-latin-400-normal.woff',
  italic: 'inter-latin-400-italic.woff',
  medium: 'inter-latin-500-normal.woff',
  bold: 'inter-latin-700-normal.woff',
} as const;

export type FontName = keyof typeof FONT_FILES;

let cache: Record<FontName, Buffer> | undefined;

/** The fonts as sfnt (TTF/OTF) buffers, read and converted on first use. */
export function documentFonts(): Record<FontName, Buffer> {
  cache ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([name, file]) => [
      name,
      woffToSfnt(readFileSync(require.resolve(`@fontsource/inter/files/${file}`))),
    ]),
  ) as Record<FontName, Buffer>;
  return cache;
}

/** WOFF 1.0 (W3C) to the sfnt it wraps: each table inflated when compressed, laid out 4-byte aligned. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF file');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const tag = woff.readUInt32BE(e);
    const offset = woff.readUInt32BE(e + 4);
    const compLength = woff.readUInt32BE(e + 8);
    const origLength = woff.readUInt32BE(e + 12);
    const checksum = woff.readUInt32BE(e + 16);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : Buffer.from(raw);
    if (data.length !== origLength) throw new Error('WOFF table has the wrong length');
    tables.push({ tag, checksum, data });
  }
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const headerLength = 12 + numTables * 16;
  const total = tables.reduce((n, t) => n + ((t.data.length + 3) & ~3), headerLength);
  const out = Buffer.alloc(total);
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = headerLength;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    out.writeUInt32BE(t.tag, r);
    out.writeUInt32BE(t.checksum, r + 4);
    out.writeUInt32BE(offset, r + 8);
    out.writeUInt32BE(t.data.length, r + 12);
    t.data.copy(out, offset);
    offset += (t.data.length + 3) & ~3;
  });
  return out;
}
