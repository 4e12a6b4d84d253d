import { describe, expect, it } from 'vitest';
import type { InsightEvent, Recorded } from '../../src/insights/events.js';
import { buildInsights } from '../../src/insights/report.js';

const catalog = {
  topics: [
    { id: 'slow', title: 'Slow restore' },
    { id: 'which', title: 'Which backup' },
  ],
  trees: [{ id: 'slow', nodes: ['wifi', 'power', 'done'] }],
};
const MINUTE = 60_000;
const start = Date.parse('2026-03-01T10:00:00.000Z');

/** Events of one conversation, a minute apart. */
const conversation = (id: string, events: InsightEvent[], from = start): Recorded[] =>
  events.map((event, index) => ({ at: new Date(from + index * MINUTE).toISOString(), conversation: id, event }));

const report = (events: Recorded[], now = start + 24 * 60 * MINUTE) => buildInsights(events, { catalog, now: new Date(now), abandonAfterMs: 30 * MINUTE });
const node = (insights: ReturnType<typeof report>, name: string) => insights.nodes.find((row) => row.node === name);

describe('insights per topic', () => {
  it('counts asked, answered, helpful, not helpful and handoffs for each topic', () => {
    const insights = report([
      ...conversation('a', [{ kind: 'asked', topic: 'which' }, { kind: 'answered', topic: 'which' }, { kind: 'feedback', helpful: true, topic: 'which' }]),
      ...conversation('b', [{ kind: 'asked', topic: 'which' }, { kind: 'answered', topic: 'which' }, { kind: 'feedback', helpful: false, topic: 'which', text: 'q' }]),
      ...conversation('c', [{ kind: 'asked', topic: 'which' }, { kind: 'handedOff', reason: 'customer_asked', topic: 'which' }]),
    ]);
    expect(insights.topics.find((row) => row.id === 'which')).toEqual({ id: 'which', title: 'Which backup', asked: 3, answered: 2, helpful: 1, notHelpful: 1, handoffs: 1, handedBack: 0, closedByAgent: 0, withdrawn: 0, timedOut: 0 });
  });

  it('says per topic how handoffs about it ended: handed back to the bot, or closed by the person', () => {
    const insights = report([
      ...conversation('a', [{ kind: 'handedOff', reason: 'customer_asked', topic: 'which' }, { kind: 'handedBack', how: 'topic', toTopic: 'slow' }]),
      ...conversation('b', [{ kind: 'handedOff', reason: 'customer_asked', topic: 'which' }, { kind: 'handedBack', how: 'close' }]),
      ...conversation('c', [{ kind: 'handedOff', reason: 'tree_handoff', topic: 'slow', tree: 'slow', node: 'power' }, { kind: 'handedBack', how: 'node', toTree: 'slow', toNode: 'wifi' }]),
      ...conversation('d', [{ kind: 'handedOff', reason: 'customer_asked', topic: 'which' }]),
      // A hand-back whose handover is no longer in the log (pruned, or --since after it) is nobody's.
      ...conversation('e', [{ kind: 'handedBack', how: 'plain' }]),
    ]);
    expect(insights.topics.find((row) => row.id === 'which')).toMatchObject({ handoffs: 3, handedBack: 1, closedByAgent: 1 });
    expect(insights.topics.find((row) => row.id === 'slow')).toMatchObject({ handoffs: 1, handedBack: 1, closedByAgent: 0 });
  });

  it('says per topic how many handoffs ended with no person: the customer withdrew, or the wait timed out', () => {
    const insights = report([
      ...conversation('a', [{ kind: 'handedOff', reason: 'customer_asked', topic: 'which' }, { kind: 'waitEnded', why: 'withdrawn', from: 'queued' }]),
      ...conversation('b', [{ kind: 'handedOff', reason: 'customer_asked', topic: 'which' }, { kind: 'waitEnded', why: 'withdrawn', from: 'message' }]),
      ...conversation('c', [{ kind: 'handedOff', reason: 'customer_asked', topic: 'which' }, { kind: 'waitEnded', why: 'timedOut', from: 'queued' }]),
      ...conversation('d', [{ kind: 'handedOff', reason: 'tree_handoff', topic: 'slow', tree: 'slow', node: 'power' }, { kind: 'waitEnded', why: 'withdrawn', from: 'offered' }]),
      // Ended once: a second ending of the same wait (a replay the log somehow kept) is not counted again.
      ...conversation('e', [{ kind: 'handedOff', reason: 'customer_asked', topic: 'slow' }, { kind: 'waitEnded', why: 'timedOut', from: 'queued' }, { kind: 'waitEnded', why: 'timedOut', from: 'queued' }]),
    ]);
    expect(insights.topics.find((row) => row.id === 'which')).toMatchObject({ handoffs: 3, withdrawn: 2, timedOut: 1, handedBack: 0, closedByAgent: 0 });
    expect(insights.topics.find((row) => row.id === 'slow')).toMatchObject({ handoffs: 2, withdrawn: 1, timedOut: 1 });
  });

  it('lists every topic of the content, asked or not, the most asked first', () => {
    const insights = report(conversation('a', [{ kind: 'asked', topic: 'which' }]));
    expect(insights.topics.map((row) => [row.id, row.asked])).toEqual([
      ['which', 1],
      ['slow', 0],
    ]);
  });
});

