import type { ContainerClient } from '@azure/storage-blob';
import type { CaseStore } from '../caseStore.js';
import { statusOf } from './blobName.js';

/** Beside the state blobs, whose names botbuilder URL-encodes, so never contain this slash. */
const PREFIX = 'handoff-cases/';

/**
 * Handoff cases as blobs in the state container. The record also rides in the blob's metadata
 * (base64url JSON, well under the 8 kB limit), so listing the queue is one list call, not a
 * download per case: agents' consoles poll it every few seconds.
 */
export class BlobCaseStore implements CaseStore {
  constructor(private readonly container: ContainerClient) {}

  async put(conversationId: string, record: object): Promise<void> {
    const body = JSON.stringify(record);
    await this.container.getBlockBlobClient(nameOf(conversationId)).upload(body, Buffer.byteLength(body), {
      metadata: { record: Buffer.from(body).toString('base64url') },
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  async get(conversationId: string): Promise<unknown> {
    try {
      const { metadata } = await this.container.getBlobClient(nameOf(conversationId)).getProperties();
      return decode(metadata);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async list(): Promise<unknown[]> {
    const records: unknown[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: PREFIX, includeMetadata: true })) {
      const record = decode(blob.metadata);
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  async delete(conversationIds: readonly string[]): Promise<void> {
    await Promise.all(conversationIds.map((id) => this.container.deleteBlob(nameOf(id), { deleteSnapshots: 'include' }).catch(ignoreMissing)));
  }
}

const nameOf = (conversationId: string): string => `${PREFIX}${encodeURIComponent(conversationId)}`;

/** Azure hands metadata names back in the case it likes; ours is one lower-case word. */
function decode(metadata: Record<string, string> | undefined): unknown {
  const encoded = Object.entries(metadata ?? {}).find(([name]) => name.toLowerCase() === 'record')?.[1];
  return encoded === undefined ? undefined : JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
}

function ignoreMissing(error: unknown): void {
  if (statusOf(error) !== 404) throw error;
}
