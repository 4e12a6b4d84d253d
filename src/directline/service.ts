import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { DirectLineError } from '../errors.js';
import type { DirectLineRecord, DirectLineStore, KeptActivity } from '../storage/backend.js';
import { clientActivitySchema, customerCopy, parseClientActivity, type ActivityJson } from './activities.js';
import { hashOf, newSecret, parseToken, secretMatches, tokenOf } from './tokens.js';

/** The bot side, reached in process: runs one customer activity as a turn; replies come back through `deliver`. */
export interface EmbeddedBot {
  process(activity: ActivityJson): Promise<void>;
}

/** One Direct Line ActivitySet, the shape of both a poll answer and a WebSocket message. */
export interface ActivitySet {
  readonly activities: readonly ActivityJson[];
  readonly watermark: string;
}

export interface Subscriber {
  push(set: ActivitySet): void;
  close(): void;
}

/** What a valid token lets its holder do: read and write one conversation, as one user. */
export interface TokenGrant {
  readonly conversationId: string;
  readonly userId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export interface NewConversation {
  readonly conversationId: string;
  readonly userId: string;
  readonly token: string;
  readonly expiresIn: number;
}

/** Every bound, from config (README "Running in production" lists them). */
export interface DirectLineLimits {
  readonly tokenTtlSeconds: number;
  readonly maxMessageChars: number;
  /** Started conversations kept; beyond it the least recently active one is forgotten. */
  readonly maxConversations: number;
  /** Conversations handed out by the page but not started yet; beyond it the oldest is forgotten first. */
  readonly maxPending: number;
  /** JSON bytes of history kept per conversation; older activities fall out of reach of polling. */
  readonly maxConversationBytes: number;
  /** JSON bytes of history kept over all conversations. */
  readonly maxTotalBytes: number;
  /** WebSocket streams per conversation; a new one closes the oldest. */
  readonly maxStreams: number;
}

export interface DirectLineServiceOptions {
  readonly bot: EmbeddedBot;
  readonly store: DirectLineStore;
  readonly limits: DirectLineLimits;
  readonly logger: Logger;
  readonly now?: () => number;
}

interface Pending {
  readonly id: string;
  readonly userId: string;
  tokenHash: string;
  expiresAt: number;
}

interface Kept {
  readonly sequence: number;
  readonly activity: ActivityJson;
  readonly bytes: number;
}

interface Started {
  record: DirectLineRecord;
  /** Undefined until first needed after a restart: the index holds records only. */
  history?: Kept[];
  loading?: Promise<Kept[]>;
  readonly subscribers: Set<Subscriber>;
  /** This conversation's writes, in order. */
  writes: Promise<void>;
}

/** A long troubleshooting conversation is under 100 activities; 200 leaves room for reloads. */
const MAX_HISTORY = 200;
const SWEEP_EVERY_MS = 60_000;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BOT_ACCOUNT = Object.freeze({ id: 'restore-support-bot', name: 'Backup & Restore Help' });

const newId = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** A client's watermark: absent or empty means "from the start", as in Azure's Direct Line. */
export function parseWatermark(raw: string | null | undefined): number {
  const after = raw ? Number(raw) : 0;
  if (!Number.isInteger(after) || after < 0) throw new DirectLineError('ERR_REQUEST_INVALID', 'watermark must be a whole number', 400);
  return after;
}

/**
 * The subset of the Direct Line 3.0 service that Web Chat uses, so `npm start` needs no Azure
 * account. Customer activities go to the bot in process and its replies come back through
 * `deliver`; nothing crosses the network, so there is no connector address to leak. Started
 * conversations, their watermarked history and their token hash are written through to the store,
 * so a restart resumes them; what is kept is bounded per conversation and in total.
 */
export class DirectLineService {
  private readonly pending = new Map<string, Pending>();
  /** Started conversations, least recently active first (re-inserted on activity). */
  private readonly started = new Map<string, Started>();
  private readonly schema: ReturnType<typeof clientActivitySchema>;
  private readonly now: () => number;
  private readonly limits: DirectLineLimits;
  private readonly ready: Promise<void>;
  private totalBytes = 0;
  private nextSweep = 0;

  constructor(private readonly options: DirectLineServiceOptions) {
    this.now = options.now ?? Date.now;
    this.limits = options.limits;
    this.schema = clientActivitySchema(options.limits.maxMessageChars);
    this.ready = this.index();
  }

