import { describe, expect, it } from 'vitest';
import { accepted, customerWrote, hubStatus, MAX_MESSAGE_PARTS, offered, queued, requireAgent, takeOverOrder } from '../../src/handoff/flow.js';
import type { HandoffContext } from '../../src/handoff/types.js';

const at = (iso: string) => new Date(iso);
const waiting = queued(at('2026-12-01T10:00:00Z'));
const options = (now: string, withdraws = false, available = true) => ({ now: at(now), queueTimeoutMs: 15 * 60_000, withdraws, available });

describe('a customer waiting for a person', () => {
  it('is told once that they are in the queue, then relayed quietly', () => {
    const first = customerWrote(waiting, options('2026-12-01T10:01:00Z'));
    expect(first).toMatchObject({ say: 'handoffWaiting', handoff: { status: 'queued', waitingNoticeSent: true } });
    const second = customerWrote(first.handoff ?? waiting, options('2026-12-01T10:02:00Z'));
    expect(second.say).toBeUndefined();
    expect(second.handoff).toEqual(first.handoff);
  });

  it('can withdraw, which closes the case and ends the wait as withdrawn', () => {
    expect(customerWrote(waiting, options('2026-12-01T10:01:00Z', true))).toEqual({ handoff: undefined, say: 'handoffWithdrawn', closeCase: true, ended: 'withdrawn' });
  });

  it('gets the bot back, with an apology, once nobody accepted within the queue timeout, the wait ended as timed out', () => {
    expect(customerWrote(waiting, options('2026-12-01T10:16:00Z'))).toEqual({ handoff: undefined, say: 'handoffFailed', closeCase: true, ended: 'timedOut' });
  });

  it('is relayed in silence once an agent owns the chat, whatever they write', () => {
    const owned = accepted(waiting, 'Dana', at('2026-12-01T10:03:00Z'));
    expect(customerWrote(owned, options('2026-12-01T11:00:00Z', true))).toEqual({ handoff: owned });
  });
});

describe('a customer when nobody is online', () => {
  const context: HandoffContext = { reason: 'customer_asked', topic: 'slow_restore', treePath: [], candidates: [] };
  const offer = offered(at('2026-12-01T10:00:00Z'), context);
  const nobody = (now: string, withdraws = false) => options(now, withdraws, false);

  it('leaves what they write next as a message, with the context the offer kept', () => {
    expect(customerWrote(offer, nobody('2026-12-01T10:02:00Z'))).toEqual({
      handoff: { status: 'message', since: '2026-12-01T10:02:00.000Z', parts: 1 },
      say: 'messageLeft',
      keepMessage: true,
    });
  });

  it('is queued instead when an agent came online while they were writing', () => {
    expect(customerWrote(offer, options('2026-12-01T10:02:00Z'))).toEqual({ handoff: queued(at('2026-12-01T10:02:00Z')), say: 'queued', requestCase: context });
  });

  it('can say "never mind" to the offer, which leaves no case to close', () => {
    expect(customerWrote(offer, nobody('2026-12-01T10:02:00Z', true))).toEqual({ handoff: undefined, say: 'handoffWithdrawn', ended: 'withdrawn' });
  });

  it('declines the offer with a bare "no", and with a bare "ok" is asked for the message, nothing kept yet', () => {
    expect(customerWrote(offer, { ...nobody('2026-12-01T10:02:00Z'), bare: 'no' })).toEqual({ handoff: undefined, say: 'handoffWithdrawn', ended: 'withdrawn' });
    expect(customerWrote(offer, { ...nobody('2026-12-01T10:02:00Z'), bare: 'yes' })).toEqual({ handoff: offer, say: 'messagePrompt' });
  });

  it('adds nothing to a left message for a bare yes or no', () => {
    const left = customerWrote(offer, nobody('2026-12-01T10:02:00Z')).handoff ?? offer;
    for (const bare of ['yes', 'no'] as const) expect(customerWrote(left, { ...nobody('2026-12-01T10:03:00Z'), bare })).toEqual({ handoff: left, say: 'messageStands' });
  });

  it('finds the offer lapsed after the queue timeout: the bot answers instead', () => {
    expect(customerWrote(offer, nobody('2026-12-01T10:16:00Z'))).toEqual({ handoff: undefined, passOn: true });
  });

  it('adds each further message to the one left, up to a bound, and never expires it', () => {
    let left = customerWrote(offer, nobody('2026-12-01T10:02:00Z')).handoff ?? offer;
    for (let part = 2; part <= MAX_MESSAGE_PARTS; part += 1) {
      const added = customerWrote(left, nobody('2026-12-03T10:00:00Z'));
      expect(added).toMatchObject({ say: 'messageAdded', keepMessage: true, handoff: { parts: part } });
      left = added.handoff ?? left;
    }
    expect(customerWrote(left, nobody('2026-12-03T10:00:00Z'))).toEqual({ handoff: left, say: 'messageFull' });
    expect(customerWrote(left, nobody('2026-12-03T10:00:00Z', true))).toEqual({ handoff: undefined, say: 'handoffWithdrawn', closeCase: true, ended: 'withdrawn' });
  });

  it('is told when every agent left while they were queued, and what they wrote becomes a message', () => {
    expect(customerWrote(waiting, nobody('2026-12-01T10:05:00Z'))).toEqual({
      handoff: { status: 'message', since: waiting.since, parts: 1 },
      say: 'agentsLeft',
      keepMessage: true,
    });
  });
});

describe('agents', () => {
  it('take a waiting chat; the first of two wins and the second is refused', () => {
    const owned = accepted(waiting, 'Dana', at('2026-12-01T10:03:00Z'));
    expect(owned).toEqual({ status: 'accepted', since: '2026-12-01T10:03:00.000Z', agent: 'Dana' });
    expect(() => accepted(owned, 'Lee', at('2026-12-01T10:04:00Z'))).toThrow(/already with Dana/);
    expect(accepted(owned, 'Dana', at('2026-12-01T10:05:00Z')).agent).toBe('Dana');
  });

  it('take a left message like a waiting chat', () => {
    const left = { status: 'message' as const, since: '2026-12-01T10:00:00.000Z', parts: 2 };
    expect(accepted(left, 'Dana', at('2026-12-02T09:00:00Z'))).toEqual({ status: 'accepted', since: '2026-12-02T09:00:00.000Z', agent: 'Dana' });
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
  it('silences the bot when it accepts, and gives the chat back with a word when it fails (a wait ended unanswered) or completes', () => {
    expect(hubStatus(waiting, 'accepted', at('2026-12-01T10:03:00Z')).handoff).toMatchObject({ status: 'accepted' });
    expect(hubStatus(waiting, 'failed', at('2026-12-01T10:03:00Z'))).toEqual({ handoff: undefined, say: 'handoffFailed', closeCase: true, ended: 'hubFailed' });
    expect(hubStatus(waiting, 'completed', at('2026-12-01T10:03:00Z'))).toEqual({ handoff: undefined, say: 'handoffCompleted', closeCase: true });
  });

  it('finishing a conversation with no handoff is nothing to do', () => {
    expect(hubStatus(undefined, 'completed', at('2026-12-01T10:03:00Z'))).toEqual({ handoff: undefined });
  });
});
