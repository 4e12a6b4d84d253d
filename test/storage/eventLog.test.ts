import { rmSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { openBlobStorage } from '../../src/storage/blob/openBlobStorage.js';
import type { EventRecord } from '../../src/storage/eventLog.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { startAzurite, tempDir, type Azurite } from '../support/processes.js';

/** The event log's contract on every backend STORAGE can name; "connect" opens a second instance's handle. */
let azurite: Azurite;
let containers = 0;
const opened: StorageBackend[] = [];
const dataDirs: string[] = [];
const track = async (pending: Promise<StorageBackend> | StorageBackend) => {
  const backend = await pending;
  opened.push(backend);
  return backend;
};

const kinds: Record<string, () => () => Promise<StorageBackend>> = {
  memory: () => {
    const backend = track(openSqliteStorage(IN_MEMORY));
    return () => backend;
  },
  file: () => {
    const dir = tempDir('events-');
    dataDirs.push(dir);
    return () => track(openSqliteStorage(path.join(dir, 'bot.sqlite')));
  },
  blob: () => {
    containers += 1;
    const options = { connectionString: azurite.connectionString, stateContainer: `events-${containers}`, transcriptContainer: `events-lines-${containers}` };
    return () => track(openBlobStorage(options));
  },
};

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  azurite = await startAzurite();
});
afterAll(async () => {
  await Promise.all(opened.map((backend) => backend.close()));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  await azurite?.stop();
  nock.enableNetConnect();
});

const record = (minute: number, conversation: string, body: string): EventRecord => ({ at: new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString(), conversation, body });

describe.each(Object.keys(kinds))('%s event log', (kind) => {
  const place = () => (kinds[kind] as () => () => Promise<StorageBackend>)();

  it('reads back every record appended, in time order, each batch in the order given', async () => {
    const { events } = await place()();
    await Promise.all([events.append([record(2, 'b', '["b1"]'), record(2, 'b', '["b2"]')]), events.append([record(1, 'a', '["a1"]')]), events.append([record(3, 'c', '["c1 é 🙂"]')])]);
    expect((await events.read()).map((item) => item.body)).toEqual(['["a1"]', '["b1"]', '["b2"]', '["c1 é 🙂"]']);
  });

  it('reads only the records at or after a date', async () => {
    const { events } = await place()();
    await events.append([record(1, 'a', '1'), record(30, 'a', '2'), record(59, 'b', '3')]);
    expect((await events.read(record(30, '', '').at)).map((item) => item.body)).toEqual(['2', '3']);
  });

});

// The in-memory store has no second handle: another instance never shares it.
describe.each(['file', 'blob'])('%s event log shared by two instances', (kind) => {
  it("lets a second instance on the same store read the first one's records", async () => {
    const connect = (kinds[kind] as () => () => Promise<StorageBackend>)();
    const first = await connect();
    const second = await connect();
    await first.events.append([record(5, 'a', '["from the first"]')]);
    expect(await second.events.read()).toEqual([record(5, 'a', '["from the first"]')]);
  });
});
