import { text } from 'node:stream/consumers';
import type { ContainerClient } from '@azure/storage-blob';
import type { EventLog, EventRecord } from '../eventLog.js';
import { statusOf } from './blobName.js';

/** Beside the state blobs, whose names botbuilder URL-encodes, so never contain this slash. */
const PREFIX = 'insight-events/';

/** Deletions in flight at once while pruning. */
const DELETES_AT_ONCE = 32;

/** Another instance pruning at the same time may have deleted it first. */
const ignoreGone = (error: unknown): void => {
  if (statusOf(error) !== 404) throw error;
};

/**
 * Events as JSON-lines blobs in the state container, one blob per batch: everything appended
 * during one pass of the event loop (and while the previous batch uploads) goes up in one write,
 * so a busy instance makes a few uploads a second, not one per turn. A batch's name starts with
 * its newest record's time, so a report from a date downloads only the blobs that can hold a
 * record at or after it.
 */
export class BlobEventLog implements EventLog {
  private pending: { records: EventRecord[]; done: Promise<void> } | undefined;
  private uploading: Promise<unknown> = Promise.resolve();
  private batches = 0;

  constructor(
    private readonly container: ContainerClient,
    /** Tells this instance's batches from another's written in the same millisecond. */
    private readonly instance: string,
  ) {}

  append(records: readonly EventRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.pending) {
      this.pending.records.push(...records);
      return this.pending.done;
    }
    const batch: EventRecord[] = [...records];
    const done = this.uploading.catch(() => undefined).then(() => {
      if (this.pending?.records === batch) this.pending = undefined;
      return this.upload(batch);
    });
    this.pending = { records: batch, done };
    this.uploading = done;
    return done;
  }

  private async upload(batch: readonly EventRecord[]): Promise<void> {
    const body = batch.map((record) => JSON.stringify(record)).join('\n');
    const newest = batch.reduce((latest, record) => (record.at > latest ? record.at : latest), '');
    const name = `${PREFIX}${newest}-${this.instance}-${++this.batches}.jsonl`;
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
  }

  async read(since = ''): Promise<EventRecord[]> {
    const names: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: PREFIX })) if (blob.name.slice(PREFIX.length, PREFIX.length + since.length) >= since) names.push(blob.name);
    const batches = await Promise.all(names.map((name) => this.download(name)));
    return batches
      .flat()
      .filter((record) => record.at >= since)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  /**
   * Deletes the batches whose newest record is older than `before`. Names sort by that time, so
   * the listing stops at the first batch to keep: the cost is the batches deleted, not those kept.
   */
  async prune(before: string): Promise<number> {
    let old: string[] = [];
    let removed = 0;
    const remove = async () => {
      await Promise.all(old.map((name) => this.container.deleteBlob(name, { deleteSnapshots: 'include' }).catch(ignoreGone)));
      removed += old.length;
      old = [];
    };
    for await (const blob of this.container.listBlobsFlat({ prefix: PREFIX })) {
      if (blob.name.slice(PREFIX.length, PREFIX.length + before.length) >= before) break;
      old.push(blob.name);
      if (old.length === DELETES_AT_ONCE) await remove();
    }
    await remove();
    return removed;
  }

  private async download(name: string): Promise<EventRecord[]> {
    const { readableStreamBody } = await this.container.getBlobClient(name).download();
    if (!readableStreamBody) return [];
    return (await text(readableStreamBody))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as EventRecord);
  }
}
