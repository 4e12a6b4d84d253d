import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, DirectLineError } from '../../errors.js';
import type { DirectLineTokens, TokenGrant } from './tokens.js';

/** An activity as JSON on the wire; only `type` is guaranteed. */
export type ActivityJson = { readonly type: string } & Record<string, unknown>;

/** The bot side: runs an activity through the same adapter and turn logic as /api/messages. */
export interface EmbeddedBot {
  processEmbedded(activity: ActivityJson): Promise<void>;
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

export interface NewConversation {
  readonly conversationId: string;
  readonly userId: string;
  readonly token: string;
  readonly expiresIn: number;
}

export interface EmbeddedDirectLineOptions {
  readonly bot: EmbeddedBot;
  readonly tokens: DirectLineTokens;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Conversations kept at once; beyond it the least recently active one is dropped. */
  readonly maxConversations?: number;
  /** Activities kept per conversation; older ones fall out of reach of polling. */
  readonly maxHistory?: number;
}

interface Conversation {
  readonly id: string;
  readonly userId: string;
  readonly history: { readonly sequence: number; readonly activity: ActivityJson }[];
  readonly subscribers: Set<Subscriber>;
  sequence: number;
  started: boolean;
  /** When its newest token expires: after that nobody can reach it, and it is dropped. */
  reachableUntil: number;
  lastActive: number;
}

const DEFAULT_MAX_CONVERSATIONS = 5000;
/** A long troubleshooting conversation is under 100 activities; 200 leaves room for reloads. */
const DEFAULT_MAX_HISTORY = 200;
const BOT_ACCOUNT = Object.freeze({ id: 'restore-support-bot', name: 'Backup & Restore Help' });

/** What a client may post: an activity object. The server owns identity and routing fields. */
const clientActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    text: z.string().optional(),
    from: z.object({ name: z.string().max(200).optional() }).passthrough().optional(),
  })
  .passthrough();
const SERVER_OWNED = ['id', 'channelId', 'conversation', 'from', 'recipient', 'serviceUrl', 'timestamp', 'replyToId'] as const;

/** A client's watermark: absent or empty means "from the start", as in Azure's Direct Line. */
export function parseWatermark(raw: string | null | undefined): number {
  const after = raw ? Number(raw) : 0;
  if (!Number.isInteger(after) || after < 0) throw new DirectLineError('ERR_REQUEST_INVALID', 'watermark must be a whole number', 400);
  return after;
}

const newId = (bytes: number): string => randomBytes(bytes).toString('base64url');

/**
 * The subset of the Direct Line 3.0 service that Web Chat uses, kept in memory so `npm start`
 * needs no Azure account. Customer activities are stamped with this server's own connector as
 * serviceUrl and handed to the bot; the bot's replies come back through that connector
 * (`receiveFromBot`) and are kept, with watermarks, for polling and WebSocket subscribers.
 */
export class EmbeddedDirectLine {
  /** Part of the connector's serviceUrl path, so that only this process can post as the bot. */
  readonly connectorKey = newId(32);
  private readonly conversations = new Map<string, Conversation>();
  private readonly now: () => number;
  private readonly maxConversations: number;
  private readonly maxHistory: number;

  constructor(private readonly options: EmbeddedDirectLineOptions) {
    this.now = options.now ?? Date.now;
    this.maxConversations = options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
    this.maxHistory = options.maxHistory ?? DEFAULT_MAX_HISTORY;
  }

  /** A conversation not yet started, and a token for it: what the page hands to Web Chat. */
  createConversation(): NewConversation {
    this.dropUnreachable();
    const conversation: Conversation = {
      id: newId(16),
      userId: `user-${newId(12)}`,
      history: [],
      subscribers: new Set(),
      sequence: 0,
      started: false,
      reachableUntil: 0,
      lastActive: this.now(),
    };
    this.conversations.set(conversation.id, conversation);
    return { conversationId: conversation.id, userId: conversation.userId, ...this.issueToken(conversation) };
  }

  /** The grant behind an Authorization header for a conversation; 404, 401 or 403 otherwise. */
  authorize(conversationId: string, authorization: string | undefined): TokenGrant {
    if (!this.conversations.has(conversationId)) throw new DirectLineError('ERR_DIRECTLINE_NOT_FOUND', 'conversation not found', 404);
    const grant = this.grantOf(authorization);
    if (grant.conversationId !== conversationId) throw new DirectLineError('ERR_DIRECTLINE_UNAUTHORIZED', 'token is not valid for this conversation', 403);
    return grant;
  }

  /** A grant for whichever conversation the token names (start, refresh); 401 or 403 otherwise. */
  grantOf(authorization: string | undefined): TokenGrant {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new DirectLineError('ERR_DIRECTLINE_UNAUTHORIZED', 'a Bearer token is required', 401);
    const grant = this.options.tokens.verify(token);
    if (!grant || !this.conversations.has(grant.conversationId)) throw new DirectLineError('ERR_DIRECTLINE_UNAUTHORIZED', 'token is invalid or expired', 403);
    return grant;
  }

  /** Web Chat refreshes halfway through a token's life; the old token stays valid until it expires. */
  refresh(grant: TokenGrant): { conversationId: string; token: string; expiresIn: number } {
    return { conversationId: grant.conversationId, ...this.issueToken(this.get(grant.conversationId)) };
  }

