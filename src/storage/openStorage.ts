import path from 'node:path';
import type { Config } from '../config.js';
import type { StorageBackend } from './backend.js';
import { IN_MEMORY, openSqliteStorage } from './sqlite/openSqliteStorage.js';

/**
 * The storage STORAGE names; the file store's database is DATA_DIR/bot.sqlite. The blob backend
 * and @azure/storage-blob are imported only when chosen: loading them costs start-up time that
 * every memory- or file-store instance would otherwise pay. Here, not in assemble.ts, so that
 * `npm run agents` opens the store without loading the bot.
 */
export async function openStorage(config: Config): Promise<StorageBackend> {
  switch (config.STORAGE) {
    case 'memory':
      return openSqliteStorage(IN_MEMORY);
    case 'file':
      return openSqliteStorage(path.join(config.DATA_DIR, 'bot.sqlite'));
    case 'blob': {
      const { openBlobStorage } = await import('./blob/openBlobStorage.js');
      return openBlobStorage({
        connectionString: config.BLOB_CONNECTION_STRING,
        stateContainer: config.BLOB_CONTAINER,
        transcriptContainer: config.BLOB_TRANSCRIPT_CONTAINER,
      });
    }
  }
}
