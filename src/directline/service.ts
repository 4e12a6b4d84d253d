import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { bearerToken } from '../text.js';
import type { DirectLineRecord } from '../storage/backend.js';
import { cleanFileName, imageTypeOf } from '../storage/uploadStore.js';
import { clientActivitySchema, parseClientActivity, uploadActivitySchema, type ActivityJson } from './activities.js';
import { MAX_UPLOAD_FILES, type UploadParts } from './upload.js';
import { BOT_ACCOUNT, envelopeOf } from './delivery.js';
import { KeptConversations, type ActivitySet, type KeepingLimits, type Subscriber } from './conversations.js';
import { hashOf, newSecret, parseToken, secretMatches, tokenOf } from './tokens.js';

/** The bot side, reached in process: runs one customer activity as a turn; replies come back through delivery.ts. */
interface EmbeddedBot {
  process(activity: ActivityJson): Promise<void>;
}

/** What a valid token lets its holder do: read and write one conversation, as one user. */
export interface TokenGrant {
  readonly conversationId: string;
  readonly userId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

interface NewConversation {
  readonly conversationId: string;
  readonly userId: string;
  readonly token: string;
  readonly expiresIn: number;
  /** Trades once for a fresh token after this one expired; absent when resuming is off. */
  readonly resumeKey?: string;
}

/** Every bound, from config (README "Running in production" lists them). */
export interface DirectLineLimits extends KeepingLimits {
  readonly tokenTtlSeconds: number;
  /** WEB_CHAT_RESUME_DAYS in seconds: how long after the page last had a live token its resume key works; 0 = no keys. */
  readonly resumeSeconds: number;
  readonly maxMessageChars: number;
  /** Conversations handed out by the page but not started yet; beyond it the oldest is forgotten first. */
  readonly maxPending: number;
  /** WebSocket streams per conversation; a new one closes the oldest. */
  readonly maxStreams: number;
  /** UPLOAD_MAX_BYTES: the largest picture a customer may send. */
  readonly maxUploadBytes: number;
}

interface DirectLineServiceOptions {
  readonly bot: EmbeddedBot;
  /** The started conversations, shared with the bot's delivery (delivery.ts). */
  readonly kept: KeptConversations;
  readonly limits: DirectLineLimits;
  readonly logger: Logger;
  readonly now?: () => number;
}

interface Pending {
  readonly id: string;
  readonly userId: string;
  tokenHash: string;
  expiresAt: number;
  resumeHash?: string;
  resumeExpiresAt?: number;
}

const SWEEP_EVERY_MS = 60_000;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

const newId = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** A client's watermark: absent or empty means "from the start", as in Azure's Direct Line. */
export function parseWatermark(raw: string | null | undefined): number {
  const after = raw ? Number(raw) : 0;
  if (!Number.isInteger(after) || after < 0) throw new AppError('ERR_REQUEST_INVALID', 'watermark must be a whole number');
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
  private readonly kept: KeptConversations;
  private readonly schema: ReturnType<typeof clientActivitySchema>;
  private readonly uploadSchema: ReturnType<typeof uploadActivitySchema>;
  private readonly now: () => number;
  private readonly limits: DirectLineLimits;
  private nextSweep = 0;

  constructor(private readonly options: DirectLineServiceOptions) {
    this.now = options.now ?? Date.now;
    this.limits = options.limits;
    this.schema = clientActivitySchema(options.limits.maxMessageChars);
    this.uploadSchema = uploadActivitySchema(options.limits.maxMessageChars, MAX_UPLOAD_FILES);
    this.kept = options.kept;
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
    const id = newId(16);
    const resume = this.newResumeKey(id);
    const conversation: Pending = { id, userId: `user-${newId(12)}`, tokenHash: hashOf(secret), expiresAt: this.expiry(), ...resume?.kept };
    this.pending.set(conversation.id, conversation);
    return {
      conversationId: conversation.id,
      userId: conversation.userId,
      token: tokenOf(conversation.id, secret),
      expiresIn: this.limits.tokenTtlSeconds,
      ...(resume ? { resumeKey: resume.key } : {}),
    };
  }

  /** The grant behind an Authorization header for a conversation; 404, 401 or 403 otherwise. */
  async authorize(conversationId: string, authorization: string | undefined): Promise<TokenGrant> {
    // Ids this service makes are short base64url: anything else is unknown without asking the store.
    if (!CONVERSATION_ID.test(conversationId)) throw notFound();
    if (!this.pending.has(conversationId) && !(await this.kept.find(conversationId))) throw notFound();
    const grant = await this.grantOf(authorization);
    if (grant.conversationId !== conversationId) throw new AppError('ERR_DIRECTLINE_UNAUTHORIZED', 'token is not valid for this conversation');
    return grant;
  }

  /** A grant for whichever conversation the token names (start, refresh); 401 or 403 otherwise. */
  async grantOf(authorization: string | undefined): Promise<TokenGrant> {
    const token = bearerToken(authorization);
    if (!token) throw new AppError('ERR_DIRECTLINE_TOKEN_MISSING', 'a Bearer token is required');
    const parsed = parseToken(token);
    const holder = parsed ? (this.pending.get(parsed.conversationId) ?? (await this.kept.find(parsed.conversationId))?.record) : undefined;
    if (!parsed || !holder || holder.expiresAt <= this.now() || !secretMatches(holder.tokenHash, parsed.secret)) {
      throw new AppError('ERR_DIRECTLINE_UNAUTHORIZED', 'token is invalid or expired');
    }
    return { conversationId: holder.id, userId: holder.userId, expiresAt: holder.expiresAt };
  }

  /**
   * Web Chat refreshes halfway through a token's life; the new token replaces the old one, which
   * stops working. The resume key keeps its value (Web Chat refreshes by itself, and the page
   * would never learn a new one) but counts its days from now: the page was open.
   */
  async refresh(grant: TokenGrant): Promise<{ conversationId: string; token: string; expiresIn: number }> {
    const secret = newSecret();
    const pending = this.pending.get(grant.conversationId);
    const kept = pending ? undefined : await this.kept.get(grant.conversationId);
    const resumable = (pending ?? kept?.record)?.resumeHash !== undefined;
    const changes = { tokenHash: hashOf(secret), expiresAt: this.expiry(), ...(resumable ? { resumeExpiresAt: this.resumeExpiry() } : {}) };
    if (pending) Object.assign(pending, changes);
    else if (kept) await this.kept.update(kept, changes);
    return { conversationId: grant.conversationId, token: tokenOf(grant.conversationId, secret), expiresIn: this.limits.tokenTtlSeconds };
  }

  /**
   * A fresh token for the conversation a resume key names, once its token has expired (or was
   * lost): the key works once and a new one comes back with the token. An unknown conversation,
   * a wrong, used or expired key and resuming being off all get the same refusal, so the answer
   * says nothing about which conversations exist.
   */
  async resume(resumeKey: string): Promise<NewConversation> {
    const parsed = parseToken(resumeKey);
    const pending = parsed ? this.pending.get(parsed.conversationId) : undefined;
    const kept = parsed && !pending ? await this.kept.find(parsed.conversationId) : undefined;
    const holder = pending ?? kept?.record;
    const valid = parsed && holder?.resumeHash && (holder.resumeExpiresAt ?? 0) > this.now() && secretMatches(holder.resumeHash, parsed.secret);
    // Keys handed out before WEB_CHAT_RESUME_DAYS became 0 stop working with it.
    const fresh = valid ? this.newResumeKey(holder.id) : undefined;
    if (!holder || !fresh) throw new AppError('ERR_DIRECTLINE_RESUME', 'this chat can no longer be resumed; start a new one');
    // Checked and rotated with nothing awaited in between: of two uses of one key in this process, one wins.
    const secret = newSecret();
    const changes = { tokenHash: hashOf(secret), expiresAt: this.expiry(), ...fresh.kept };
    if (pending) Object.assign(pending, changes);
    else if (kept) await this.kept.update(kept, changes);
    return { conversationId: holder.id, userId: holder.userId, token: tokenOf(holder.id, secret), expiresIn: this.limits.tokenTtlSeconds, resumeKey: fresh.key };
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
    const { id, userId, tokenHash, expiresAt, resumeHash, resumeExpiresAt } = pending;
    const resume = resumeHash && resumeExpiresAt ? { resumeHash, resumeExpiresAt } : {};
    const record: DirectLineRecord = { id, userId, tokenHash, expiresAt, ...resume, sequence: 0, bytes: 0, lastActive: now };
    await this.kept.add(record);
    const user = { id: record.userId, role: 'user' };
    const joined = { ...this.envelope(record), type: 'conversationUpdate', id: newId(9), from: user, recipient: BOT_ACCOUNT, membersAdded: [BOT_ACCOUNT, user] };
    await this.options.bot.process(joined).catch((error: unknown) => {
      this.options.logger.error({ err: error, code: 'ERR_TURN_FAILED', conversationId: record.id }, 'the bot did not take the conversation start');
    });
  }

  /** A customer activity (see deliver). A customer's typing indicator is answered and dropped: this bot does nothing with it. */
  async post(grant: TokenGrant, body: unknown): Promise<{ id: string }> {
    const parsed = parseClientActivity(this.schema, body);
    if (parsed.type === 'typing') return { id: newId(9) };
    return this.deliver(grant, parsed);
  }

  /**
   * A message with files (Web Chat's upload): the echo the customer's page shows carries each
   * file's name and, for a picture, the thumbnail Web Chat drew itself; the bot gets the bytes in
   * process and decides what is kept (src/channels/attachments.ts). Nothing of the files is kept
   * here: the history holds what the page shows, never the upload.
   */
  async postUpload(grant: TokenGrant, userId: string | null, parts: UploadParts): Promise<{ id: string }> {
    // Web Chat names the user it was given (chat.js passes the token's); any other is not this page.
    if (userId !== null && userId !== grant.userId) throw new AppError('ERR_DIRECTLINE_UNAUTHORIZED', 'userId is not the token\'s user');
    let json: unknown;
    try {
      json = JSON.parse(parts.activity);
    } catch {
      throw new AppError('ERR_REQUEST_INVALID', 'the activity part must be a JSON activity object');
    }
    const { attachments: described, ...parsed } = parseClientActivity(this.uploadSchema, json);
    const files = parts.files.map((file) => {
      const about = described.find((attachment) => attachment.name === file.name);
      const picture = file.data.length <= this.limits.maxUploadBytes ? imageTypeOf(file.data) : undefined;
      const thumbnail = picture ? safeThumbnail(about?.thumbnailUrl) : undefined;
      // Shown as a picture only with a thumbnail the page drew itself; otherwise as a file name (HEIC, refused files).
      const name = cleanFileName(file.name);
      const shown = thumbnail ? { contentType: picture, name, thumbnailUrl: thumbnail } : { contentType: 'application/octet-stream', name };
      return { shown, forBot: { contentType: about?.contentType ?? 'application/octet-stream', name: file.name, content: file.data } };
    });
    return this.deliver(grant, { ...parsed, attachments: files.map((file) => file.shown) }, files.map((file) => file.forBot));
  }

  /**
   * A customer message: kept and echoed to subscribers (Web Chat matches the echo to mark it
   * sent), then a typing indicator while the bot works, then the bot's turn, with the files'
   * bytes (never kept in the history) when there are any.
   */
  private async deliver(grant: TokenGrant, parsed: { from?: { name?: string | undefined } | undefined } & Record<string, unknown>, files?: readonly Record<string, unknown>[]): Promise<{ id: string }> {
    await this.start(grant);
    const conversation = await this.kept.get(grant.conversationId);
    const { record } = conversation;
    const { from, ...fields } = parsed;
    const user = { ...(from?.name ? { name: from.name } : {}), id: record.userId, role: 'user' };
    const [echo] = await this.kept.append(conversation, [
      { ...fields, type: 'message', ...this.envelope(record), from: user, recipient: BOT_ACCOUNT },
      { ...this.envelope(record), type: 'typing', from: { ...BOT_ACCOUNT, role: 'bot' }, recipient: user },
    ]);
    const activity = (files ? { ...echo, attachments: files } : echo) as ActivityJson;
    try {
      await this.options.bot.process(activity);
    } catch (error) {
      // A coded refusal (shutting down, storage failing) keeps its own status; anything else is the bot's failure.
      if (error instanceof AppError) throw error;
      throw new AppError('ERR_DIRECTLINE_BOT_FAILED', 'the bot could not take the activity', { cause: error });
    }
    return { id: String(activity.id) };
  }

  /** Activities after a watermark (see parseWatermark), and the new watermark. */
  async read(conversationId: string, after: number): Promise<ActivitySet> {
    if (this.pending.has(conversationId)) return { activities: [], watermark: '0' };
    const conversation = await this.kept.get(conversationId);
    return this.kept.since(conversation, after);
  }

  /**
   * Pushes the backlog after `after`, then each new activity, until the returned function is
   * called; both in one step so nothing appended in between is missed. A conversation keeps a few
   * streams: a new one closes the oldest.
   */
  async subscribe(grant: TokenGrant, after: number, subscriber: Subscriber): Promise<() => void> {
    await this.start(grant);
    const conversation = await this.kept.get(grant.conversationId);
    const { subscribers } = conversation;
    for (const oldest of subscribers) {
      if (subscribers.size < this.limits.maxStreams) break;
      subscribers.delete(oldest);
      oldest.close();
    }
    const backlog = this.kept.since(conversation, after);
    if (backlog.activities.length > 0) subscriber.push(backlog);
    subscribers.add(subscriber);
    return () => subscribers.delete(subscriber);
  }

  secondsLeft(grant: TokenGrant): number {
    return Math.max(0, Math.floor((grant.expiresAt - this.now()) / 1000));
  }

  /** Closes every stream (shutdown); the conversations stay in the store. */
  closeStreams(): void {
    this.kept.closeStreams();
  }

  /** Conversations no token can reach any more are forgotten; at most once a minute, on a new conversation. */
  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [id, pending] of this.pending) if (pending.expiresAt <= now) this.pending.delete(id);
    this.kept.forgetExpired();
  }

  private expiry(): number {
    return this.now() + this.limits.tokenTtlSeconds * 1000;
  }

  private resumeExpiry(): number {
    return this.now() + this.limits.resumeSeconds * 1000;
  }

  /** A resume key shaped like a token (`<conversationId>.<256-bit secret>`), and what is kept of it; undefined when resuming is off. */
  private newResumeKey(conversationId: string): { key: string; kept: { resumeHash: string; resumeExpiresAt: number } } | undefined {
    if (this.limits.resumeSeconds === 0) return undefined;
    const secret = newSecret();
    return { key: tokenOf(conversationId, secret), kept: { resumeHash: hashOf(secret), resumeExpiresAt: this.resumeExpiry() } };
  }

  private envelope(record: DirectLineRecord) {
    return envelopeOf(record, this.now());
  }
}

const notFound = (): AppError => new AppError('ERR_DIRECTLINE_NOT_FOUND', 'conversation not found');

/**
 * Web Chat's own thumbnail of a picture (uploadThumbnail*: at most 720×360, JPEG at quality 0.6,
 * tens of kilobytes) is what the customer's page shows of the picture once the server echoes the
 * message: the page drew it from the customer's own file, so showing it back reveals nothing and
 * needs no URL into the upload store, which stays agent-only. Kept only when it is a base64 PNG or
 * JPEG data: URL whose bytes are one, and small enough for the conversation's history.
 */
const MAX_THUMBNAIL_CHARS = 96 * 1024;
const THUMBNAIL = /^data:image\/(?:jpeg|png);base64,([A-Za-z0-9+/]+={0,2})$/;

function safeThumbnail(url: string | undefined): string | undefined {
  if (!url || url.length > MAX_THUMBNAIL_CHARS) return undefined;
  const base64 = THUMBNAIL.exec(url)?.[1];
  const type = base64 ? imageTypeOf(Buffer.from(base64, 'base64')) : undefined;
  return type === 'image/png' || type === 'image/jpeg' ? url : undefined;
}
