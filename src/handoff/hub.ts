import { AppError } from '../errors.js';
import type { CaseStore } from '../storage/caseStore.js';
import type { TranscriptStore } from '../storage/transcriptStore.js';
import type { BotControl, HandBack, HandoffCase, HandoffCaseView, HandoffContext, HandoffLine, Outbox } from './types.js';

/** Lines an agent reads back in a case: the newest of the conversation's transcript. */
const MAX_LINES = 500;
/** Closed cases stay listed this long so an agent can still read what happened. */
const CLOSED_KEPT_MS = 60 * 60 * 1000;

export interface HubOptions {
  readonly outbox: Outbox;
  /** Shared by every instance on the same storage, so all agents see one queue, and it survives restarts. */
  readonly cases: CaseStore;
  readonly transcripts: Pick<TranscriptStore, 'read'>;
  readonly now?: () => Date;
}

/**
 * The embedded agent hub behind the /agent console: the queue of conversations waiting for a
 * person, their transcripts, and the agent's actions (accept, reply, hand back). Who owns a
 * conversation is decided in its state (BotControl runs in the conversation's ordered update), so
 * two agents on two instances cannot both accept it; the case record follows.
 */
export class HandoffHub {
  private bot?: BotControl;
  private readonly now: () => Date;

  constructor(private readonly options: HubOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The bot is created after the hub (it reports into it); wiring closes the loop. */
  attach(bot: BotControl): void {
    this.bot = bot;
  }

  async request(conversationId: string, channelId: string | undefined, context: HandoffContext): Promise<void> {
    const existing = await this.find(conversationId);
    if (existing && existing.status !== 'closed') return;
    await this.save({ conversationId, ...(channelId ? { channelId } : {}), status: 'queued', context, requestedAt: this.stamp() });
  }

  /** Closes a case the customer withdrew or an external hub finished. */
  async close(conversationId: string): Promise<void> {
    const current = await this.find(conversationId);
    if (current && current.status !== 'closed') await this.save({ ...current, status: 'closed', closedAt: this.stamp() });
  }

  /** Open cases oldest first, then the recently closed; each with the conversation's last line. */
  async list(): Promise<(HandoffCase & { lastLine?: HandoffLine })[]> {
    const cutoff = this.now().getTime() - CLOSED_KEPT_MS;
    const all = (await this.options.cases.list()) as HandoffCase[];
    const expired = all.filter((item) => item.status === 'closed' && Date.parse(item.closedAt ?? item.requestedAt) < cutoff);
    if (expired.length > 0) await this.options.cases.delete(expired.map((item) => item.conversationId));
    const kept = all.filter((item) => !expired.includes(item)).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    return Promise.all(kept.map(async (item) => ({ ...item, ...(await this.lastLine(item)) })));
  }

  async get(conversationId: string): Promise<HandoffCaseView | undefined> {
    const found = await this.find(conversationId);
    return found && this.view(found);
  }

  async accept(conversationId: string, agent: string): Promise<HandoffCaseView> {
    const current = await this.require(conversationId);
    // Whether another agent already has the chat is decided by agentAccepted, in the conversation's state.
    if (current.status === 'closed') throw new AppError('ERR_HANDOFF_STATE', `conversation ${conversationId} is closed`);
    const joined = `${agent} from the support team has joined the chat.`;
    await this.control().agentAccepted(conversationId, agent, joined);
    const accepted: HandoffCase = { ...current, status: 'accepted', agent, acceptedAt: this.stamp() };
    await this.save(accepted);
    await this.options.outbox.send(conversationId, [{ text: joined }]);
    return this.view(accepted);
  }

  async say(conversationId: string, agent: string, text: string): Promise<void> {
    await this.owned(conversationId, agent);
    await this.options.outbox.send(conversationId, [{ text }]);
    await this.control().agentSaid(conversationId, text);
  }

  async handBack(conversationId: string, agent: string, how: HandBack): Promise<void> {
    const current = await this.owned(conversationId, agent);
    const messages = await this.control().handBack(conversationId, how);
    await this.save({ ...current, status: 'closed', closedAt: this.stamp() });
    await this.options.outbox.send(conversationId, messages);
  }

  private async owned(conversationId: string, agent: string): Promise<HandoffCase> {
    const current = await this.require(conversationId);
    if (current.status !== 'accepted' || current.agent !== agent) {
      throw new AppError('ERR_HANDOFF_STATE', `conversation ${conversationId} is not with ${agent}: accept it first`);
    }
    return current;
  }

  private async require(conversationId: string): Promise<HandoffCase> {
    const current = await this.find(conversationId);
    if (!current) throw new AppError('ERR_HANDOFF_UNKNOWN', `no handoff for conversation ${conversationId}`);
    return current;
  }

  private async find(conversationId: string): Promise<HandoffCase | undefined> {
    return (await this.options.cases.get(conversationId)) as HandoffCase | undefined;
  }

  private save(item: HandoffCase): Promise<void> {
    return this.options.cases.put(item.conversationId, item);
  }

  private async view(item: HandoffCase): Promise<HandoffCaseView> {
    return { ...item, lines: await this.lines(item, MAX_LINES) };
  }

  private async lastLine(item: HandoffCase): Promise<{ lastLine?: HandoffLine }> {
    const [line] = await this.lines(item, 1);
    return line ? { lastLine: line } : {};
  }

  private async lines(item: HandoffCase, last: number): Promise<HandoffLine[]> {
    if (!item.channelId) return [];
    const lines = await this.options.transcripts.read({ channelId: item.channelId, conversationId: item.conversationId }, { last });
    return lines.map(({ from, text, at }) => ({ from, text, at }));
  }

  private control(): BotControl {
    if (!this.bot) throw new AppError('ERR_HANDOFF_STATE', 'the hub is not attached to a bot');
    return this.bot;
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
