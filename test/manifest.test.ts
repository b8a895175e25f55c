import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync, inflateSync } from 'node:zlib';
import {
  AppPackageError,
  MANIFEST_SCHEMA_URL,
  buildZip,
  createManifestValidator,
  findPlaceholders,
  loadTeamsToolkitEnv,
  packageApp,
  renderManifest,
  substitutePlaceholders,
  type ManifestValidator,
} from '../src/cli/app-package.js';

const TEST_BOT_ID = '3f2c9a1e-7b4d-4c8e-9f01-23456789abcd';

function findProjectDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'teamsAppManifest', 'manifest.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('hittar inte projektroten');
    dir = parent;
  }
  return dir;
}

const projectDir = findProjectDir();
const manifestDir = join(projectDir, 'teamsAppManifest');

// -------------------------------------------------------------- PNG decoder

interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  bitDepth: number;
  channels: number;
  pixels: Buffer; // unfiltered rows without the filter byte
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function decodePng(data: Buffer): DecodedPng {
  assert.ok(data.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG-signatur');
  let offset = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  let sawEnd = false;
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') ihdr = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') sawEnd = true;
    offset += 12 + length;
  }
  assert.ok(ihdr, 'IHDR saknas');
  assert.ok(sawEnd, 'IEND saknas');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr[8]!;
  const colorType = ihdr[9]!;
  assert.equal(ihdr[12], 0, 'interlace stöds inte i testet');
  assert.equal(bitDepth, 8, 'testet avkodar bara 8 bitar per kanal');
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  assert.ok(channels, `färgtyp ${colorType} stöds inte i testet`);

  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  assert.equal(raw.length, (stride + 1) * height, 'IDAT-längd');
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let predictor: number;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          assert.fail(`okänd filtertyp ${filter}`);
      }
      pixels[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width, height, colorType, bitDepth, channels, pixels };
}

function pixel(png: DecodedPng, x: number, y: number): number[] {
  const i = (y * png.width + x) * png.channels;
  return [...png.pixels.subarray(i, i + png.channels)];
}

// ------------------------------------------------------------- zip reader

interface ZipListing {
  name: string;
  method: number;
  data: Buffer;
}

/** Reads the central directory and unpacks every entry (stored or deflate). */
function readZip(zip: Buffer): ZipListing[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'end of central directory saknas');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipListing[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'central directory-signatur');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;

    assert.equal(zip.readUInt32LE(localOffset), 0x04034b50, 'local header-signatur');
    const localName = zip.readUInt16LE(localOffset + 26);
    const localExtra = zip.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localName + localExtra;
    const stored = zip.subarray(start, start + compressedSize);
    const data = method === 8 ? inflateRawSync(stored) : Buffer.from(stored);
    entries.push({ name, method, data });
  }
  return entries;
}

// --------------------------------------------------------------------- tests

