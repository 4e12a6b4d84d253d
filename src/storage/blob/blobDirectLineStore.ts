import type { ContainerClient } from '@azure/storage-blob';
import type { DirectLineRecord, DirectLineStore, KeptActivity } from '../backend.js';

/** Beside the state blobs, whose names botbuilder URL-encodes, so never contain these slashes. */
const RECORDS = 'directline-conversations/';
const ACTIVITIES = 'directline-activities/';

/**
 * The embedded Direct Line in the state container: a blob per conversation whose metadata also
 * carries the record (well under the 8 kB limit), so start-up indexes them with one list call, and
 * a blob per kept activity, so an append writes only what is new.
 */
export class BlobDirectLineStore implements DirectLineStore {
  constructor(private readonly container: ContainerClient) {}

  async list(): Promise<DirectLineRecord[]> {
    const records: DirectLineRecord[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: RECORDS, includeMetadata: true })) {
      const record = decode(blob.metadata);
      if (record) records.push(record);
    }
    return records;
  }

  async load(conversationId: string): Promise<{ record: DirectLineRecord; activities: KeptActivity[] } | undefined> {
    let record: DirectLineRecord | undefined;
    try {
      record = decode((await this.container.getBlobClient(recordName(conversationId)).getProperties()).metadata);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
    if (!record) return undefined;
    const names: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: activityPrefix(conversationId) })) names.push(blob.name);
    const activities = await Promise.all(
      names.map(async (name) => ({
        sequence: Number(name.slice(name.lastIndexOf('/') + 1)),
        json: (await this.container.getBlobClient(name).downloadToBuffer()).toString('utf8'),
      })),
    );
    return { record, activities: activities.sort((a, b) => a.sequence - b.sequence) };
  }

  async save(record: DirectLineRecord, added: readonly KeptActivity[], dropped: readonly number[]): Promise<void> {
    // Activities first: a record never names a watermark whose activities are not there yet.
    await Promise.all(
      added.map((activity) =>
        this.container.getBlockBlobClient(activityName(record.id, activity.sequence)).upload(activity.json, Buffer.byteLength(activity.json), {
          blobHTTPHeaders: { blobContentType: 'application/json' },
        }),
      ),
    );
    const body = JSON.stringify(record);
    await this.container.getBlockBlobClient(recordName(record.id)).upload(body, Buffer.byteLength(body), {
      metadata: { record: Buffer.from(body).toString('base64url') },
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
    await Promise.all(dropped.map((sequence) => this.container.deleteBlob(activityName(record.id, sequence)).catch(ignoreMissing)));
  }

  async remove(conversationIds: readonly string[]): Promise<void> {
    for (const id of conversationIds) {
      const names = [recordName(id)];
      for await (const blob of this.container.listBlobsFlat({ prefix: activityPrefix(id) })) names.push(blob.name);
      await Promise.all(names.map((name) => this.container.deleteBlob(name).catch(ignoreMissing)));
    }
  }
}

const recordName = (conversationId: string): string => `${RECORDS}${encodeURIComponent(conversationId)}`;
const activityPrefix = (conversationId: string): string => `${ACTIVITIES}${encodeURIComponent(conversationId)}/`;
/** Zero-padded, so a listing comes back in watermark order. */
const activityName = (conversationId: string, sequence: number): string => `${activityPrefix(conversationId)}${String(sequence).padStart(10, '0')}`;

/** Azure hands metadata names back in the case it likes; ours is one lower-case word. */
function decode(metadata: Record<string, string> | undefined): DirectLineRecord | undefined {
  const encoded = Object.entries(metadata ?? {}).find(([name]) => name.toLowerCase() === 'record')?.[1];
  return encoded === undefined ? undefined : (JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as DirectLineRecord);
}

function ignoreMissing(error: unknown): void {
  if ((error as { statusCode?: number }).statusCode !== 404) throw error;
}
