import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import type { TranscriptKey } from '../../src/storage/transcriptKey.js';
import type { TranscriptLine, TranscriptStore } from '../../src/storage/transcriptStore.js';
import { conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

/** The in-memory transcript store, made unreachable on demand as a blob container can be. */
class Outage implements TranscriptStore {
  down = false;

  constructor(private readonly inner: TranscriptStore) {}

  async append(key: TranscriptKey, lines: readonly TranscriptLine[]) {
    if (this.down) throw new Error('transcript container unreachable');
    return this.inner.append(key, lines);
  }

  read(key: TranscriptKey, options?: { last?: number }) {
    return this.inner.read(key, options);
  }

  prune(before: Date) {
    return this.inner.prune(before);
  }

  conversations(options?: { since?: Date }) {
    return this.inner.conversations(options);
  }
}

const backend = openSqliteStorage(IN_MEMORY);
const transcripts = new Outage(backend.transcripts);
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({}, { storage: { ...backend, transcripts } });
});
afterAll(async () => {
  await bot.close();
  await backend.close();
});

describe('conversation transcripts', () => {
  it('keeps the welcome, every customer message and every reply, numbered and timestamped', async () => {
    const chat = conversation(bot);
    const joined = await chat.join();
    const first = await chat.say('my iphone says Cannot Restore Backup');
    const second = await chat.say('no');

    const lines = await transcripts.read({ channelId: 'webchat', conversationId: chat.id });
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index));
    expect(lines.map((line) => line.from)).toEqual(['bot', 'customer', 'bot', 'customer', 'bot']);
    expect(lines.filter((line) => line.from === 'customer').map((line) => line.text)).toEqual(['my iphone says Cannot Restore Backup', 'no']);
    const botText = lines.filter((line) => line.from === 'bot').map((line) => line.text);
    expect(textOf(joined.replies)).toContain(botText[0]);
    expect(textOf(first.replies)).toContain(botText[1]);
    expect(textOf(second.replies)).toContain(botText[2]);
    for (const line of lines) expect(Date.parse(line.at)).not.toBeNaN();
  });

  it('still answers the customer when the transcript cannot be written', async () => {
    transcripts.down = true;
    try {
      const { status, replies } = await conversation(bot).say('my restore is taking forever');
      expect(status).toBe(200);
      expect(textOf(replies)).toMatch(/per gigabyte/);
    } finally {
      transcripts.down = false;
    }
  });
});
