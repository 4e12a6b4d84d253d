import { z } from 'zod';
import { AppError } from '../errors.js';

/** An activity as JSON on the wire; only `type` is guaranteed. */
export type ActivityJson = { readonly type: string } & Record<string, unknown>;

/** Web Chat's channelData (clientActivityID, clientTimestamp) and a card button's value are tiny; 2 kB leaves room. */
const SMALL_OBJECT_BYTES = 2048;

const smallObject = (name: string) =>
  z
    .record(z.string(), z.unknown())
    .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= SMALL_OBJECT_BYTES, `${name} must be at most ${SMALL_OBJECT_BYTES} bytes of JSON`);

const messageFields = (maxMessageChars: number) => ({
  type: z.literal('message'),
  text: z.string().max(maxMessageChars, `text must be at most ${maxMessageChars} characters`).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).optional(),
  localTimestamp: z.string().max(40).optional(),
  localTimezone: z.string().max(64).optional(),
  from: z.object({ name: z.string().max(100).optional() }).passthrough().optional(),
  channelData: smallObject('channelData').optional(),
  value: smallObject('value').optional(),
});

/**
 * What Web Chat posts, and nothing else: a message (typed text or a card button's value) or a
 * typing indicator. Fields the server owns (id, from.id, conversation, serviceUrl, timestamp, …)
 * and fields this bot does not read are dropped; files come through the upload route only.
 */
export function clientActivitySchema(maxMessageChars: number) {
  return z.discriminatedUnion('type', [
    z.object({
      ...messageFields(maxMessageChars),
      attachments: z.array(z.unknown()).max(0, 'attachments are sent through /upload').optional(),
    }),
    z.object({ type: z.literal('typing') }),
  ]);
}

/**
 * The activity part of an upload: a message whose attachments describe the file parts (Web Chat
 * sends each one's name, declared type and, for pictures, a thumbnail it drew as a data: URL).
 */
export function uploadActivitySchema(maxMessageChars: number, maxFiles: number) {
  return z.discriminatedUnion('type', [
    z.object({
      ...messageFields(maxMessageChars),
      attachments: z
        .array(z.object({ contentType: z.string().max(200).optional(), name: z.string().max(1000).optional(), thumbnailUrl: z.string().optional() }).passthrough())
        .max(maxFiles, `attachments: at most ${maxFiles} files at once`),
    }),
  ]);
}

/** The one error a refused client activity gets: the first problem, short, with its field. */
export function parseClientActivity<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('ERR_REQUEST_INVALID', 'the body must be a JSON activity object');
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'body';
  const message = issue?.code === 'invalid_union' ? 'only message and typing activities are accepted' : (issue?.message ?? 'invalid activity');
  throw new AppError('ERR_DIRECTLINE_ACTIVITY', `${where}: ${message}`.slice(0, 200));
}

/** What a customer's Web Chat may see of the bot's activities: no events, traces or internal addresses. */
const BOT_TYPES = new Set(['message', 'typing']);
const BOT_FIELDS = ['text', 'textFormat', 'attachments', 'attachmentLayout', 'suggestedActions', 'inputHint', 'locale', 'speak', 'replyToId'] as const;

/**
 * The customer-facing copy of a bot activity, or null when it is not for customers (handoff.initiate
 * and other events carry summaries, recogniser scores and addresses that are for hubs; traces are for
 * the Emulator).
 */
export function customerCopy(activity: Record<string, unknown>): Record<string, unknown> | null {
  if (typeof activity.type !== 'string' || !BOT_TYPES.has(activity.type)) return null;
  const copy: Record<string, unknown> = { type: activity.type };
  for (const field of BOT_FIELDS) if (activity[field] !== undefined) copy[field] = activity[field];
  // Of the channel data, only who of the support team speaks (replyToActivity.ts) reaches the page.
  const speaker = (activity.channelData as { speaker?: unknown } | undefined)?.speaker;
  if (typeof speaker === 'string' && speaker.length > 0) copy.channelData = { speaker: speaker.slice(0, 60) };
  // Dates and class instances from the bot's side become plain JSON, as they would on the wire.
  return JSON.parse(JSON.stringify(copy)) as Record<string, unknown>;
}
