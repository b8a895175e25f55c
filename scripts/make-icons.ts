// Draws the Teams icons of the app package:
//   teamsAppManifest/color.png   192×192, full colour (navy background, white shield, light tick)
//   teamsAppManifest/outline.png  32×32, white outline on a fully transparent background (RGBA)
//
// Run by hand when needed: `npm run build && node dist/scripts/make-icons.js`. NOT run on install.
// Uses Node's built-in modules only (node:zlib): no image libraries.

import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

// This file is compiled to dist/scripts/.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'teamsAppManifest');

// ---------------------------------------------------------------- PNG writer

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** rgba: a Uint8Array of width*height*4 bytes, alpha not premultiplied. */
function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type 6 = RGBA
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ------------------------------------------------------------------ geometry
// Every shape in normalised coordinates (0..1 across the whole icon).

interface Shield {
  top: number;
  mid: number;
  bottom: number;
  halfWidth: number;
}

interface Check {
  points: [number, number][];
  width: number;
}

type Rgba = readonly [number, number, number, number];

/** Shield: straight top edge, straight sides, a pointed rounded bottom. */
function shieldHalfWidth(y: number, s: Shield): number {
  const { top, mid, bottom, halfWidth } = s;
  if (y < top || y > bottom) return -1;
  if (y <= mid) return halfWidth;
  const t = (y - mid) / (bottom - mid); // 0..1
  return halfWidth * Math.sqrt(1 - t * t) * (1 - 0.35 * t);
}

function inShield(x: number, y: number, s: Shield): boolean {
  const hw = shieldHalfWidth(y, s);
  return hw >= 0 && Math.abs(x - 0.5) <= hw;
}

function inset(s: Shield, d: number): Shield {
  return { top: s.top + d, mid: s.mid, bottom: s.bottom - d * 1.6, halfWidth: s.halfWidth - d };
}

function distToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  const cx = ax + t * dx;
  const cy = ay + t * dy;
  return Math.hypot(px - cx, py - cy);
}

function inCheck(x: number, y: number, c: Check): boolean {
  const [a, b, d] = c.points as [[number, number], [number, number], [number, number]];
  return (
    distToSegment(x, y, a[0], a[1], b[0], b[1]) <= c.width / 2 ||
    distToSegment(x, y, b[0], b[1], d[0], d[1]) <= c.width / 2
  );
}

// ---------------------------------------------------------------- rendering

/**
 * Renders with supersampling. `shade(x, y)` returns [r, g, b, a] (0..255) for a point; the
 * average is taken premultiplied, for smooth edges.
 */
function render(size: number, samples: number, shade: (x: number, y: number) => Rgba): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = samples * samples;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          const [cr, cg, cb, ca] = shade(x, y);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round(a / n);
    }
  }
  return out;
}

const NAVY: Rgba = [0x16, 0x32, 0x5c, 255];
const BLUE: Rgba = [0x2b, 0x5c, 0xa8, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const LIGHT: Rgba = [0xff, 0xe0, 0x6b, 255]; // light yellow tick
const CLEAR: Rgba = [0, 0, 0, 0];

// Colour icon 192×192: navy background all over, white shield border, blue shield, light tick.
const colorShield = { top: 0.17, mid: 0.52, bottom: 0.86, halfWidth: 0.3 };
const colorInner = inset(colorShield, 0.035);
const colorCheck: Check = {
  points: [
    [0.37, 0.5],
    [0.47, 0.61],
    [0.65, 0.39],
  ],
  width: 0.075,
};
const color = render(192, 4, (x, y) => {
  if (inCheck(x, y, colorCheck)) return LIGHT;
  if (inShield(x, y, colorInner)) return BLUE;
  if (inShield(x, y, colorShield)) return WHITE;
  return NAVY;
});

// Outline icon 32×32: white shield outline and white tick, everything else fully transparent.
const outlineShield = { top: 0.09, mid: 0.5, bottom: 0.93, halfWidth: 0.38 };
const outlineInner = inset(outlineShield, 2.2 / 32);
const outlineCheck: Check = {
  points: [
    [0.33, 0.5],
    [0.46, 0.63],
    [0.68, 0.38],
  ],
  width: 2.4 / 32,
};
const outline = render(32, 8, (x, y) => {
  if (inCheck(x, y, outlineCheck)) return WHITE;
  if (inShield(x, y, outlineInner)) return CLEAR;
  if (inShield(x, y, outlineShield)) return WHITE;
  return CLEAR;
});
// Teams requires a pure white outline: force RGB to white and let alpha carry the anti-aliasing.
for (let i = 0; i < outline.length; i += 4) {
  if (outline[i + 3] === 0) {
    outline[i] = outline[i + 1] = outline[i + 2] = 0;
  } else {
    outline[i] = outline[i + 1] = outline[i + 2] = 255;
  }
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'color.png'), encodePng(192, 192, color));
writeFileSync(join(outDir, 'outline.png'), encodePng(32, 32, outline));
console.log(
  `Wrote ${join('teamsAppManifest', 'color.png')} (192×192) and ${join('teamsAppManifest', 'outline.png')} (32×32).`,
);
