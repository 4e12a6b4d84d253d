import path from 'node:path';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStorage, IN_MEMORY } from '../../src/storage/sqlite/openSqliteStorage.js';
import { cleanFileName, imageTypeOf, PictureKeeper } from '../../src/storage/uploadStore.js';
import { tempDir } from '../support/processes.js';

const bytes = (...values: number[]) => Buffer.from(values);
const ascii = (text: string) => Buffer.from(text, 'latin1');
/** An ISO-BMFF file's first box: size, 'ftyp', then the major brand. */
const ftyp = (brand: string) => Buffer.concat([bytes(0, 0, 0, 0x18), ascii('ftyp'), ascii(brand), bytes(0, 0, 0, 0)]);

describe('the image type of an upload, by its bytes', () => {
  it.each([
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d), 'image/png'],
    ['a JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'image/jpeg'],
    ['a JPEG (Exif, as iPhones save)', bytes(0xff, 0xd8, 0xff, 0xe1, 0, 0x10), 'image/jpeg'],
    ['an iPhone HEIC', ftyp('heic'), 'image/heic'],
    ['a HEIF sequence-less still', ftyp('mif1'), 'image/heif'],
  ])('recognises %s', (_name, data, type) => {
    expect(imageTypeOf(data)).toBe(type);
  });

  it.each([
    ['an MP4 video (same box, other brand)', ftyp('isom')],
    ['an SVG, which can carry script', ascii('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['HTML', ascii('<!doctype html><html>')],
    ['a PDF', ascii('%PDF-1.7\n')],
    ['a GIF', ascii('GIF89a')],
    ['a PNG signature cut short', bytes(0x89, 0x50, 0x4e, 0x47)],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_name, data) => {
    expect(imageTypeOf(data)).toBeUndefined();
  });
});

describe('the file name shown for an upload', () => {
  it('keeps only the last path segment, without control or bidirectional characters, at most 100 characters', () => {
    expect(cleanFileName('C:\\Users\\ada\\alert.png')).toBe('alert.png');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('gnp.\u202Eexe.png')).toBe('gnp.exe.png');
    expect(cleanFileName(`${'a'.repeat(300)}.png`)).toHaveLength(100);
    expect(cleanFileName(`${'a'.repeat(300)}.png`).endsWith('.png')).toBe(true);
    expect(cleanFileName(undefined)).toBe('screenshot');
  });
});

describe('the picture keeper', () => {
  const storage = openSqliteStorage(IN_MEMORY);
  const keeper = new PictureKeeper(storage.uploads, () => new Date('2026-03-01T00:00:00.000Z'));
  const file = { channelId: 'msteams', conversationId: 'a:1', activityId: '1741079702512', index: 0, name: 'alert.png', data: bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7) };
  afterAll(() => storage.close());

  it('keeps a picture under the same id when a channel retries its activity', async () => {
    const first = await keeper.keep(file);
    expect(first).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), name: 'alert.png', contentType: 'image/png', bytes: 9 });
    expect(await keeper.keep(file)).toEqual(first);
    expect((await storage.uploads.get(first?.id ?? ''))?.conversationId).toBe('a:1');
  });

  it('keeps nothing that is not a picture', async () => {
    expect(await keeper.keep({ ...file, index: 1, data: ascii('<svg/>') })).toBeUndefined();
  });
});

describe('a file store written before pictures were kept', () => {
  const dir = tempDir('old-store-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gains the transcript attachments column and reads its old lines unchanged', async () => {
    const file = path.join(dir, 'bot.sqlite');
    const old = new Database(file);
    old.exec('CREATE TABLE transcript (channel_id TEXT NOT NULL, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL)');
    old.prepare('INSERT INTO transcript VALUES (?, ?, ?, ?, ?, ?)').run('webchat', 'c', 0, 'customer', 'hi', '2026-03-01T00:00:00.000Z');
    old.close();
    const storage = openSqliteStorage(file);
    const key = { channelId: 'webchat', conversationId: 'c' };
    const attachments = [{ id: 'x'.repeat(22), name: 'a.png', contentType: 'image/png' as const, bytes: 9 }];
    await storage.transcripts.append(key, [{ seq: 1, from: 'customer', text: '', at: '2026-03-01T00:00:01.000Z', attachments }]);
    expect(await storage.transcripts.read(key)).toEqual([
      { seq: 0, from: 'customer', text: 'hi', at: '2026-03-01T00:00:00.000Z' },
      { seq: 1, from: 'customer', text: '', at: '2026-03-01T00:00:01.000Z', attachments },
    ]);
    await storage.close();
  });
});
