import type { ContainerClient } from '@azure/storage-blob';
import type { StoredUpload, UploadStore } from '../uploadStore.js';
import { statusOf } from './blobName.js';

/** Beside the state blobs, whose names botbuilder URL-encodes, so never contain this slash. */
const PREFIX = 'uploads/';

/**
 * One blob per upload in the state container: the picture as its body, with its real content
 * type; what is known of it rides in metadata (base64url JSON), read with the bytes in one call.
 */
export class BlobUploadStore implements UploadStore {
  constructor(private readonly container: ContainerClient) {}

  async put(upload: StoredUpload): Promise<void> {
    const { data, ...info } = upload;
    try {
      // If-None-Match: * keeps the first copy when a channel retries the activity (the id is derived from it).
      await this.container.getBlockBlobClient(PREFIX + upload.id).uploadData(data, {
        conditions: { ifNoneMatch: '*' },
        metadata: { info: Buffer.from(JSON.stringify(info)).toString('base64url') },
        blobHTTPHeaders: { blobContentType: upload.contentType },
      });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 409 && status !== 412) throw error;
    }
  }

  async get(id: string): Promise<StoredUpload | undefined> {
    try {
      const client = this.container.getBlobClient(PREFIX + id);
      const info = infoOf((await client.getProperties()).metadata);
      return info ? { ...info, data: await client.downloadToBuffer() } : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** By the time each upload was sent (its metadata), as the SQLite store does; listing reads the metadata in the same call. */
  async prune(before: Date): Promise<number> {
    let removed = 0;
    for await (const blob of this.container.listBlobsFlat({ prefix: PREFIX, includeMetadata: true })) {
      const at = infoOf(blob.metadata)?.at;
      if (at === undefined || Date.parse(at) >= before.getTime()) continue;
      await this.container.deleteBlob(blob.name).catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
      });
      removed += 1;
    }
    return removed;
  }
}

/** Azure hands metadata names back in the case it likes; ours is one lower-case word. */
function infoOf(metadata: Record<string, string> | undefined): Omit<StoredUpload, 'data'> | undefined {
  const encoded = Object.entries(metadata ?? {}).find(([name]) => name.toLowerCase() === 'info')?.[1];
  return encoded === undefined ? undefined : (JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Omit<StoredUpload, 'data'>);
}