describe('insights per tree node', () => {
  it('counts where customers reached, were resolved and were handed over', () => {
    const insights = report([
      ...conversation('a', [{ kind: 'reached', tree: 'slow', node: 'wifi', open: true }, { kind: 'reached', tree: 'slow', node: 'done' }, { kind: 'finished', tree: 'slow', node: 'wifi', resolved: true }]),
      ...conversation('b', [
        { kind: 'reached', tree: 'slow', node: 'wifi', open: true },
        { kind: 'reached', tree: 'slow', node: 'power', open: true },
        { kind: 'handedOff', reason: 'customer_asked', tree: 'slow', node: 'power' },
      ]),
    ]);
    expect(node(insights, 'wifi')).toEqual({ tree: 'slow', node: 'wifi', reached: 2, resolved: 1, handedOff: 0, abandoned: 0, explained: 0 });
    expect(node(insights, 'power')).toEqual({ tree: 'slow', node: 'power', reached: 1, resolved: 0, handedOff: 1, abandoned: 0, explained: 0 });
  });

  it('counts the steps customers asked to have explained, each time they asked, without ending the walk-through there', () => {
    const insights = report(
      conversation('a', [
        { kind: 'reached', tree: 'slow', node: 'wifi', open: true },
        { kind: 'explained', tree: 'slow', node: 'wifi' },
        { kind: 'explained', tree: 'slow', node: 'wifi' },
        { kind: 'finished', tree: 'slow', node: 'wifi', resolved: true },
      ]),
    );
    expect(node(insights, 'wifi')).toMatchObject({ reached: 1, resolved: 1, explained: 2, abandoned: 0 });
  });

  it('counts a customer left at a question as abandoned there once the conversation has been quiet long enough', () => {
    const events = conversation('a', [{ kind: 'reached', tree: 'slow', node: 'wifi', open: true }, { kind: 'reached', tree: 'slow', node: 'power', open: true }]);
    expect(node(report(events, start + 10 * MINUTE), 'power')?.abandoned).toBe(0);
    expect(node(report(events, start + 40 * MINUTE), 'power')?.abandoned).toBe(1);
    expect(node(report(events, start + 40 * MINUTE), 'wifi')?.abandoned).toBe(0);
  });

  it('counts an abandonment at once when the customer ends the conversation or starts another walk-through', () => {
    const insights = report(
      [
        ...conversation('a', [{ kind: 'reached', tree: 'slow', node: 'wifi', open: true }, { kind: 'ended' }]),
        ...conversation('b', [{ kind: 'reached', tree: 'slow', node: 'power', open: true }, { kind: 'reached', tree: 'other', node: 'start', open: true }]),
      ],
      start + 5 * MINUTE,
    );
    expect(node(insights, 'wifi')?.abandoned).toBe(1);
    expect(node(insights, 'power')?.abandoned).toBe(1);
  });

  it('does not count a walk-through that ended, or a conversation that went on elsewhere, as abandoned', () => {
    const insights = report([
      ...conversation('a', [{ kind: 'reached', tree: 'slow', node: 'wifi', open: true }, { kind: 'finished', tree: 'slow', node: 'wifi', resolved: false }]),
      ...conversation('b', [{ kind: 'reached', tree: 'slow', node: 'wifi', open: true }, { kind: 'handedOff', reason: 'tree_handoff', tree: 'slow', node: 'wifi' }]),
    ]);
    expect(node(insights, 'wifi')?.abandoned).toBe(0);
  });
});

describe('unanswered messages in insights', () => {
  it('lists the inbox groups with their counts and last dates', () => {
    const insights = report([
      ...conversation('a', [{ kind: 'unplaced', why: 'out_of_scope', text: 'will it rain in Paris' }]),
      ...conversation('b', [{ kind: 'unplaced', why: 'out_of_scope', text: 'is it raining in Paris' }], start + 5 * MINUTE),
    ]);
    expect(insights.unanswered).toEqual([{ text: 'will it rain in Paris', count: 2, lastAt: new Date(start + 5 * MINUTE).toISOString() }]);
  });
});
