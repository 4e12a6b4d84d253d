import { describe, expect, it } from 'vitest';
import { accepted, customerWrote, hubStatus, queued, requireAgent, takeOverOrder } from '../../src/handoff/flow.js';

const at = (iso: string) => new Date(iso);
const waiting = queued(at('2026-12-01T10:00:00Z'));
const options = (now: string, withdraws = false) => ({ now: at(now), queueTimeoutMs: 15 * 60_000, withdraws });

describe('a customer waiting for a person', () => {
  it('is told once that they are in the queue, then relayed quietly', () => {
    const first = customerWrote(waiting, options('2026-12-01T10:01:00Z'));
    expect(first).toMatchObject({ say: 'handoffWaiting', handoff: { status: 'queued', waitingNoticeSent: true } });
    const second = customerWrote(first.handoff ?? waiting, options('2026-12-01T10:02:00Z'));
    expect(second.say).toBeUndefined();
    expect(second.handoff).toEqual(first.handoff);
  });

  it('can withdraw, which closes the case', () => {
    expect(customerWrote(waiting, options('2026-12-01T10:01:00Z', true))).toEqual({ handoff: undefined, say: 'handoffWithdrawn', closeCase: true });
  });

  it('gets the bot back, with an apology, once nobody accepted within the queue timeout', () => {
    expect(customerWrote(waiting, options('2026-12-01T10:16:00Z'))).toEqual({ handoff: undefined, say: 'handoffFailed', closeCase: true });
  });

  it('is relayed in silence once an agent owns the chat, whatever they write', () => {
    const owned = accepted(waiting, 'Dana', at('2026-12-01T10:03:00Z'));
    expect(customerWrote(owned, options('2026-12-01T11:00:00Z', true))).toEqual({ handoff: owned });
  });
});

describe('agents', () => {
  it('take a waiting chat; the first of two wins and the second is refused', () => {
    const owned = accepted(waiting, 'Dana', at('2026-12-01T10:03:00Z'));
    expect(owned).toEqual({ status: 'accepted', since: '2026-12-01T10:03:00.000Z', agent: 'Dana' });
    expect(() => accepted(owned, 'Lee', at('2026-12-01T10:04:00Z'))).toThrow(/already with Dana/);
    expect(accepted(owned, 'Dana', at('2026-12-01T10:05:00Z')).agent).toBe('Dana');
  });

  it('cannot take a chat whose customer stopped waiting', () => {
    expect(() => accepted(undefined, 'Dana', at('2026-12-01T10:03:00Z'))).toThrow(expect.objectContaining({ code: 'ERR_HANDOFF_STATE' }));
  });

  it('speak only in a chat they accepted', () => {
    const owned = accepted(waiting, 'Dana', at('2026-12-01T10:03:00Z'));
    expect(() => requireAgent(owned, 'Dana')).not.toThrow();
    expect(() => requireAgent(owned, 'Lee')).toThrow(expect.objectContaining({ code: 'ERR_HANDOFF_STATE' }));
    expect(() => requireAgent(waiting, 'Dana')).toThrow(expect.objectContaining({ code: 'ERR_HANDOFF_STATE' }));
  });

  it('give a shared chat back with "take over", naming a topic or none', () => {
    expect(takeOverOrder('take over: slow restore')).toBe('slow restore');
    expect(takeOverOrder('  Take over')).toBe('');
    expect(takeOverOrder('can you take over my shift?')).toBeUndefined();
  });
});

describe('an external hub', () => {
  it('silences the bot when it accepts, and gives the chat back with a word when it fails or completes', () => {
    expect(hubStatus(waiting, 'accepted', at('2026-12-01T10:03:00Z')).handoff).toMatchObject({ status: 'accepted' });
    expect(hubStatus(waiting, 'failed', at('2026-12-01T10:03:00Z'))).toEqual({ handoff: undefined, say: 'handoffFailed', closeCase: true });
    expect(hubStatus(waiting, 'completed', at('2026-12-01T10:03:00Z'))).toEqual({ handoff: undefined, say: 'handoffCompleted', closeCase: true });
  });

  it('finishing a conversation with no handoff is nothing to do', () => {
    expect(hubStatus(undefined, 'completed', at('2026-12-01T10:03:00Z'))).toEqual({ handoff: undefined });
  });
});