describe('the Teams app package', () => {
  let template: string;
  let manifest: Record<string, any>;
  let validate: ManifestValidator;

  before(async () => {
    template = await readFile(join(manifestDir, 'manifest.json'), 'utf8');
    manifest = renderManifest(template, { BOT_ID: TEST_BOT_ID });
    validate = await createManifestValidator();
  });

  describe('manifest.json', () => {
    it('uses a current schema version with the official $schema URL', () => {
      assert.equal(manifest.$schema, MANIFEST_SCHEMA_URL);
      assert.equal(
        manifest.$schema,
        `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
      );
    });

    it('has only the BOT_ID placeholder, for both the app id and the bot id', () => {
      assert.deepEqual(findPlaceholders(template), ['BOT_ID']);
      assert.equal(manifest.id, TEST_BOT_ID);
      assert.equal(manifest.bots[0].botId, TEST_BOT_ID);
    });

    it('validates against the official schema (offline, ajv)', () => {
      assert.deepEqual(validate(manifest), []);
    });

    it('has Swedish names and descriptions', () => {
      assert.equal(manifest.name.short, 'Medborgarlöfte');
      assert.equal(manifest.developer.name, 'Medborgarlöfte-boten');
      assert.equal(manifest.localizationInfo.defaultLanguageTag, 'sv-SE');
      assert.match(manifest.description.full, /veckorapporter/);
      assert.match(manifest.description.full, /inga personuppgifter/);
      for (const url of [
        manifest.developer.websiteUrl,
        manifest.developer.privacyUrl,
        manifest.developer.termsOfUseUrl,
      ]) {
        assert.match(url, /^https:\/\//);
      }
    });

    it('the bot is in personal, team and groupChat and is conversational', () => {
      const bot = manifest.bots[0];
      assert.equal(manifest.bots.length, 1);
      assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
      assert.equal(bot.supportsFiles, false);
      assert.equal(bot.isNotificationOnly, false);
      assert.deepEqual(manifest.validDomains, []);
    });

    it('has Swedish commands for every scope', () => {
      const lists: { scopes: string[]; commands: { title: string; description: string }[] }[] =
        manifest.bots[0].commandLists;
      const byScope = new Map(lists.flatMap((l) => l.scopes.map((s) => [s, l.commands.map((c) => c.title)] as const)));
      for (const scope of ['personal', 'team', 'groupChat']) {
        const titles = byScope.get(scope);
        assert.ok(titles, `kommandolista för ${scope}`);
        for (const title of ['hjälp', 'status', 'rapportera', 'mina rapporter', 'möten']) {
          assert.ok(titles.includes(title), `${scope} saknar "${title}"`);
        }
      }
      assert.ok(byScope.get('team')!.includes('koppla kanal'));
      assert.ok(!byScope.get('personal')!.includes('koppla kanal'));
      for (const list of lists) {
        for (const command of list.commands) {
          assert.ok(command.title.length <= 32, `titeln "${command.title}" är för lång`);
          assert.ok(
            command.description.length > 0 && command.description.length <= 128,
            `beskrivningen för "${command.title}"`,
          );
        }
      }
    });
  });

  describe('schema validation', () => {
    it('reports an error when the bot id is missing', () => {
      const broken = structuredClone(manifest);
      delete broken.bots[0].botId;
      const errors = validate(broken);
      assert.ok(errors.length > 0, 'valideringen borde misslyckas');
      assert.ok(
        errors.some((e) => e.includes('/bots/0') && e.includes('botId')),
        errors.join('\n'),
      );
    });

    it('reports an error when the app id is not a GUID', () => {
      const broken = { ...manifest, id: 'inte-ett-guid' };
      assert.ok(validate(broken).some((e) => e.startsWith('/id')));
    });
  });

  describe('placeholders and BOT_ID', () => {
    it('replaces ${{NAME}} and reports missing ones', () => {
      const { text, missing } = substitutePlaceholders('{"a":"${{A}}","b":"${{ B }}","c":"${{C}}"}', {
        A: 'x"y',
        B: '2',
      });
      assert.equal(text, '{"a":"x\\"y","b":"2","c":"${{C}}"}');
      assert.deepEqual(missing, ['C']);
    });

    it('requires BOT_ID with a Swedish error message', () => {
      assert.throws(
        () => renderManifest(template, {}),
        (err: unknown) => {
          assert.ok(err instanceof AppPackageError);
          assert.match(err.message, /BOT_ID saknas/);
          assert.match(err.message, /GUID/);
          return true;
        },
      );
    });

    it('refuses a BOT_ID that is not a GUID', () => {
      assert.throws(
        () => renderManifest(template, { BOT_ID: 'min-bot' }),
        /BOT_ID har värdet "min-bot", som inte är ett giltigt GUID/,
      );
    });

    it('reads env files as Teams Toolkit does and lets environment variables win', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ml-env-'));
      try {
        await mkdir(join(dir, 'env'));
        await writeFile(join(dir, 'env', '.env.dev'), 'BOT_ID=11111111-1111-1111-1111-111111111111\nA=fil\nB=fil\n');
        await writeFile(join(dir, 'env', '.env.dev.user'), 'B=user\nC=user\n');
        const { env, loadedFiles } = loadTeamsToolkitEnv(dir, 'dev', { C: 'process' });
        assert.deepEqual(loadedFiles, [join('env', '.env.dev'), join('env', '.env.dev.user')]);
        assert.equal(env.BOT_ID, '11111111-1111-1111-1111-111111111111');
        assert.equal(env.A, 'fil');
        assert.equal(env.B, 'user');
        assert.equal(env.C, 'process');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the icons', () => {
    it('color.png is 192×192 in full colour', async () => {
      const png = decodePng(await readFile(join(manifestDir, 'color.png')));
      assert.equal(png.width, 192);
      assert.equal(png.height, 192);
      assert.ok(png.colorType === 2 || png.colorType === 6);
      if (png.colorType === 6) assert.equal(pixel(png, 0, 0)[3], 255, 'färgikonen ska vara ogenomskinlig');
      const colours = new Set<string>();
      for (let y = 0; y < png.height; y += 8)
        for (let x = 0; x < png.width; x += 8) colours.add(pixel(png, x, y).slice(0, 3).join(','));
      assert.ok(colours.size >= 3, 'färgikonen ska ha flera färger');
    });

    it('outline.png is 32×32, white on a transparent background', async () => {
      const png = decodePng(await readFile(join(manifestDir, 'outline.png')));
      assert.equal(png.width, 32);
      assert.equal(png.height, 32);
      assert.equal(png.colorType, 6, 'RGBA med alfakanal');
      for (const [x, y] of [
        [0, 0],
        [31, 0],
        [0, 31],
        [31, 31],
      ] as const) {
        assert.equal(pixel(png, x, y)[3], 0, `hörnet (${x},${y}) ska vara transparent`);
      }
      let visible = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const [r, g, b, a] = pixel(png, x, y);
          if (a! > 0) {
            visible++;
            assert.deepEqual([r, g, b], [255, 255, 255], `synlig pixel (${x},${y}) ska vara vit`);
          }
        }
      }
      assert.ok(visible > 50, 'konturen ska synas');
    });
  });

  describe('the zip package', () => {
    it('buildZip gives an archive with exactly the three files at its root', async () => {
      const files = ['manifest.json', 'color.png', 'outline.png'];
      const contents = await Promise.all(files.map((f) => readFile(join(manifestDir, f))));
      const zip = await buildZip(files.map((name, i) => ({ name, data: contents[i]! })));
      const entries = readZip(zip);
      assert.deepEqual(entries.map((e) => e.name).sort(), [...files].sort());
      for (const [i, name] of files.entries()) {
        assert.ok(entries.find((e) => e.name === name)!.data.equals(contents[i]!), `${name} ska packas upp oförändrad`);
      }
      assert.ok(
        (await buildZip([{ name: 'a.txt', data: Buffer.from('a') }])).equals(
          await buildZip([{ name: 'a.txt', data: Buffer.from('a') }]),
        ),
        'deterministiskt',
      );
    });

    it('packageApp writes appPackage/build/appPackage.<env>.zip with the manifest filled in', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ml-pkg-'));
      try {
        await cp(manifestDir, join(dir, 'teamsAppManifest'), { recursive: true });
        await mkdir(join(dir, 'env'));
        await writeFile(join(dir, 'env', '.env.test'), `BOT_ID=${TEST_BOT_ID}\n`);
        const result = await packageApp({ projectDir: dir, processEnv: { TEAMSFX_ENV: 'test' } });
        assert.equal(result.outputPath, join(dir, 'appPackage', 'build', 'appPackage.test.zip'));
        const entries = readZip(await readFile(result.outputPath));
        assert.deepEqual(entries.map((e) => e.name).sort(), ['color.png', 'manifest.json', 'outline.png']);
        const packed = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString('utf8'));
        assert.equal(packed.id, TEST_BOT_ID);
        assert.equal(packed.bots[0].botId, TEST_BOT_ID);
        assert.ok(!JSON.stringify(packed).includes('${{'));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('packageApp stops without a valid BOT_ID', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ml-pkg-'));
      try {
        await cp(manifestDir, join(dir, 'teamsAppManifest'), { recursive: true });
        await assert.rejects(packageApp({ projectDir: dir, processEnv: { BOT_ID: '123' } }), /BOT_ID/);
        assert.ok(!existsSync(join(dir, 'appPackage')));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
