import { describe, expect, it } from 'vitest';
import { TypedLines } from '../../src/bot/typedLines.js';

const address = (id: string) => ({ channelId: 'webchat', conversationId: id });
const masked = (seq: number, at = '2026-12-01T10:00:00.000Z') => ({ seq, from: 'customer' as const, text: 'mail [email]', at });

describe('the words as typed, kept for the live relay', () => {
  it('puts the typed words back on the line they belong to, matched by number and time', () => {
    const typed = new TypedLines(() => 0);
    typed.remember(address('a'), [{ seq: 1, at: '2026-12-01T10:00:00.000Z', text: 'mail jo@example.com' }]);
    const lines = typed.reveal(address('a'), [masked(0), masked(1), masked(1, '2026-12-01T11:00:00.000Z')]);
    expect(lines.map((line) => line.text)).toEqual(['mail [email]', 'mail jo@example.com', 'mail [email]']);
    expect(typed.reveal(address('b'), [masked(1)])[0]?.text).toBe('mail [email]');
  });

  it('forgets them after an hour, so an agent then reads the masked line', () => {
    let now = 0;
    const typed = new TypedLines(() => now);
    typed.remember(address('a'), [{ seq: 0, at: masked(0).at, text: 'mail jo@example.com' }]);
    now = 60 * 60 * 1000 + 1;
    expect(typed.reveal(address('a'), [masked(0)])[0]?.text).toBe('mail [email]');
  });

  it('holds at most 1,000 conversations and 50 lines each, forgetting the oldest first', () => {
    const typed = new TypedLines(() => 0);
    for (let index = 0; index < 1001; index += 1) typed.remember(address(`c${index}`), [{ seq: 0, at: masked(0).at, text: `typed ${index}` }]);
    expect(typed.reveal(address('c0'), [masked(0)])[0]?.text).toBe('mail [email]');
    expect(typed.reveal(address('c1000'), [masked(0)])[0]?.text).toBe('typed 1000');
    typed.remember(address('long'), Array.from({ length: 60 }, (_, seq) => ({ seq, at: masked(0).at, text: `typed ${seq}` })));
    const lines = typed.reveal(address('long'), Array.from({ length: 60 }, (_, seq) => masked(seq)));
    expect(lines.filter((line) => line.text.startsWith('typed')).map((line) => line.seq)).toEqual(Array.from({ length: 50 }, (_, index) => index + 10));
  });
});
