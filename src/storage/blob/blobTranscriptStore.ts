import { json } from 'node:stream/consumers';
import type { ContainerClient } from '@azure/storage-blob';
import type { TranscriptKey } from '../transcriptKey.js';
import { byTimeThenSeq, type TranscriptLine, type TranscriptSpan, type TranscriptStore } from '../transcriptStore.js';
import { blobName } from './blobName.js';

/** The Bot Framework activity each line is kept as, the body botbuilder-azure-blobs wrote. */
interface StoredActivity {
  readonly id: string;
  readonly from: { readonly id: string; readonly role: string };
  readonly text?: string;
  readonly timestamp?: string;
  /** Pictures the customer sent with the line; the bytes are in the upload store. */
  readonly channelData?: { readonly attachments?: TranscriptLine['attachments'] };
}

/** .NET ticks (100 ns since 0001-01-01) in hex: the time part of a line's blob name. */
const EPOCH_TICKS = 621_355_968_000_000_000n;
const formatTicks = (at: string): string => (EPOCH_TICKS + BigInt(Date.parse(at)) * 10_000n).toString(16);

/** Past 2030 the tick count still has 15 hex digits, so names sort by time as text. */
const LINE_NAME = /\/([0-9a-f]+)-(\d+)\.json$/;

/**
 * One blob per line, named channel/conversation/ticks-seq.json with the activity as its body and
 * its time in metadata, as botbuilder-azure-blobs' BlobsTranscriptStore wrote them, so transcripts
 * kept by earlier versions of the bot read unchanged. A conversation's lines are listed by its name
 * followed by the (encoded) slash, so "conv-1" does not also match "conv-10".
 */
export class BlobTranscriptStore implements TranscriptStore {
  constructor(private readonly container: ContainerClient) {}

  async append(key: TranscriptKey, lines: readonly TranscriptLine[]): Promise<void> {
    await Promise.all(
      lines.map((line) => {
        const activity = toActivity(key, line);
        const body = JSON.stringify(activity);
        return this.container.getBlockBlobClient(blobName(`${key.channelId}/${key.conversationId}/${formatTicks(line.at)}-${line.seq}.json`)).upload(body, Buffer.byteLength(body), {
          metadata: { FromId: activity.from.id, RecipientId: activity.recipient.id, Id: activity.id, Timestamp: line.at },
        });
      }),
    );
  }

  /** Lists the conversation's blob names, then downloads only the `last` newest. */
  async read(key: TranscriptKey, options: { readonly last?: number } = {}): Promise<TranscriptLine[]> {
    const prefix = `${blobName(`${key.channelId}/${key.conversationId}`)}%2F`;
    const names: { readonly name: string; readonly ticks: string; readonly seq: number }[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix })) {
      const match = LINE_NAME.exec(decodeURIComponent(blob.name));
      names.push({ name: blob.name, ticks: match?.[1] ?? '', seq: Number(match?.[2] ?? 0) });
    }
    names.sort((a, b) => a.ticks.length - b.ticks.length || a.ticks.localeCompare(b.ticks) || a.seq - b.seq);
    const wanted = options.last === undefined ? names : names.slice(-options.last);
    const lines = await Promise.all(wanted.map(({ name }) => this.download(name)));
    return lines.sort(byTimeThenSeq);
  }

  private async download(name: string): Promise<TranscriptLine> {
    const { readableStreamBody } = await this.container.getBlobClient(name).download();
    if (!readableStreamBody) throw new Error(`transcript blob ${name} has no body`);
    return fromActivity((await json(readableStreamBody)) as StoredActivity);
  }

  async prune(before: Date): Promise<number> {
    const expired = [...(await this.index()).values()].filter((entry) => entry.lastAt < before.getTime());
    for (const entry of expired) await Promise.all(entry.blobs.map((name) => this.container.deleteBlob(name)));
    return expired.length;
  }

  async conversations(options: { readonly since?: Date } = {}): Promise<TranscriptSpan[]> {
    const since = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
    return [...(await this.index()).values()]
      .filter((entry) => entry.lastAt >= since)
      .sort((a, b) => a.firstAt - b.firstAt || a.channelId.localeCompare(b.channelId) || a.conversationId.localeCompare(b.conversationId))
      .map(({ channelId, conversationId, firstAt, lastAt }) => ({ channelId, conversationId, firstAt: new Date(firstAt).toISOString(), lastAt: new Date(lastAt).toISOString() }));
  }

  /** Every conversation in the container, from one listing with metadata: its blobs and the times of its first and newest lines. */
  private async index(): Promise<Map<string, { channelId: string; conversationId: string; firstAt: number; lastAt: number; blobs: string[] }>> {
    const conversations = new Map<string, { channelId: string; conversationId: string; firstAt: number; lastAt: number; blobs: string[] }>();
    for await (const blob of this.container.listBlobsFlat({ includeMetadata: true })) {
      const name = decodeURIComponent(blob.name);
      const conversation = name.slice(0, name.lastIndexOf('/'));
      const at = lineTime(blob.metadata, blob.properties.lastModified);
      const slash = conversation.indexOf('/');
      const entry = conversations.get(conversation) ?? { channelId: conversation.slice(0, slash), conversationId: conversation.slice(slash + 1), firstAt: at, lastAt: at, blobs: [] };
      entry.firstAt = Math.min(entry.firstAt, at);
      entry.lastAt = Math.max(entry.lastAt, at);
      entry.blobs.push(blob.name);
      conversations.set(conversation, entry);
    }
    return conversations;
  }
}

function toActivity(key: TranscriptKey, line: TranscriptLine) {
  const customer = { id: 'customer', role: 'user' };
  const speaker = line.from === 'customer' ? customer : { id: line.from, role: 'bot' };
  return {
    type: 'message',
    id: String(line.seq),
    channelId: key.channelId,
    conversation: { id: key.conversationId },
    from: speaker,
    recipient: line.from === 'customer' ? { id: 'bot', role: 'bot' } : customer,
    text: line.text,
    timestamp: line.at,
    ...(line.attachments?.length ? { channelData: { attachments: line.attachments } } : {}),
  };
}

function fromActivity(activity: StoredActivity): TranscriptLine {
  return {
    seq: Number(activity.id),
    from: activity.from.role !== 'bot' ? 'customer' : activity.from.id === 'agent' ? 'agent' : 'bot',
    text: activity.text ?? '',
    at: new Date(activity.timestamp ?? 0).toISOString(),
    ...(activity.channelData?.attachments?.length ? { attachments: activity.channelData.attachments } : {}),
  };
}

/** When the line was said: the Timestamp metadata (Azure may hand its name back in another case), else when the blob was written. */
function lineTime(metadata: Record<string, string> | undefined, lastModified: Date): number {
  const stamped = Object.entries(metadata ?? {}).find(([name]) => name.toLowerCase() === 'timestamp')?.[1];
  const at = stamped ? Date.parse(stamped) : Number.NaN;
  return Number.isNaN(at) ? lastModified.getTime() : at;
}
