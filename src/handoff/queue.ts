import { AppError } from '../errors.js';
import {
  addressKey,
  type ConversationAddress,
  type Conversations,
  type HandBack,
  type CaseCustomer,
  type HandoffCase,
  type HandoffCaseView,
  type HandoffContext,
  type HandoffLine,
  type Message,
} from './types.js';

/** Lines an agent reads back in a case: the newest of the conversation's transcript. */
const MAX_LINES = 500;
/** Closed cases stay listed this long so an agent can still read what happened. */
const CLOSED_KEPT_MS = 60 * 60 * 1000;
/**
 * A left message's text in its case, in UTF-8 bytes: the case rides in a blob's metadata (8 kB at
 * most, base64) and is read on every listing; the agent reads the whole of it in the transcript.
 */
const LEFT_MESSAGE_BYTES = 1200;
/**
 * Accepted cases of the last hour (the closed ones stay that long) needed before the bot tells a
 * customer how long people have lately waited: with fewer, one slow morning would set the promise.
 */
const MIN_WAIT_SAMPLES = 5;

/** Where a customer stands in the queue: their place, and how long agents lately took to accept, when measured. */
export interface Standing {
  readonly position: number;
  readonly waitMinutes?: number;
}

/**
 * Where the queue keeps its cases: small JSON records, one per conversation, that every instance
 * sharing the store can list (each storage backend implements it).
 */
export interface CaseRecords {
  put(id: string, record: object): Promise<void>;
  get(id: string): Promise<unknown>;
  list(): Promise<unknown[]>;
  delete(ids: readonly string[]): Promise<void>;
}

/** Where a case's lines are read from: the conversation's transcript, newest last. */
export interface TranscriptReader {
  read(address: ConversationAddress, options?: { readonly last?: number }): Promise<readonly HandoffLine[]>;
}

export interface QueueOptions {
  /** Shared by every instance on the same storage, so all agents see one queue, and it survives restarts. */
  readonly cases: CaseRecords;
  readonly transcripts: TranscriptReader;
  readonly conversations: Conversations;
  readonly now?: () => Date;
}

/** A case with the conversation's newest line, as the queue lists it. */
export type QueuedCase = HandoffCase & { readonly lastLine?: HandoffLine };

/**
 * The embedded agent queue behind the /agent console: the conversations waiting for a person,
 * their transcripts, and the agents' actions. Who owns a conversation is decided in its state
 * (Conversations runs in the conversation's ordered update), so two agents on two instances cannot
 * both accept it; the case record follows. The actions return what the customer must be told, and
 * the caller sends it: the queue never talks to a channel.
 */
export class HandoffQueue {
  private readonly now: () => Date;

