import { rmSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { openBlobStorage } from '../../src/storage/blob/openBlobStorage.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { startAzurite, tempDir, type Azurite } from './processes.js';

/** The backends STORAGE can name: SQLite in memory, a SQLite file, or blobs (on Azurite here). */
export type StoreKind = 'memory' | 'file' | 'blob';

/** One fresh, empty store. */
export interface Place {
  /**
   * Another handle on the same data, as a second instance of the bot, the CLI beside it or the
   * process after a restart would open; the in-memory store has only one, given back each time.
   */
  connect(): Promise<StorageBackend>;
}

export interface StoreKinds {
  readonly kinds: readonly StoreKind[];
  place(kind: StoreKind): Place;
  /** Closes a handle before the file's end (a store failing under a test); it is not closed again. */
  closeEarly(backend: StorageBackend): Promise<void>;
}

/**
 * Fresh stores of each kind for a test file's contract tests, and their cleanup: one Azurite for the
 * file (when `blob` is among the kinds) with a new container pair per place, a temporary folder per
 * SQLite file, every handle closed and every folder removed after the file's tests. Network stays
 * off but for 127.0.0.1. Call it at the top of the file: it registers the file's hooks.
 */
export function storeKinds(prefix: string, kinds: readonly StoreKind[] = ['memory', 'file', 'blob']): StoreKinds {
  let azurite: Azurite | undefined;
  let containers = 0;
  const opened: StorageBackend[] = [];
  const dataDirs: string[] = [];
  const track = async (pending: Promise<StorageBackend> | StorageBackend): Promise<StorageBackend> => {
    const backend = await pending;
    opened.push(backend);
    return backend;
  };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
    if (kinds.includes('blob')) azurite = await startAzurite();
  });
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((backend) => backend.close()));
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    await azurite?.stop();
    nock.enableNetConnect();
  });

  const places: Record<StoreKind, () => Place> = {
    memory: () => {
      const backend = track(openSqliteStorage(IN_MEMORY));
      return { connect: () => backend };
    },
    file: () => {
      const dir = tempDir(`${prefix}-`);
      dataDirs.push(dir);
      const file = path.join(dir, 'bot.sqlite');
      return { connect: () => track(openSqliteStorage(file)) };
    },
    blob: () => {
      if (!azurite) throw new Error(`storeKinds('${prefix}') was not given the blob kind, or is used outside a test`);
      containers += 1;
      const options = { connectionString: azurite.connectionString, stateContainer: `${prefix}-${containers}`, transcriptContainer: `${prefix}-lines-${containers}` };
      return { connect: () => track(openBlobStorage(options)) };
    },
  };

  return {
    kinds,
    place: (kind) => places[kind](),
    async closeEarly(backend) {
      opened.splice(opened.indexOf(backend), 1);
      await backend.close();
    },
  };
}