  /** A conversation not yet started, and its token: what the page hands to Web Chat. Kept in memory only until started. */
  createConversation(): NewConversation {
    this.sweep();
    // A flood of token requests only ever pushes out other never-started conversations.
    while (this.pending.size >= this.limits.maxPending) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
    }
    const secret = newSecret();
    const conversation: Pending = { id: newId(16), userId: `user-${newId(12)}`, tokenHash: hashOf(secret), expiresAt: this.expiry() };
    this.pending.set(conversation.id, conversation);
    return { conversationId: conversation.id, userId: conversation.userId, token: tokenOf(conversation.id, secret), expiresIn: this.limits.tokenTtlSeconds };
  }

  /** The grant behind an Authorization header for a conversation; 404, 401 or 403 otherwise. */
  async authorize(conversationId: string, authorization: string | undefined): Promise<TokenGrant> {
    // Ids this service makes are short base64url: anything else is unknown without asking the store.
    if (!CONVERSATION_ID.test(conversationId)) throw notFound();
    if (!this.pending.has(conversationId) && !(await this.find(conversationId))) throw notFound();
    const grant = await this.grantOf(authorization);
    if (grant.conversationId !== conversationId) throw new DirectLineError('ERR_DIRECTLINE_UNAUTHORIZED', 'token is not valid for this conversation', 403);
    return grant;
  }

  /** A grant for whichever conversation the token names (start, refresh); 401 or 403 otherwise. */
  async grantOf(authorization: string | undefined): Promise<TokenGrant> {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new DirectLineError('ERR_DIRECTLINE_UNAUTHORIZED', 'a Bearer token is required', 401);
    const parsed = parseToken(token);
    const holder = parsed ? (this.pending.get(parsed.conversationId) ?? (await this.find(parsed.conversationId))?.record) : undefined;
    if (!parsed || !holder || holder.expiresAt <= this.now() || !secretMatches(holder.tokenHash, parsed.secret)) {
      throw new DirectLineError('ERR_DIRECTLINE_UNAUTHORIZED', 'token is invalid or expired', 403);
    }
    return { conversationId: holder.id, userId: holder.userId, expiresAt: holder.expiresAt };
  }

  /** Web Chat refreshes halfway through a token's life; the new token replaces the old one, which stops working. */
  async refresh(grant: TokenGrant): Promise<{ conversationId: string; token: string; expiresIn: number }> {
    const secret = newSecret();
    const pending = this.pending.get(grant.conversationId);
    if (pending) {
      pending.tokenHash = hashOf(secret);
      pending.expiresAt = this.expiry();
    } else {
      const conversation = await this.get(grant.conversationId);
      conversation.record = { ...conversation.record, tokenHash: hashOf(secret), expiresAt: this.expiry() };
      await this.persist(conversation, [], []);
    }
    return { conversationId: grant.conversationId, token: tokenOf(grant.conversationId, secret), expiresIn: this.limits.tokenTtlSeconds };
  }

  /**
   * Starts the conversation once. Like Azure's Direct Line, tells the bot that the bot and the
   * customer joined, which is what makes it welcome them; Web Chat does not send that itself.
   */
  async start(grant: TokenGrant): Promise<void> {
    const pending = this.pending.get(grant.conversationId);
    if (!pending) return;
    this.pending.delete(pending.id);
    const now = this.now();
    const record: DirectLineRecord = { id: pending.id, userId: pending.userId, tokenHash: pending.tokenHash, expiresAt: pending.expiresAt, sequence: 0, bytes: 0, lastActive: now };
    const conversation: Started = { record, history: [], subscribers: new Set(), writes: Promise.resolve() };
    this.started.set(record.id, conversation);
    this.enforceTotals(conversation);
    await this.persist(conversation, [], []);
    const user = { id: record.userId, role: 'user' };
    const joined = { ...this.envelope(record), type: 'conversationUpdate', id: newId(9), from: user, recipient: BOT_ACCOUNT, membersAdded: [BOT_ACCOUNT, user] };
    await this.options.bot.process(joined).catch((error: unknown) => {
      this.options.logger.error({ err: error, code: 'ERR_TURN_FAILED', conversationId: record.id }, 'the bot did not take the conversation start');
    });
  }

  /**
   * A customer activity: kept and echoed to subscribers (Web Chat matches the echo to mark it
   * sent), then a typing indicator while the bot works, then the bot's turn. A customer's typing
   * indicator is answered and dropped: this bot does nothing with it.
   */
  async post(grant: TokenGrant, body: unknown): Promise<{ id: string }> {
    const parsed = parseClientActivity(this.schema, body);
    if (parsed.type === 'typing') return { id: newId(9) };
    await this.start(grant);
    const conversation = await this.get(grant.conversationId);
    const { record } = conversation;
    const { from, ...fields } = parsed;
    const user = { ...(from?.name ? { name: from.name } : {}), id: record.userId, role: 'user' };
    const [echo] = await this.append(conversation, [
      { ...fields, ...this.envelope(record), from: user, recipient: BOT_ACCOUNT },
      { ...this.envelope(record), type: 'typing', from: { ...BOT_ACCOUNT, role: 'bot' }, recipient: user },
    ]);
    const activity = echo as ActivityJson;
    try {
      await this.options.bot.process(activity);
    } catch (error) {
      if (error instanceof DirectLineError) throw error;
      throw new DirectLineError('ERR_TURN_FAILED', 'the bot could not take the activity', 502, { cause: error });
    }
    return { id: String(activity.id) };
  }

