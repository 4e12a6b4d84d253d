import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { conversation, textOf, type BotEndpoint } from '../support/botServer.js';
import { startBotProcess, startConnector, tempDir, type BotProcess, type FakeConnector } from '../support/processes.js';

let connector: FakeConnector;
let server: BotProcess | undefined;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  connector = await startConnector();
});
afterAll(async () => {
  await server?.stop();
  await connector.close();
  nock.enableNetConnect();
});

describe('the file store across a crash', () => {
  it('continues a tree at the same node after the server is killed with SIGKILL in the middle of it', async () => {
    const dataDir = tempDir('data-');
    const env = { STORAGE: 'file', DATA_DIR: dataDir };
    server = await startBotProcess(env);
    const endpoint: BotEndpoint = { post: (body) => (server as BotProcess).post(body), sent: connector.sent };
    const chat = conversation(endpoint, { serviceUrl: connector.serviceUrl });

    expect(textOf((await chat.say('my iphone says Cannot Restore Backup')).replies)).toMatch(/three most recent/);
    expect(textOf((await chat.say('no')).replies)).toMatch(/Wi-Fi/);

    // The kill lands as soon as the first of 20 other conversations is answered, so the rest are
    // mid-turn and a torn write would show.
    const firstAnswer = connector.nextPost();
    const inFlight = Array.from({ length: 20 }, () =>
      conversation(endpoint, { serviceUrl: connector.serviceUrl })
        .say('Cannot Restore Backup')
        .catch(() => undefined),
    );
    await firstAnswer;
    await server.stop('SIGKILL');
    await Promise.all(inFlight);

    server = await startBotProcess(env);
    expect(textOf((await chat.say("didn't work")).replies)).toMatch(/storage|space/i);
    await server.stop();

    const file = path.join(dataDir, 'bot.sqlite');
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const keys = db.prepare<[], { key: string }>('SELECT key FROM state').all().map((row) => row.key);
    db.close();
    const reopened = openSqliteStorage(file);
    // Every conversation's state reads back whole (read parses it), the interrupted ones included.
    expect(Object.keys(await reopened.state.read(keys))).toEqual(keys);
    const kept = await reopened.transcripts.read({ channelId: 'webchat', conversationId: chat.id });
    expect(kept.filter((entry) => entry.from === 'customer').map((entry) => entry.text)).toEqual(['my iphone says Cannot Restore Backup', 'no', "didn't work"]);
    await reopened.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 150_000); // a bound for two process starts on a loaded machine, not a speed target
});
