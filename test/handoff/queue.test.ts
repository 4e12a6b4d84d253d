import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandoffQueue } from '../../src/handoff/queue.js';
import type { Conversations, HandoffContext } from '../../src/handoff/types.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';

/** The queue on a real (in-memory SQLite) store; the conversations' side only records who accepted. */
const context: HandoffContext = { reason: 'customer_asked', treePath: [], candidates: [] };
const accepting: Conversations = {
  accept: async () => [],
  agentSaid: async () => [],
  handBack: async () => [],
};
let storage: StorageBackend;
let clock: Date;
let queue: HandoffQueue;
const at = (conversationId: string) => ({ channelId: 'webchat', conversationId });
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

beforeEach(() => {
  storage = openSqliteStorage(IN_MEMORY);
  clock = new Date('2026-12-01T10:00:00Z');
  queue = new HandoffQueue({ cases: storage.cases, transcripts: storage.transcripts, conversations: accepting, now: () => clock });
});
afterEach(async () => {
  await storage.close();
});

describe('left messages in the queue', () => {
  it('keeps at most 1,200 bytes of a left message, cut between characters, so the case fits in blob metadata', async () => {
    await queue.leaveMessage(at('long'), context, '🙂'.repeat(2000));
    const [left] = await queue.list();
    expect(Buffer.byteLength(left?.leftMessage?.text ?? '')).toBeLessThanOrEqual(1200);
    expect(left?.leftMessage?.text).toMatch(/^(🙂)+…$/u);
  });

  it('adds later parts to the same case, keeping when it was first left', async () => {
    await queue.leaveMessage(at('c1'), context, 'first');
    later(5);
    await queue.leaveMessage(at('c1'), undefined, 'second');
    expect((await queue.list()).map((item) => item.leftMessage)).toEqual([{ text: 'first\nsecond', at: '2026-12-01T10:00:00.000Z', parts: 2 }]);
  });

  it('refuses to start a left message without the context an agent needs', async () => {
    await expect(queue.leaveMessage(at('c1'), undefined, 'hello')).rejects.toMatchObject({ code: 'ERR_HANDOFF_STATE' });
  });
});

describe('a closed case', () => {
  it('refuses an agent\'s message, saying the case is closed, and passes nothing to the conversation', async () => {
    let said = 0;
    const counting: Conversations = { ...accepting, agentSaid: async () => ((said += 1), []) };
    queue = new HandoffQueue({ cases: storage.cases, transcripts: storage.transcripts, conversations: counting, now: () => clock });
    await queue.request(at('c1'), context);
    const [waiting] = await queue.list();
    await queue.accept(waiting?.id ?? '', 'Dana');
    await queue.close(at('c1'));
    await expect(queue.say(waiting?.id ?? '', 'Dana', 'still there?')).rejects.toMatchObject({ code: 'ERR_HANDOFF_STATE', message: expect.stringMatching(/closed/) });
    expect(said).toBe(0);
  });
});

describe("a customer's standing", () => {
  it('counts the customers waiting ahead, not the left messages nor those behind', async () => {
    await queue.request(at('first'), context);
    later(1);
    await queue.leaveMessage(at('message'), context, 'call me back');
    later(1);
    await queue.request(at('me'), context);
    later(1);
    await queue.request(at('behind'), context);
    expect(await queue.standing(at('me'))).toEqual({ position: 2 });
    expect(await queue.standing(at('newcomer'))).toEqual({ position: 4 });
  });

  it('promises no wait until five cases were accepted within the hour, then the median', async () => {
    const waits = [1, 2, 9, 3, 4];
    for (const [index, minutes] of waits.entries()) {
      await queue.request(at(`c${index}`), context);
      later(minutes);
      if (index < waits.length - 1) expect((await queue.standing(at('new'))).waitMinutes).toBeUndefined();
      await queue.accept(`webchat|c${index}`, 'Dana');
    }
    expect((await queue.standing(at('new'))).waitMinutes).toBe(3);
    later(61);
    expect((await queue.standing(at('new'))).waitMinutes).toBeUndefined();
  });
});