  /** The bot's side: an activity it sent (a reply or a proactive message) joins the conversation, if it is for customers. */
  async deliver(conversationId: string, sent: Record<string, unknown>): Promise<string | undefined> {
    const copy = customerCopy(sent);
    if (!copy) {
      this.options.logger.debug({ conversationId, type: sent.type, name: sent.name }, 'bot activity not for customers; not delivered to web chat');
      return undefined;
    }
    const conversation = await this.get(conversationId);
    const { record } = conversation;
    const [stored] = await this.append(conversation, [{ ...copy, type: String(copy.type), ...this.envelope(record), from: { ...BOT_ACCOUNT, role: 'bot' }, recipient: { id: record.userId, role: 'user' } }]);
    return String(stored?.id);
  }

  /** Activities after a watermark (see parseWatermark), and the new watermark. */
  async read(conversationId: string, after: number): Promise<ActivitySet> {
    if (this.pending.has(conversationId)) return { activities: [], watermark: '0' };
    const conversation = await this.get(conversationId);
    return this.since(conversation, after);
  }

  /**
   * Pushes the backlog after `after`, then each new activity, until the returned function is
   * called; both in one step so nothing appended in between is missed. A conversation keeps a few
   * streams: a new one closes the oldest.
   */
  async subscribe(grant: TokenGrant, after: number, subscriber: Subscriber): Promise<() => void> {
    await this.start(grant);
    const conversation = await this.get(grant.conversationId);
    const { subscribers } = conversation;
    for (const oldest of subscribers) {
      if (subscribers.size < this.limits.maxStreams) break;
      subscribers.delete(oldest);
      oldest.close();
    }
    const backlog = this.since(conversation, after);
    if (backlog.activities.length > 0) subscriber.push(backlog);
    subscribers.add(subscriber);
    return () => subscribers.delete(subscriber);
  }

  secondsLeft(grant: TokenGrant): number {
    return Math.max(0, Math.floor((grant.expiresAt - this.now()) / 1000));
  }

  /** Closes every stream (shutdown); the conversations stay in the store. */
  closeStreams(): void {
    for (const conversation of this.started.values()) {
      for (const subscriber of conversation.subscribers) subscriber.close();
      conversation.subscribers.clear();
    }
  }

  /** Indexes the kept conversations (records only), so the limits count them from the start. */
  private async index(): Promise<void> {
    try {
      const records = await this.options.store.list();
      for (const record of records.sort((a, b) => a.lastActive - b.lastActive)) this.track(record);
    } catch (error) {
      this.options.logger.error({ err: error, code: 'ERR_STORAGE_UNAVAILABLE' }, 'could not index the kept web chats; they load when next used');
    }
  }

  private track(record: DirectLineRecord): Started {
    const conversation: Started = { record, subscribers: new Set(), writes: Promise.resolve() };
    this.started.set(record.id, conversation);
    this.totalBytes += record.bytes;
    return conversation;
  }

  /** A started conversation from the index, or from the store (another instance, or not indexed yet). */
  private async find(conversationId: string): Promise<Started | undefined> {
    await this.ready;
    const known = this.started.get(conversationId);
    // An expired one is still found, so its token is refused (403) rather than its conversation unknown.
    if (known) return known;
    let kept: Awaited<ReturnType<DirectLineStore['load']>>;
    try {
      kept = await this.options.store.load(conversationId);
    } catch (error) {
      throw unavailable(error);
    }
    if (!kept) return undefined;
    // Another request may have loaded it while this one waited.
    const raced = this.started.get(conversationId);
    if (raced) return raced;
    const conversation = this.track(kept.record);
    conversation.history = kept.activities.map(fromKept);
    this.enforceTotals(conversation);
    return conversation;
  }

  /** A started conversation with its history loaded; 404 when there is none. */
  private async get(conversationId: string): Promise<Started & { history: Kept[] }> {
    const conversation = await this.find(conversationId);
    if (!conversation) throw notFound();
    if (!conversation.history) {
      conversation.loading ??= this.options.store.load(conversationId).then(
        (kept) => (kept?.activities ?? []).map(fromKept),
        (error: unknown) => {
          conversation.loading = undefined;
          throw unavailable(error);
        },
      );
      conversation.history = await conversation.loading;
    }
    return conversation as Started & { history: Kept[] };
  }

