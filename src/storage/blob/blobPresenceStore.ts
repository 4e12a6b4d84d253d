import type { ContainerClient } from '@azure/storage-blob';
import type { PresenceStore } from '../presenceStore.js';

/** Beside the state blobs, whose names botbuilder URL-encodes, so never contain this slash. */
const PREFIX = 'agent-presence/';

/**
 * One blob per agent in the state container, overwritten by each heartbeat. The record also rides
 * in the blob's metadata (as the handoff cases do), so "who is online" is one list call: the bot
 * asks it whenever a customer wants a person.
 */
export class BlobPresenceStore implements PresenceStore {
  constructor(private readonly container: ContainerClient) {}

  async put(agent: string, record: object): Promise<void> {
    const body = JSON.stringify(record);
    await this.container.getBlockBlobClient(`${PREFIX}${encodeURIComponent(agent)}`).upload(body, Buffer.byteLength(body), {
      metadata: { record: Buffer.from(body).toString('base64url') },
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  async list(): Promise<unknown[]> {
    const records: unknown[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: PREFIX, includeMetadata: true })) {
      // Azure hands metadata names back in the case it likes; ours is one lower-case word.
      const encoded = Object.entries(blob.metadata ?? {}).find(([name]) => name.toLowerCase() === 'record')?.[1];
      if (encoded !== undefined) records.push(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    }
    return records;
  }
}