  /**
   * Starts the conversation once. Like Azure's Direct Line, tells the bot that the bot and the
   * customer joined, which is what makes it welcome them; Web Chat does not send that itself.
   */
  async start(grant: TokenGrant, serviceUrl: string): Promise<void> {
    const conversation = this.get(grant.conversationId);
    if (conversation.started) return;
    conversation.started = true;
    const user = { id: conversation.userId, role: 'user' };
    const joined = { ...this.envelope(conversation), type: 'conversationUpdate', id: newId(9), from: user, membersAdded: [BOT_ACCOUNT, user] };
    await this.deliver(conversation, { ...joined, recipient: BOT_ACCOUNT, serviceUrl }).catch((error: unknown) => {
      this.options.logger.error({ err: error, code: 'ERR_TURN_FAILED', conversationId: conversation.id }, 'the bot did not take the conversation start');
    });
  }

  /**
   * A customer activity: kept and echoed to subscribers (Web Chat matches the echo to mark it
   * sent), then, for messages, a typing indicator while the bot works, then the bot's turn.
   */
  async post(grant: TokenGrant, body: unknown, serviceUrl: string): Promise<{ id: string }> {
    const conversation = this.get(grant.conversationId);
    const parsed = typeof body === 'object' && body !== null && !Array.isArray(body) ? clientActivitySchema.safeParse(body) : null;
    if (!parsed?.success) {
      const issue = parsed?.error.issues[0];
      throw new DirectLineError('ERR_REQUEST_INVALID', issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'the body must be a JSON activity object', 400);
    }
    const fields = { ...parsed.data } as Record<string, unknown>;
    for (const key of SERVER_OWNED) delete fields[key];
    const from = { ...(parsed.data.from?.name ? { name: parsed.data.from.name } : {}), id: conversation.userId, role: 'user' };
    const activity = this.append(conversation, { ...fields, ...this.envelope(conversation), type: parsed.data.type, from, recipient: BOT_ACCOUNT });
    if (activity.type === 'message') {
      this.append(conversation, { ...this.envelope(conversation), type: 'typing', from: { ...BOT_ACCOUNT, role: 'bot' }, recipient: from, replyToId: activity.id });
    }
    try {
      await this.deliver(conversation, { ...activity, serviceUrl });
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new DirectLineError('ERR_TURN_FAILED', 'the bot could not take the activity', 502, { cause: error });
    }
    return { id: String(activity.id) };
  }

  /** Activities after a watermark (see parseWatermark), and the new watermark. */
  read(conversationId: string, after: number): ActivitySet {
    const conversation = this.get(conversationId);
    return {
      activities: conversation.history.filter((entry) => entry.sequence > after).map((entry) => entry.activity),
      watermark: String(conversation.sequence),
    };
  }

  secondsLeft(grant: TokenGrant): number {
    return Math.max(0, Math.floor((grant.expiresAt - this.now()) / 1000));
  }

  /** Pushes each new activity to the subscriber until the returned function is called. */
  subscribe(conversationId: string, subscriber: Subscriber): () => void {
    const { subscribers } = this.get(conversationId);
    subscribers.add(subscriber);
    return () => subscribers.delete(subscriber);
  }

  /** The connector side: an activity the bot sent (a reply or a new message) joins the conversation. */
  receiveFromBot(conversationId: string, body: unknown): { id: string } {
    const conversation = this.get(conversationId);
    if (typeof body !== 'object' || body === null || typeof (body as { type?: unknown }).type !== 'string') {
      throw new DirectLineError('ERR_REQUEST_INVALID', 'the body must be an activity', 400);
    }
    const { serviceUrl: _ownConnector, ...sent } = body as ActivityJson;
    const from = { ...BOT_ACCOUNT, ...(sent.from as object | undefined), role: 'bot' };
    const activity = this.append(conversation, { ...sent, ...this.envelope(conversation), from });
    return { id: String(activity.id) };
  }

  isConnectorKey(candidate: string): boolean {
    const expected = Buffer.from(this.connectorKey);
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private get(conversationId: string): Conversation {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) throw new DirectLineError('ERR_DIRECTLINE_NOT_FOUND', 'conversation not found', 404);
    return conversation;
  }

  private issueToken(conversation: Conversation): { token: string; expiresIn: number } {
    const issued = this.options.tokens.issue(conversation.id, conversation.userId);
    conversation.reachableUntil = Math.max(conversation.reachableUntil, this.now() + issued.expiresIn * 1000);
    return issued;
  }

  private envelope(conversation: Conversation) {
    return { channelId: 'webchat', conversation: { id: conversation.id }, timestamp: new Date(this.now()).toISOString() };
  }

  private append(conversation: Conversation, activity: ActivityJson): ActivityJson {
    conversation.sequence += 1;
    conversation.lastActive = this.now();
    const stored = { ...activity, id: `${conversation.id}|${String(conversation.sequence).padStart(7, '0')}` };
    conversation.history.push({ sequence: conversation.sequence, activity: stored });
    if (conversation.history.length > this.maxHistory) conversation.history.shift();
    const set = { activities: [stored], watermark: String(conversation.sequence) };
    for (const subscriber of conversation.subscribers) subscriber.push(set);
    return stored;
  }

  private deliver(conversation: Conversation, activity: ActivityJson): Promise<void> {
    conversation.lastActive = this.now();
    return this.options.bot.processEmbedded(activity);
  }

  private dropUnreachable(): void {
    const now = this.now();
    for (const conversation of this.conversations.values()) if (conversation.reachableUntil <= now) this.drop(conversation);
    if (this.conversations.size < this.maxConversations) return;
    const idlest = [...this.conversations.values()].reduce((a, b) => (b.lastActive < a.lastActive ? b : a));
    this.options.logger.warn({ conversationId: idlest.id, maxConversations: this.maxConversations }, 'embedded Direct Line full; dropped the least recently active conversation');
    this.drop(idlest);
  }

  private drop(conversation: Conversation): void {
    // Its tokens die with it: a grant counts only while its conversation exists.
    this.conversations.delete(conversation.id);
    for (const subscriber of conversation.subscribers) subscriber.close();
  }
}