  private since(conversation: Started & { history: Kept[] }, after: number): ActivitySet {
    return {
      activities: conversation.history.filter((entry) => entry.sequence > after).map((entry) => entry.activity),
      watermark: String(conversation.record.sequence),
    };
  }

  /**
   * Numbers, keeps and pushes activities, then writes them through. The oldest fall out once the
   * conversation keeps more than its share; the newest one always stays.
   */
  private async append(conversation: Started & { history: Kept[] }, activities: readonly ActivityJson[]): Promise<ActivityJson[]> {
    const { history } = conversation;
    let { sequence, bytes } = conversation.record;
    const added: KeptActivity[] = [];
    const stored: ActivityJson[] = [];
    for (const activity of activities) {
      sequence += 1;
      const numbered: ActivityJson = { ...activity, id: `${conversation.record.id}|${String(sequence).padStart(7, '0')}` };
      const json = JSON.stringify(numbered);
      const size = Buffer.byteLength(json);
      history.push({ sequence, activity: numbered, bytes: size });
      added.push({ sequence, json });
      stored.push(numbered);
      bytes += size;
    }
    const dropped: number[] = [];
    while (history.length > 1 && (history.length > MAX_HISTORY || bytes > this.limits.maxConversationBytes)) {
      const oldest = history.shift() as Kept;
      dropped.push(oldest.sequence);
      bytes -= oldest.bytes;
    }
    this.totalBytes += bytes - conversation.record.bytes;
    conversation.record = { ...conversation.record, sequence, bytes, lastActive: this.now() };
    this.started.delete(conversation.record.id);
    this.started.set(conversation.record.id, conversation);
    stored.forEach((activity, index) => {
      const set = { activities: [activity], watermark: String((added[index] as KeptActivity).sequence) };
      for (const subscriber of conversation.subscribers) subscriber.push(set);
    });
    this.enforceTotals(conversation);
    await this.persist(conversation, added.filter((activity) => !dropped.includes(activity.sequence)), dropped);
    return stored;
  }

  /** Write-through, in order per conversation; a failed write is the caller's 503, and later writes still run. */
  private persist(conversation: Started, added: readonly KeptActivity[], dropped: readonly number[]): Promise<void> {
    const record = conversation.record;
    const write = conversation.writes.catch(() => undefined).then(() => this.options.store.save(record, added, dropped));
    conversation.writes = write;
    return write.catch((error: unknown) => {
      throw unavailable(error);
    });
  }

  /** Forgets the least recently active conversations (never `keep`) while over a limit. */
  private enforceTotals(keep: Started): void {
    for (const [id, conversation] of this.started) {
      if (this.started.size <= this.limits.maxConversations && this.totalBytes <= this.limits.maxTotalBytes) return;
      if (conversation === keep) continue;
      this.options.logger.warn({ conversationId: id, conversations: this.started.size, bytes: this.totalBytes }, 'embedded Direct Line full; forgot the least recently active conversation');
      this.forget(conversation);
    }
  }

  private forget(conversation: Started): void {
    const { id } = conversation.record;
    this.started.delete(id);
    this.totalBytes -= conversation.record.bytes;
    for (const subscriber of conversation.subscribers) subscriber.close();
    conversation.subscribers.clear();
    void conversation.writes
      .catch(() => undefined)
      .then(() => this.options.store.remove([id]))
      .catch((error: unknown) => this.options.logger.error({ err: error, code: 'ERR_STORAGE_UNAVAILABLE', conversationId: id }, 'could not forget a web chat'));
  }

  /** Conversations no token can reach any more are forgotten; at most once a minute, on a new conversation. */
  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [id, pending] of this.pending) if (pending.expiresAt <= now) this.pending.delete(id);
    for (const conversation of this.started.values()) if (conversation.record.expiresAt <= now) this.forget(conversation);
  }

  private expiry(): number {
    return this.now() + this.limits.tokenTtlSeconds * 1000;
  }

  private envelope(record: DirectLineRecord) {
    return { channelId: 'webchat', conversation: { id: record.id }, timestamp: new Date(this.now()).toISOString() };
  }
}

const fromKept = (kept: KeptActivity): Kept => ({ sequence: kept.sequence, activity: JSON.parse(kept.json) as ActivityJson, bytes: Buffer.byteLength(kept.json) });

const notFound = (): DirectLineError => new DirectLineError('ERR_DIRECTLINE_NOT_FOUND', 'conversation not found', 404);

const unavailable = (error: unknown): DirectLineError =>
  error instanceof DirectLineError ? error : new DirectLineError('ERR_STORAGE_UNAVAILABLE', 'the chat could not be kept; try again', 503, { cause: error });
