import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { TranscriptRetention } from '../../src/storage/transcriptStore.js';

describe('transcript retention', () => {
  it('removes conversations quiet for longer than the retention period and keeps recent ones', async () => {
    const { transcripts, close } = openSqliteStorage(IN_MEMORY);
    const quiet = { channelId: 'webchat', conversationId: 'quiet' };
    const recent = { channelId: 'msteams', conversationId: 'recent' };
    await transcripts.append(quiet, [{ seq: 0, from: 'customer', text: 'hi', at: '2026-01-01T09:00:00.000Z' }]);
    await transcripts.append(recent, [{ seq: 0, from: 'customer', text: 'hi', at: '2026-01-30T09:00:00.000Z' }]);

    const retention = new TranscriptRetention({ transcripts, days: 30, logger: createLogger('silent'), now: () => new Date('2026-02-15T00:00:00.000Z') });
    expect(await retention.run()).toBe(1);
    expect(await transcripts.read(quiet)).toEqual([]);
    expect(await transcripts.read(recent)).toHaveLength(1);
    await close();
  });
});
