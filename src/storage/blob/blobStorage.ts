import { json } from 'node:stream/consumers';
import type { ContainerClient } from '@azure/storage-blob';
import { StorageConflictError } from '../../errors.js';
import type { KeyValueStorage } from '../conversationStore.js';
import { blobName, statusOf } from './blobName.js';

/**
 * Conversation state as one JSON blob per key, the item's eTag being the blob's ETag. Same names
 * and bodies as botbuilder-azure-blobs' BlobsStorage, so existing containers keep working.
 */
export class BlobStorage implements KeyValueStorage {
  constructor(private readonly container: ContainerClient) {}

  async read(keys: string[]): Promise<Record<string, unknown>> {
    const items = await Promise.all(keys.map(async (key) => [key, await this.readOne(key)] as const));
    return Object.fromEntries(items.filter(([, value]) => value !== undefined));
  }

  private async readOne(key: string): Promise<object | undefined> {
    try {
      const { etag, readableStreamBody } = await this.container.getBlobClient(blobName(key)).download();
      if (!readableStreamBody) return undefined;
      return { ...((await json(readableStreamBody)) as object), eTag: etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async write(changes: Record<string, unknown>): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...value } = item as { eTag?: string };
        const body = JSON.stringify(value);
        try {
          await this.container.getBlockBlobClient(blobName(key)).upload(body, Buffer.byteLength(body), {
            // Without an eTag (or with '*') the write overwrites, as KeyValueStorage promises.
            conditions: eTag && eTag !== '*' ? { ifMatch: eTag } : {},
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
        } catch (error) {
          if (statusOf(error) === 412) throw new StorageConflictError(key, { cause: error });
          throw error;
        }
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.container.deleteBlob(blobName(key)).catch(ignoreMissing)));
  }

  async create(key: string, item: object): Promise<void> {
    const { eTag: _ignored, ...value } = item as { eTag?: string };
    const body = JSON.stringify(value);
    try {
      await this.container.getBlockBlobClient(blobName(key)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (error) {
      // 409 BlobAlreadyExists (412 from some emulators): another instance created the conversation first.
      const status = statusOf(error);
      if (status === 409 || status === 412) throw new StorageConflictError(key, { cause: error });
      throw error;
    }
  }
}

function ignoreMissing(error: unknown): void {
  if (statusOf(error) !== 404) throw error;
}
