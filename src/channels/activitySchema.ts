import { z } from 'zod';

const account = z.object({ id: z.string().min(1) }).passthrough();
const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'serviceUrl must be an http(s) URL');

/**
 * The least an incoming activity must carry before it reaches the adapter: botbuilder itself
 * throws (and answers 500 with the message) on bodies that are not activities.
 */
export const incomingActivitySchema = z
  .object({
    type: z.string().min(1),
    id: z.string().optional(),
    channelId: z.string().min(1),
    serviceUrl: httpUrl,
    conversation: account,
    from: account.optional(),
    recipient: account.optional(),
    text: z.string().optional(),
  })
  .passthrough();

export function describeInvalidActivity(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON activity object';
  const parsed = incomingActivitySchema.safeParse(body);
  if (parsed.success) return null;
  const [issue] = parsed.error.issues;
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'not an activity';
}
