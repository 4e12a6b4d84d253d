import { describe, expect, it } from 'vitest';
import type { InsightEvent, Recorded } from '../../src/insights/events.js';
import { groupMessages, inboxItems, signature, similarity, type InboxItem } from '../../src/insights/inbox.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();
const item = (text: string, minute = 0): InboxItem => ({ text, at: at(minute), why: 'unsure' });
const recorded = (event: InsightEvent, minute: number): Recorded => ({ at: at(minute), conversation: event.kind === 'triaged' ? '' : 'c', event });

describe('grouping by similar wording', () => {
  it('reads wording through the stemmer, leaving out function words but keeping negation', () => {
    expect([...signature('Restoring my photos is not working')].sort()).toEqual(['not', 'photo', 'restor', 'work']);
    expect(similarity(signature('restoring photos'), signature('restore the photo'), () => 1)).toBe(1);
  });

  it('weighs rare words over the words every message shares', () => {
    const rare = (word: string) => (word === 'restor' ? 0.1 : 1);
    expect(similarity(signature('restore android'), signature('restore windows'), rare)).toBeLessThan(0.1);
    expect(similarity(signature('restore android'), signature('android restoring'), rare)).toBe(1);
  });

  it('puts rewordings of one question together and other questions apart', () => {
    const { groups } = groupMessages([item('can I restore to an android phone', 0), item('restore backup to android phone', 1), item('how much does icloud storage cost', 2)]);
    expect(groups.map((group) => [group.text, group.count])).toEqual([
      ['can I restore to an android phone', 2],
      ['how much does icloud storage cost', 1],
    ]);
    expect(groups[0]).toMatchObject({ firstAt: at(0), lastAt: at(1), examples: ['can I restore to an android phone', 'restore backup to android phone'] });
  });

  it('counts a repeated wording without keeping it twice', () => {
    const { groups } = groupMessages([item('Android restore?', 0), item('android   restore?', 1)]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 2, examples: ['Android restore?'], texts: ['android restore?'] });
  });

  it('bounds groups and examples: a flood of different messages cannot grow it past the limits', () => {
    const flood = Array.from({ length: 50 }, (_, index) => item(`zzword${index} qqword${index}`, index));
    const { groups, overflow } = groupMessages(flood, { similarity: 0.34, maxGroups: 10, maxExamples: 3 });
    expect(groups).toHaveLength(10);
    expect(overflow).toBe(40);
    const same = Array.from({ length: 10 }, (_, index) => item(`android restore number ${index}`, index));
    const [group] = groupMessages(same, { similarity: 0.3, maxGroups: 10, maxExamples: 3 }).groups;
    expect(group?.count).toBe(10);
    expect(group?.examples).toHaveLength(3);
  });
});

describe('grouping under a flood', () => {
  it('counts ten thousand copies of one message as one wording in one group', () => {
    const { groups } = groupMessages(Array.from({ length: 10_000 }, (_, index) => item('spam spam eggs', index % 60)));
    expect(groups.map((group) => [group.count, group.examples.length, group.texts.length])).toEqual([[10_000, 1, 1]]);
  });

  it('groups only the newest 5,000 different wordings and counts the older ones as overflow', () => {
    const flood = Array.from({ length: 6000 }, (_, index) => ({ text: `zz${index}a qq${index}b`, at: new Date(Date.UTC(2026, 2, 1) + index * 1000).toISOString(), why: 'unsure' as const }));
    const { groups, overflow } = groupMessages(flood, { similarity: 0.34, maxGroups: 10, maxExamples: 3 });
    expect(groups).toHaveLength(10);
    expect(overflow).toBe(5990);
    expect(groups.map((group) => group.text)).not.toContain('zz0a qq0b');
  });
});

describe('the inbox from the event log', () => {
  it('keeps unplaced messages and the questions of unhelpful answers, not helpful feedback', () => {
    const items = inboxItems([
      recorded({ kind: 'unplaced', why: 'out_of_scope', text: 'weather tomorrow' }, 0),
      recorded({ kind: 'feedback', helpful: false, topic: 'which', text: 'which backup has my photos' }, 1),
      recorded({ kind: 'feedback', helpful: true, topic: 'which', text: 'which backup is newest' }, 2),
      recorded({ kind: 'asked', topic: 'which' }, 3),
    ]);
    expect(items.map((entry) => [entry.text, entry.why])).toEqual([
      ['weather tomorrow', 'out_of_scope'],
      ['which backup has my photos', 'not_helpful'],
    ]);
  });

  it("shows a customer's comment on an unhelpful answer beside the question it answered", () => {
    const { groups } = groupMessages(
      inboxItems([
        recorded({ kind: 'feedback', helpful: false, topic: 'slow', text: 'how long does a restore take', comment: 'nothing about mobile data' }, 0),
        recorded({ kind: 'feedback', helpful: false, topic: 'slow', text: 'How long does a restore take' }, 1),
        recorded({ kind: 'unplaced', why: 'unsure', text: 'weather tomorrow' }, 2),
      ]),
    );
    expect(groups.find((group) => group.text === 'how long does a restore take')).toMatchObject({ count: 2, comments: [{ text: 'nothing about mobile data', at: at(0) }] });
    expect(groups.find((group) => group.text === 'weather tomorrow')?.comments).toEqual([]);
  });

  it('keeps only the newest five comments of a group, however many customers wrote', () => {
    const events = Array.from({ length: 40 }, (_, minute) => recorded({ kind: 'feedback', helpful: false, topic: 'slow', text: 'how long does a restore take', comment: `comment ${minute}` }, minute));
    const [group] = groupMessages(inboxItems(events)).groups;
    expect(group?.comments.map((comment) => comment.text)).toEqual(['comment 39', 'comment 38', 'comment 37', 'comment 36', 'comment 35']);
  });

  it('hides what an agent dismissed or assigned, until the same words come again later', () => {
    const items = inboxItems([
      recorded({ kind: 'unplaced', why: 'unsure', text: 'Weather tomorrow' }, 0),
      recorded({ kind: 'triaged', texts: ['weather tomorrow'], by: 'ana' }, 1),
      recorded({ kind: 'unplaced', why: 'unsure', text: 'weather tomorrow' }, 2),
    ]);
    expect(items.map((entry) => entry.at)).toEqual([at(2)]);
  });
});