  constructor(private readonly options: QueueOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async request(address: ConversationAddress, context: HandoffContext, customer?: CaseCustomer): Promise<void> {
    const existing = await this.find(addressKey(address));
    if (existing && existing.status !== 'closed') return;
    await this.save({ id: addressKey(address), channelId: address.channelId, conversationId: address.conversationId, status: 'queued', context, ...(customer ? { customer } : {}), requestedAt: this.stamp() });
  }

  /**
   * What a customer wrote for an agent to answer later: a new case carrying it, or a part added to
   * the message their case holds (a queued customer whose agents all left keeps their case and place).
   */
  async leaveMessage(address: ConversationAddress, context: HandoffContext | undefined, text: string): Promise<void> {
    const existing = await this.find(addressKey(address));
    const open = existing && existing.status !== 'closed' ? existing : undefined;
    if (!open && !context) throw new AppError('ERR_HANDOFF_STATE', 'a new left message needs the context of the conversation');
    const at = this.stamp();
    const base: HandoffCase = open ?? { id: addressKey(address), channelId: address.channelId, conversationId: address.conversationId, status: 'queued', context: context as HandoffContext, requestedAt: at };
    const before = open?.leftMessage;
    const leftMessage = { text: clip(before ? `${before.text}\n${text}` : text, LEFT_MESSAGE_BYTES), at: before?.at ?? at, parts: (before?.parts ?? 0) + 1 };
    await this.save({ ...base, leftMessage });
  }

  /**
   * Where a customer stands: their place among the customers waiting now (left messages wait for
   * whoever comes online, not in this line), and the median time agents took to accept over the
   * last hour, when there are enough cases to say.
   */
  async standing(address: ConversationAddress): Promise<Standing> {
    const all = (await this.options.cases.list()) as HandoffCase[];
    const own = all.find((item) => item.id === addressKey(address) && item.status === 'queued');
    const ahead = all.filter((item) => item.status === 'queued' && !item.leftMessage && item.id !== own?.id && (!own || item.requestedAt < own.requestedAt));
    const since = this.now().getTime() - CLOSED_KEPT_MS;
    const waits = all
      .filter((item) => item.acceptedAt && !item.leftMessage && Date.parse(item.acceptedAt) >= since)
      .map((item) => Date.parse(item.acceptedAt as string) - Date.parse(item.requestedAt))
      .sort((a, b) => a - b);
    const median = waits.length >= MIN_WAIT_SAMPLES ? (waits[Math.floor((waits.length - 1) / 2)] as number) : undefined;
    return { position: ahead.length + 1, ...(median !== undefined ? { waitMinutes: Math.max(1, Math.ceil(median / 60_000)) } : {}) };
  }

  /** Closes a case the customer withdrew, an external hub finished, or an agent in a shared chat took back. */
  async close(address: ConversationAddress): Promise<void> {
    const current = await this.find(addressKey(address));
    if (current && current.status !== 'closed') await this.save({ ...current, status: 'closed', closedAt: this.stamp() });
  }

  /** Open cases oldest first, then the recently closed; each with the conversation's last line. */
  async list(): Promise<QueuedCase[]> {
    const cutoff = this.now().getTime() - CLOSED_KEPT_MS;
    const all = (await this.options.cases.list()) as HandoffCase[];
    const expired = all.filter((item) => item.status === 'closed' && Date.parse(item.closedAt ?? item.requestedAt) < cutoff);
    if (expired.length > 0) await this.options.cases.delete(expired.map((item) => item.id));
    const kept = all.filter((item) => !expired.includes(item)).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    return Promise.all(kept.map(async (item) => ({ ...item, ...(await this.lastLine(item)) })));
  }

  async get(id: string): Promise<HandoffCaseView> {
    return this.view(await this.require(id));
  }

  async accept(id: string, agent: string): Promise<{ view: HandoffCaseView; tell: readonly Message[] }> {
    const current = await this.requireOpen(id);
    const tell = await this.options.conversations.accept(current, agent);
    const accepted: HandoffCase = { ...current, status: 'accepted', agent, acceptedAt: this.stamp() };
    await this.save(accepted);
    return { view: await this.view(accepted), tell };
  }

  async say(id: string, agent: string, text: string): Promise<readonly Message[]> {
    return this.options.conversations.agentSaid(await this.requireOpen(id), agent, text);
  }

  async handBack(id: string, agent: string, how: HandBack): Promise<readonly Message[]> {
    const current = await this.require(id);
    const tell = await this.options.conversations.handBack(current, agent, how);
    await this.save({ ...current, status: 'closed', closedAt: this.stamp() });
    return tell;
  }

  /**
   * Said plainly for an agent whose page still shows the case: otherwise a message would meet the
   * conversation's own refusal ("no person is involved").
   */
  private async requireOpen(id: string): Promise<HandoffCase> {
    const current = await this.require(id);
    if (current.status === 'closed') throw new AppError('ERR_HANDOFF_STATE', 'the case is closed: the customer is back with the bot');
    return current;
  }

  private async require(id: string): Promise<HandoffCase> {
    const current = await this.find(id);
    if (!current) throw new AppError('ERR_HANDOFF_UNKNOWN', 'no handoff for that conversation');
    return current;
  }

  private async find(id: string): Promise<HandoffCase | undefined> {
    return (await this.options.cases.get(id)) as HandoffCase | undefined;
  }

  private save(item: HandoffCase): Promise<void> {
    return this.options.cases.put(item.id, item);
  }

  private async view(item: HandoffCase): Promise<HandoffCaseView> {
    return { ...item, lines: await this.lines(item, MAX_LINES) };
  }

  private async lastLine(item: HandoffCase): Promise<{ lastLine?: HandoffLine }> {
    const [line] = await this.lines(item, 1);
    return line ? { lastLine: line } : {};
  }

  private async lines(item: HandoffCase, last: number): Promise<HandoffLine[]> {
    const lines = await this.options.transcripts.read({ channelId: item.channelId, conversationId: item.conversationId }, { last });
    return lines.map(({ from, text, at, attachments }) => ({ from, text, at, ...(attachments?.length ? { attachments } : {}) }));
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

/** At most `bytes` of UTF-8, cut at a character boundary, with an ellipsis when cut. */
function clip(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let kept = '';
  for (const char of text) {
    if (Buffer.byteLength(kept + char) > bytes - 3) break;
    kept += char;
  }
  return `${kept}…`;
}
