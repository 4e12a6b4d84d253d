import { AppError } from '../errors.js';
import type { EventLog } from '../storage/eventLog.js';
import { DEFAULT_GROUPING, groupMessages, inboxItems, type InboxGroup } from './inbox.js';
import { InsightRecorder, readEvents } from './recorder.js';
import { buildInsights, type InsightCatalog, type Insights } from './report.js';

interface InsightServiceOptions {
  readonly events: EventLog;
  readonly recorder: Pick<InsightRecorder, 'triage'>;
  readonly catalog: InsightCatalog;
  /** Adds examples to a topic's content file (src/content/edit.ts); what was added and skipped. */
  readonly appendExamples: (topic: string, examples: readonly string[]) => Promise<{ file: string; added: readonly string[]; skipped: readonly string[] }>;
  readonly abandonAfterMs: number;
  readonly now: () => Date;
}

/** An inbox group as agents see it: no internal list of every wording. */
type InboxView = Omit<InboxGroup, 'texts'>;

/**
 * Insights and the unanswered inbox, read from the event log when asked (the console, the CLIs):
 * nothing is kept in memory between requests, so every instance sharing a store shows the same.
 */
export class InsightService {
  constructor(private readonly options: InsightServiceOptions) {}

  async insights(since?: string): Promise<Insights> {
    const { catalog, abandonAfterMs, now } = this.options;
    return buildInsights(await readEvents(this.options.events, since), { catalog, now: now(), abandonAfterMs });
  }

  async inbox(): Promise<{ groups: InboxView[]; overflow: number }> {
    const { groups, overflow } = await this.groups();
    return { groups: groups.map(({ texts: _texts, ...view }) => view), overflow };
  }

  /** The group leaves the inbox; the same words coming again later bring it back. */
  async dismiss(id: string, agent: string): Promise<void> {
    const group = await this.group(id);
    await this.options.recorder.triage(agent, group.texts, this.options.now());
  }

  /** The group's examples become the topic's training examples, then the group leaves the inbox. */
  async assign(id: string, topic: string, agent: string): Promise<{ file: string; added: readonly string[]; skipped: readonly string[] }> {
    if (!this.options.catalog.topics.some((known) => known.id === topic)) throw new AppError('ERR_INBOX_UNKNOWN', `no topic '${topic}'`);
    const group = await this.group(id);
    const result = await this.options.appendExamples(topic, group.examples);
    await this.options.recorder.triage(agent, group.texts, this.options.now(), topic);
    return result;
  }

  private async groups() {
    return groupMessages(inboxItems(await readEvents(this.options.events)), DEFAULT_GROUPING);
  }

  private async group(id: string): Promise<InboxGroup> {
    const group = (await this.groups()).groups.find((candidate) => candidate.id === id);
    if (!group) throw new AppError('ERR_INBOX_UNKNOWN', `no inbox group '${id}' (already dismissed or assigned?)`);
    return group;
  }
}
