import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { buildTeamsManifest, MANIFEST_VERSION, teamsAppIdFor } from '../../../src/cli/teams/teamsApp.js';
import { loadConfig } from '../../../src/config.js';
import { ConfigError } from '../../../src/errors.js';

const projectRoot = path.join(import.meta.dirname, '..', '..', '..');
const BOT_ID = '3f1b5a2c-6c1e-4d2a-9b4f-0d5e7a8c9b10';
const PACKAGE_ENV = {
  MicrosoftAppId: BOT_ID,
  MicrosoftAppPassword: 'not-a-real-secret',
  TEAMS_APP_ID: '',
  TEAMS_WEBSITE_URL: 'https://support.example.com',
  TEAMS_PRIVACY_URL: 'https://support.example.com/privacy',
  TEAMS_TERMS_URL: 'https://support.example.com/terms',
};

/** `npm run teams:package` without the build step: the CLI run from source with the given variables. */
async function runPackager(env: Record<string, string>, out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('Microsoft') && !key.startsWith('TEAMS_')));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/teams/teamsPackage.ts', '--out', out], {
      cwd: projectRoot,
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function unzip(file: string): Promise<Map<string, Buffer>> {
  const zip = await promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(file, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** The Teams schema is draft-04 (ajv-draft-04); vendored so the test needs no network. */
function manifestValidator() {
  const schema = JSON.parse(readFileSync(path.join(projectRoot, 'test', 'fixtures', 'teams', 'MicrosoftTeams.schema.json'), 'utf8'));
  // CommonJS packages: under NodeNext the class and the plugin are their `default` export.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  return ajv.compile(schema);
}

describe('Teams app package (npm run teams:package)', () => {
  let files: Map<string, Buffer>;
  let manifest: Record<string, any>;
  beforeAll(async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'teams-package-')), 'app.zip');
    const run = await runPackager(PACKAGE_ENV, out);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    files = await unzip(out);
    manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}');
  });

  it('holds manifest.json and the two icons at the root of the zip', () => {
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it(`writes a manifest valid against the Teams v${MANIFEST_VERSION} app manifest schema`, () => {
    const validate = manifestValidator();
    expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(manifest).toMatchObject({ manifestVersion: MANIFEST_VERSION, $schema: expect.stringContaining(`/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`) });
  });

  it('registers MicrosoftAppId as the bot, in personal, team and group chat scopes', () => {
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ botId: BOT_ID, scopes: ['personal', 'team', 'groupChat'], isNotificationOnly: false });
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it("lists the main topics of kb/bot.yaml's menu as bot commands", () => {
    const [commands] = manifest.bots[0].commandLists;
    expect(commands.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(commands.commands.map((command: { title: string }) => command.title)).toEqual([
      '"Cannot Restore Backup" error',
      'Restore is taking a long time',
      'No iCloud backups listed',
      'Asked for several Apple IDs',
    ]);
    for (const command of commands.commands) expect(command.description).toMatch(/^For example: ".+"$/);
  });

  it('packs a 192×192 colour icon and a 32×32 outline icon drawn white on transparent', () => {
    const color = PNG.sync.read(files.get('color.png') ?? Buffer.alloc(0));
    const outline = PNG.sync.read(files.get('outline.png') ?? Buffer.alloc(0));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const pixels = (png: PNG) => Array.from({ length: png.width * png.height }, (_, index) => [...png.data.subarray(index * 4, index * 4 + 4)]);
    expect(pixels(color).every(([, , , alpha]) => alpha === 255)).toBe(true);
    const outlinePixels = pixels(outline);
    expect(outlinePixels.every(([red, green, blue, alpha]) => alpha === 0 || (red === 255 && green === 255 && blue === 255))).toBe(true);
    expect(outlinePixels.some(([, , , alpha]) => alpha === 0)).toBe(true);
    expect(outlinePixels.some(([, , , alpha]) => alpha === 255)).toBe(true);
  });

  it('refuses without MicrosoftAppId, naming the variable, and writes nothing', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'teams-package-')), 'app.zip');
    const run = await runPackager({ ...PACKAGE_ENV, MicrosoftAppId: '', MicrosoftAppPassword: '' }, out);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Cannot build the Teams app package:\nMicrosoftAppId="": /);
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('Teams manifest', () => {
  const config = loadConfig(PACKAGE_ENV);

  it('derives the same GUID app id from the same bot id, distinct from the bot id', () => {
    const id = buildTeamsManifest(config, []).id;
    expect(id).toBe(teamsAppIdFor(BOT_ID));
    expect(id).toBe(teamsAppIdFor(BOT_ID.toUpperCase()));
    expect(id).not.toBe(BOT_ID);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('takes TEAMS_APP_ID when it is set', () => {
    const id = '0b7e9d1c-3a5f-4e2d-8c6b-9a1f3e5d7c0b';
    expect(buildTeamsManifest(loadConfig({ ...PACKAGE_ENV, TEAMS_APP_ID: id }), []).id).toBe(id);
  });

  it('lists every missing variable at once', () => {
    const bare = loadConfig({});
    expect(() => buildTeamsManifest(bare, [])).toThrow(ConfigError);
    expect(() => buildTeamsManifest(bare, [])).toThrow(/MicrosoftAppId=""[^\n]*\nTEAMS_WEBSITE_URL=""[^\n]*\nTEAMS_PRIVACY_URL=""[^\n]*\nTEAMS_TERMS_URL=""/);
  });
});
