import { AppError } from '../errors.js';
import type { BotControl, HandBack, HandoffCase, HandoffContext, HandoffLine, Outbox } from './types.js';

/** Lines kept per case: enough for an agent to read back, bounded so a long chat cannot grow memory. */
const MAX_LINES = 500;
/** Closed cases stay listed this long so an agent can still read what happened. */
const CLOSED_KEPT_MS = 60 * 60 * 1000;

/**
 * The embedded agent hub behind the /agent console: the queue of conversations waiting for a
 * person, their live transcripts, and the agent's actions (accept, reply, hand back).
 */
export class HandoffHub {
  private readonly cases = new Map<string, HandoffCase>();
  private bot?: BotControl;

  constructor(
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The bot is created after the hub (it reports into it); wiring closes the loop. */
  attach(bot: BotControl): void {
    this.bot = bot;
  }

  request(conversationId: string, context: HandoffContext, history: readonly HandoffLine[]): void {
    this.prune();
    const existing = this.cases.get(conversationId);
    if (existing && existing.status !== 'closed') return;
    this.cases.set(conversationId, { conversationId, status: 'queued', context, requestedAt: this.stamp(), lines: history.slice(-MAX_LINES) });
  }

  /** The customer's words (and the bot's few replies) while a person is involved. */
  record(conversationId: string, line: Omit<HandoffLine, 'at'>): void {
    const current = this.cases.get(conversationId);
    if (!current || current.status === 'closed') return;
    this.cases.set(conversationId, { ...current, lines: [...current.lines, { ...line, at: this.stamp() }].slice(-MAX_LINES) });
  }

  /** Closes a case the customer withdrew or an external hub finished. */
  close(conversationId: string): void {
    const current = this.cases.get(conversationId);
    if (current) this.cases.set(conversationId, { ...current, status: 'closed' });
  }

  list(): HandoffCase[] {
    this.prune();
    return [...this.cases.values()].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }

  get(conversationId: string): HandoffCase | undefined {
    return this.cases.get(conversationId);
  }

  async accept(conversationId: string, agent: string): Promise<HandoffCase> {
    const current = this.require(conversationId);
    if (current.status === 'accepted' && current.agent !== agent) {
      throw new AppError('ERR_HANDOFF_STATE', `conversation ${conversationId} is already with ${current.agent}`);
    }
    if (current.status === 'closed') throw new AppError('ERR_HANDOFF_STATE', `conversation ${conversationId} is closed`);
    const joined = `${agent} from the support team has joined the chat.`;
    await this.control().agentAccepted(conversationId, agent, joined);
    const accepted: HandoffCase = { ...current, status: 'accepted', agent, acceptedAt: this.stamp(), lines: [...current.lines, { from: 'bot', text: joined, at: this.stamp() }] };
    this.cases.set(conversationId, accepted);
    await this.outbox.send(conversationId, [{ text: joined }]);
    return accepted;
  }

  async say(conversationId: string, agent: string, text: string): Promise<void> {
    const current = this.owned(conversationId, agent);
    await this.outbox.send(conversationId, [{ text }]);
    await this.control().agentSaid(conversationId, text);
    this.cases.set(conversationId, { ...current, lines: [...current.lines, { from: 'agent' as const, agent, text, at: this.stamp() }].slice(-MAX_LINES) });
  }

  async handBack(conversationId: string, agent: string, how: HandBack): Promise<void> {
    const current = this.owned(conversationId, agent);
    const messages = await this.control().handBack(conversationId, how);
    this.cases.set(conversationId, { ...current, status: 'closed', lines: [...current.lines, ...messages.map((message) => ({ from: 'bot' as const, text: message.text, at: this.stamp() }))] });
    await this.outbox.send(conversationId, messages);
  }

  private owned(conversationId: string, agent: string): HandoffCase {
    const current = this.require(conversationId);
    if (current.status !== 'accepted' || current.agent !== agent) {
      throw new AppError('ERR_HANDOFF_STATE', `conversation ${conversationId} is not with ${agent}: accept it first`);
    }
    return current;
  }

  private require(conversationId: string): HandoffCase {
    const current = this.cases.get(conversationId);
    if (!current) throw new AppError('ERR_HANDOFF_UNKNOWN', `no handoff for conversation ${conversationId}`);
    return current;
  }

  private control(): BotControl {
    if (!this.bot) throw new AppError('ERR_HANDOFF_STATE', 'the hub is not attached to a bot');
    return this.bot;
  }

  private prune(): void {
    const cutoff = this.now().getTime() - CLOSED_KEPT_MS;
    for (const [id, item] of this.cases) {
      if (item.status === 'closed' && Date.parse(item.lines.at(-1)?.at ?? item.requestedAt) < cutoff) this.cases.delete(id);
    }
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
