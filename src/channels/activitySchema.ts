import { z } from 'zod';
import { firstIssueOf } from '../errors.js';

/**
 * Ids end up in storage keys and connector URLs. Real ones are far shorter (a Teams personal
 * conversation id is about 100 characters); the bound only stops a forged one of 200 kB.
 */
const MAX_ID_CHARS = 1024;

const id = z.string().min(1).max(MAX_ID_CHARS);
const account = z.object({ id }).passthrough();
const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'serviceUrl must be an http(s) URL');

/**
 * The least an incoming activity must carry before it reaches the adapter: botbuilder itself
 * throws (and answers 500 with the message) on bodies that are not activities, and a list field
 * that is not a list would fail the turn and reset the conversation.
 */
export const incomingActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: id.optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: httpUrl,
    conversation: account,
    from: account.optional(),
    recipient: account.optional(),
    text: z.string().optional(),
    attachments: z.array(z.object({ contentType: z.string().optional() }).passthrough()).optional(),
    entities: z.array(z.object({ type: z.string().optional() }).passthrough()).optional(),
    membersAdded: z.array(account).optional(),
    membersRemoved: z.array(account).optional(),
  })
  .passthrough();

export function describeInvalidActivity(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON activity object';
  const parsed = incomingActivitySchema.safeParse(body);
  if (parsed.success) return null;
  return firstIssueOf(parsed.error, 'not an activity');
}
