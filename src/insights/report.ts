import type { Recorded } from './events.js';
import { DEFAULT_GROUPING, groupMessages, inboxItems, type GroupingOptions } from './inbox.js';

/** Titles of the topics and trees the content has now, for names in reports. */
export interface InsightCatalog {
  readonly topics: readonly { readonly id: string; readonly title: string }[];
  readonly trees: readonly { readonly id: string; readonly nodes: readonly string[] }[];
}

interface TopicRow {
  readonly id: string;
  readonly title: string;
  readonly asked: number;
  readonly answered: number;
  readonly helpful: number;
  readonly notHelpful: number;
  /** Handed over to a person about this topic. */
  readonly handoffs: number;
  /** Of those, given back to the bot by the person. */
  readonly handedBack: number;
  /** Of those, closed by the person without handing back. */
  readonly closedByAgent: number;
  /** Of those, the customer stopped waiting before a person answered (cancel, start over, goodbye). */
  readonly withdrawn: number;
  /**
   * Of those, the wait ended with no person: it outlasted HANDOFF_QUEUE_TIMEOUT_SECONDS (seen when
   * the customer next wrote), or the external hub gave up (its "failed").
   */
  readonly timedOut: number;
}

interface NodeRow {
  readonly tree: string;
  readonly node: string;
  readonly reached: number;
  readonly resolved: number;
  readonly handedOff: number;
  readonly abandoned: number;
  /** Times a customer at this step asked for it to be explained: the step's wording to look at first. */
  readonly explained: number;
}

export interface Insights {
  readonly topics: TopicRow[];
  readonly nodes: NodeRow[];
  readonly unanswered: { readonly text: string; readonly count: number; readonly lastAt: string }[];
}

interface ReportOptions {
  readonly catalog: InsightCatalog;
  readonly now: Date;
  /** A conversation left at a question this long (INSIGHTS_ABANDON_AFTER_MINUTES) was abandoned there. */
  readonly abandonAfterMs: number;
  readonly grouping?: GroupingOptions;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Counts per topic and per tree node from the event log, in one pass in time order. Abandonment
 * is worked out here, at read time, from each conversation's last event, so the bot runs no timer:
 * a customer left at a question is counted as abandoned there once the conversation has been
 * quiet for `abandonAfterMs`, or at once when they ended it (cancel, start over, goodbye) or went
 * into another walk-through.
 */
export function buildInsights(events: readonly Recorded[], options: ReportOptions): Insights {
  const topics = new Map<string, Mutable<TopicRow>>();
  for (const topic of options.catalog.topics) topics.set(topic.id, topicRow(topic.id, topic.title));
  const nodes = new Map<string, Mutable<NodeRow>>();
  for (const tree of options.catalog.trees) for (const node of tree.nodes) nodeRow(nodes, tree.id, node);
  const topic = (id: string | undefined) => {
    if (!id) return undefined;
    const known = topics.get(id) ?? topicRow(id, id);
    topics.set(id, known);
    return known;
  };
  const open = new Map<string, { tree: string; node: string }>();
  // The topic of each conversation's latest handover, which its hand-back or closing ends.
  const handedOverAbout = new Map<string, string | undefined>();
  const lastAt = new Map<string, string>();
  const abandon = (conversation: string) => {
    const left = open.get(conversation);
    if (left) nodeRow(nodes, left.tree, left.node).abandoned += 1;
    open.delete(conversation);
  };

  for (const { at, conversation, event } of events) {
    if (conversation) lastAt.set(conversation, at);
    switch (event.kind) {
      case 'asked':
        topic(event.topic)!.asked += 1;
        break;
      case 'answered':
        topic(event.topic)!.answered += 1;
        break;
      case 'reached': {
        nodeRow(nodes, event.tree, event.node).reached += 1;
        if (open.get(conversation)?.tree !== event.tree) abandon(conversation);
        if (event.open) open.set(conversation, { tree: event.tree, node: event.node });
        break;
      }
      case 'explained':
        nodeRow(nodes, event.tree, event.node).explained += 1;
        break;
      case 'finished':
        if (event.resolved) nodeRow(nodes, event.tree, event.node).resolved += 1;
        open.delete(conversation);
        break;
      case 'handedOff': {
        const row = topic(event.topic);
        if (row) row.handoffs += 1;
        if (event.tree && event.node) nodeRow(nodes, event.tree, event.node).handedOff += 1;
        open.delete(conversation);
        handedOverAbout.set(conversation, event.topic);
        break;
      }
      case 'handedBack': {
        const row = topic(handedOverAbout.get(conversation));
        if (row && event.how === 'close') row.closedByAgent += 1;
        else if (row) row.handedBack += 1;
        handedOverAbout.delete(conversation);
        break;
      }
      case 'waitEnded': {
        const row = topic(handedOverAbout.get(conversation));
        if (row) row[event.why === 'withdrawn' ? 'withdrawn' : 'timedOut'] += 1;
        handedOverAbout.delete(conversation);
        break;
      }
      case 'feedback': {
        const row = topic(event.topic);
        if (row && event.helpful) row.helpful += 1;
        else if (row) row.notHelpful += 1;
        break;
      }
      case 'ended':
        abandon(conversation);
        break;
      case 'unplaced':
      case 'triaged':
        break;
    }
  }
  const quietSince = new Date(options.now.getTime() - options.abandonAfterMs).toISOString();
  for (const conversation of [...open.keys()]) if ((lastAt.get(conversation) ?? '') <= quietSince) abandon(conversation);

  const { groups } = groupMessages(inboxItems(events), options.grouping ?? DEFAULT_GROUPING);
  return {
    topics: [...topics.values()].sort((a, b) => b.asked - a.asked || a.id.localeCompare(b.id)),
    nodes: [...nodes.values()],
    unanswered: groups.map((group) => ({ text: group.text, count: group.count, lastAt: group.lastAt })),
  };
}

const topicRow = (id: string, title: string): Mutable<TopicRow> => ({ id, title, asked: 0, answered: 0, helpful: 0, notHelpful: 0, handoffs: 0, handedBack: 0, closedByAgent: 0, withdrawn: 0, timedOut: 0 });

function nodeRow(nodes: Map<string, Mutable<NodeRow>>, tree: string, node: string): Mutable<NodeRow> {
  const key = `${tree}/${node}`;
  const row = nodes.get(key) ?? { tree, node, reached: 0, resolved: 0, handedOff: 0, abandoned: 0, explained: 0 };
  nodes.set(key, row);
  return row;
}
