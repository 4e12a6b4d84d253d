import { json } from 'node:stream/consumers';
import { ContainerClient } from '@azure/storage-blob';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { blobName } from '../../src/storage/blob/blobName.js';
import { openBlobStorage } from '../../src/storage/blob/openBlobStorage.js';
import { startAzurite, type Azurite } from '../support/processes.js';

/**
 * Earlier versions kept blob data through botbuilder-azure-blobs. These pin the names and bodies
 * that package wrote (https://github.com/microsoft/botbuilder-js, libraries/botbuilder-azure-blobs:
 * sanitizeBlobKey, BlobsTranscriptStore.getBlobKey), so a deployed container keeps working.
 */
let azurite: Azurite;
let backend: StorageBackend;
let state: ContainerClient;
let transcripts: ContainerClient;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  azurite = await startAzurite();
  backend = await openBlobStorage({ connectionString: azurite.connectionString, stateContainer: 'layout-state', transcriptContainer: 'layout-transcripts' });
  state = new ContainerClient(azurite.connectionString, 'layout-state');
  transcripts = new ContainerClient(azurite.connectionString, 'layout-transcripts');
});
afterAll(async () => {
  await backend?.close();
  await azurite?.stop();
  nock.enableNetConnect();
});

describe('blob names', () => {
  it('encodes a key whole, its slashes too, dropping empty segments but a leading one', () => {
    expect(blobName('msteams/a:b;c=d/2')).toBe('msteams%2Fa%3Ab%3Bc%3Dd%2F2');
    expect(blobName('/x//y/')).toBe('%2Fx%2Fy');
  });

  it('stops at 1,024 characters and keeps no slash past the 254th', () => {
    expect(blobName('k'.repeat(2000))).toHaveLength(1024);
    const deep = Array.from({ length: 300 }, (_, index) => String(index % 10)).join('/');
    expect(decodeURIComponent(blobName(deep)).split('/')).toHaveLength(255);
  });
});

describe('the blob backend on Azurite', () => {
  it('keeps a state item as the JSON body of the blob named by its key, without its eTag', async () => {
    await backend.state.write({ 'webchat/conv-1/conversation': { state: { step: 'ask' } } });
    const { readableStreamBody } = await state.getBlobClient('webchat%2Fconv-1%2Fconversation').download();
    expect(await json(readableStreamBody!)).toEqual({ state: { step: 'ask' } });
  });

  it('keeps state holding non-ASCII text whole (the length sent is in bytes, not characters)', async () => {
    const text = 'Wiederherstellung dauert ewig – über WLAN 📶';
    await backend.state.write({ umlauts: { state: { text } } });
    expect(await backend.state.read(['umlauts'])).toEqual({ umlauts: { state: { text }, eTag: expect.any(String) } });
  });

  it('reads transcript lines kept in the earlier layout: ticks-id.json blobs holding the activity', async () => {
    const line = (id: number, text: string, ticks: string, at: string) => {
      const body = JSON.stringify({ type: 'message', id: String(id), channelId: 'emulator', conversation: { id: 'old-1' }, from: { id: 'customer', role: 'user' }, recipient: { id: 'bot', role: 'bot' }, text, timestamp: at });
      return transcripts.getBlockBlobClient(`emulator%2Fold-1%2F${ticks}-${id}.json`).upload(body, Buffer.byteLength(body), { metadata: { FromId: 'customer', RecipientId: 'bot', Id: String(id), Timestamp: at } });
    };
    // .NET ticks in hex of the two moments, as that package named its blobs.
    await line(0, 'restore stuck', (621_355_968_000_000_000n + BigInt(Date.parse('2026-01-05T10:00:00.000Z')) * 10_000n).toString(16), '2026-01-05T10:00:00.000Z');
    await line(1, 'still stuck', (621_355_968_000_000_000n + BigInt(Date.parse('2026-01-05T10:01:00.000Z')) * 10_000n).toString(16), '2026-01-05T10:01:00.000Z');
    expect(await backend.transcripts.read({ channelId: 'emulator', conversationId: 'old-1' })).toEqual([
      { seq: 0, from: 'customer', text: 'restore stuck', at: '2026-01-05T10:00:00.000Z' },
      { seq: 1, from: 'customer', text: 'still stuck', at: '2026-01-05T10:01:00.000Z' },
    ]);
  });

  it('names a new transcript line channel/conversation/ticks-seq.json, as the earlier layout did', async () => {
    await backend.transcripts.append({ channelId: 'webchat', conversationId: 'new-1' }, [{ seq: 4, from: 'bot', text: 'Try Wi-Fi.', at: '2026-01-05T10:00:00.000Z' }]);
    const names: string[] = [];
    for await (const blob of transcripts.listBlobsFlat({ prefix: 'webchat%2Fnew-1%2F' })) names.push(blob.name);
    expect(names).toEqual(['webchat%2Fnew-1%2F8de4c41304b1000-4.json']);
  });
});
