import { ContainerClient } from '@azure/storage-blob';
import type { Activity } from 'botbuilder';
import { BlobsStorage, BlobsTranscriptStore } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey.js';
import { AppError, StorageConflictError } from '../errors.js';
import type { StorageBackend } from '../storage/backend.js';
import { BlobCaseStore } from '../storage/blobCases.js';
import { BlobDirectLineStore } from '../storage/blob/directLine.js';
import type { KeyValueStorage } from '../storage/conversationStore.js';
import { byTimeThenSeq, type TranscriptKey, type TranscriptLine, type TranscriptStore } from '../storage/transcriptStore.js';

export interface BlobStorageOptions {
  readonly connectionString: string;
  readonly stateContainer: string;
  readonly transcriptContainer: string;
}

/**
 * Azure Blob Storage through botbuilder-azure-blobs, for several instances sharing one store. It
 * lives in channels/ because only channels/ may import botbuilder packages. Both containers are
 * created (or found) here, so a wrong connection string stops start-up instead of the first turn.
 */
export async function openBlobStorage(options: BlobStorageOptions): Promise<StorageBackend> {
  const { connectionString, stateContainer, transcriptContainer } = options;
  const stateClient = new ContainerClient(connectionString, stateContainer);
  const transcriptClient = new ContainerClient(connectionString, transcriptContainer);
  try {
    await Promise.all([stateClient.createIfNotExists(), transcriptClient.createIfNotExists()]);
  } catch (error) {
    throw new AppError('ERR_STORAGE_OPEN', `cannot open Azure Blob Storage containers ${stateContainer} and ${transcriptContainer}: ${firstLine(error)}`, { cause: error });
  }
  return {
    state: new BlobKeyValueStorage(new BlobsStorage(connectionString, stateContainer), stateClient),
    transcripts: new BlobTranscriptStore(new BlobsTranscriptStore(connectionString, transcriptContainer), transcriptClient),
    cases: new BlobCaseStore(stateClient),
    directLine: new BlobDirectLineStore(stateClient),
    close: async () => undefined,
  };
}

/** BlobsStorage, with its eTag conflicts made typed and a create-if-absent it does not offer. */
class BlobKeyValueStorage implements KeyValueStorage {
  constructor(
    private readonly blobs: BlobsStorage,
    private readonly container: ContainerClient,
  ) {}

  read(keys: string[]): Promise<Record<string, unknown>> {
    return this.blobs.read(keys);
  }

  async write(changes: Record<string, unknown>): Promise<void> {
    try {
      await this.blobs.write(changes as Parameters<BlobsStorage['write']>[0]);
    } catch (error) {
      // BlobsStorage turns the service's 412 into a plain Error with this wording and no status.
      const conflict = /^Storage: error writing "(.*)" due to eTag conflict\.$/.exec((error as Error).message);
      if (conflict) throw new StorageConflictError(conflict[1] ?? '', { cause: error });
      throw error;
    }
  }

  delete(keys: string[]): Promise<void> {
    return this.blobs.delete(keys);
  }

  /** The same blob name and JSON body as BlobsStorage.write, uploaded with If-None-Match: *. */
  async create(key: string, item: object): Promise<void> {
    const { eTag: _ignored, ...value } = item as { eTag?: string };
    const body = JSON.stringify(value);
    try {
      await this.container.getBlockBlobClient(sanitizeBlobKey(key)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (error) {
      // 409 BlobAlreadyExists (412 from some emulators): another instance created the conversation first.
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 409 || status === 412) throw new StorageConflictError(key, { cause: error });
      throw error;
    }
  }
}

/**
 * BlobsTranscriptStore writes one blob per line, named channel/conversation/time-seq. Two of its
 * quirks are worked around here: it finds a conversation's blobs by name prefix, so "conv-1" also
 * matches "conv-10"; and listTranscripts reports no dates while deleteTranscript deletes by that
 * same prefix, so retention lists and deletes the blobs itself.
 */
class BlobTranscriptStore implements TranscriptStore {
  constructor(
    private readonly store: BlobsTranscriptStore,
    private readonly container: ContainerClient,
  ) {}

  async append(key: TranscriptKey, lines: readonly TranscriptLine[]): Promise<void> {
    await Promise.all(lines.map((line) => this.store.logActivity(toActivity(key, line))));
  }

  /** getTranscriptActivities downloads every line of the conversation (all pages), so `last` only trims the answer. */
  async read(key: TranscriptKey, options: { readonly last?: number } = {}): Promise<TranscriptLine[]> {
    const { items } = await this.store.getTranscriptActivities(key.channelId, key.conversationId);
    const lines = items
      .filter((activity) => activity.conversation?.id === key.conversationId)
      .map(fromActivity)
      .sort(byTimeThenSeq);
    return options.last === undefined ? lines : lines.slice(-options.last);
  }

  async prune(before: Date): Promise<number> {
    const conversations = new Map<string, { newest: number; blobs: string[] }>();
    for await (const blob of this.container.listBlobsFlat({ includeMetadata: true })) {
      const name = decodeURIComponent(blob.name);
      const conversation = name.slice(0, name.lastIndexOf('/'));
      const at = lineTime(blob.metadata, blob.properties.lastModified);
      const entry = conversations.get(conversation) ?? { newest: 0, blobs: [] };
      entry.newest = Math.max(entry.newest, at);
      entry.blobs.push(blob.name);
      conversations.set(conversation, entry);
    }
    const expired = [...conversations.values()].filter((entry) => entry.newest < before.getTime());
    for (const entry of expired) await Promise.all(entry.blobs.map((name) => this.container.deleteBlob(name)));
    return expired.length;
  }
}

function toActivity(key: TranscriptKey, line: TranscriptLine): Activity {
  const customer = { id: 'customer', role: 'user' };
  const speaker = line.from === 'customer' ? customer : { id: line.from, role: 'bot' };
  return {
    type: 'message',
    // The blob name is time-id: the line number keeps lines written in the same millisecond apart.
    id: String(line.seq),
    channelId: key.channelId,
    conversation: { id: key.conversationId },
    from: speaker,
    recipient: line.from === 'customer' ? { id: 'bot', role: 'bot' } : customer,
    text: line.text,
    timestamp: new Date(line.at),
  } as Activity;
}

function fromActivity(activity: Activity): TranscriptLine {
  return {
    seq: Number(activity.id),
    from: activity.from.role !== 'bot' ? 'customer' : activity.from.id === 'agent' ? 'agent' : 'bot',
    text: activity.text ?? '',
    at: new Date(activity.timestamp ?? 0).toISOString(),
  };
}

/** When the line was said: BlobsTranscriptStore's Timestamp metadata, else when the blob was written. */
function lineTime(metadata: Record<string, string> | undefined, lastModified: Date): number {
  const stamped = Object.entries(metadata ?? {}).find(([name]) => name.toLowerCase() === 'timestamp')?.[1];
  const at = stamped ? Date.parse(stamped) : Number.NaN;
  return Number.isNaN(at) ? lastModified.getTime() : at;
}

const firstLine = (error: unknown): string => String((error as Error | null)?.message ?? error).split('\n')[0] ?? '';
