import { z } from 'zod';

/**
 * What the bot says happened in a turn, explicitly (never guessed from reply texts). Customer
 * words appear only in `unplaced` and `feedback` (the question an unhelpful answer answered, and
 * the customer's comment on it), and only ever pass through `keptText` (recorder.ts) on their way
 * to storage.
 */
export type InsightEvent =
  /** A topic was recognised (typed, clicked or picked from an offer). */
  | { readonly kind: 'asked'; readonly topic: string }
  /** The topic's answer was given, or its walk-through reached an end. */
  | { readonly kind: 'answered'; readonly topic: string }
  /** The bot could not place the message: not sure, out of scope, or no fitting answer inside a walk-through. */
  | { readonly kind: 'unplaced'; readonly why: UnplacedWhy; readonly text: string; readonly tree?: string; readonly node?: string }
  /** A node of a walk-through was shown; `open` when the customer is left at its question. */
  | { readonly kind: 'reached'; readonly tree: string; readonly node: string; readonly open?: true }
  /** The customer asked for the open step to be explained ("what do you mean?", "how do I check that?"). */
  | { readonly kind: 'explained'; readonly tree: string; readonly node: string }
  /** A walk-through ended without a person; `resolved` when on "it worked", at the question `node`. */
  | { readonly kind: 'finished'; readonly tree: string; readonly node: string; readonly resolved: boolean }
  | { readonly kind: 'handedOff'; readonly reason: string; readonly topic?: string; readonly tree?: string; readonly node?: string }
  /**
   * A person ended a handoff: gave the chat back to the bot plainly, at a topic or at a node of a
   * walk-through (`to…` says where), or closed it without handing back (`how: 'close'`).
   */
  | { readonly kind: 'handedBack'; readonly how: HandBackHow; readonly toTopic?: string; readonly toTree?: string; readonly toNode?: string }
  /**
   * The customer stopped waiting for a person before one answered: withdrew (cancel, start over,
   * goodbye) or outwaited HANDOFF_QUEUE_TIMEOUT_SECONDS, while `from` offered a message, having left
   * one, or queued. A timeout is seen, and recorded, when the customer next writes.
   */
  | { readonly kind: 'waitEnded'; readonly why: 'withdrawn' | 'timedOut' | 'hubFailed'; readonly from: 'offered' | 'message' | 'queued' }
  /**
   * Whether an answer helped; when it did not, `text` is the question it answered and `comment`
   * what the customer typed about it (Teams' feedback form), both for the inbox.
   */
  | { readonly kind: 'feedback'; readonly helpful: boolean; readonly topic?: string; readonly tree?: string; readonly text?: string; readonly comment?: string }
  /** The customer left whatever was open (cancel, start over, goodbye). */
  | { readonly kind: 'ended' }
  /** An agent cleared inbox messages: dismissed, or assigned to a topic as its examples. */
  | { readonly kind: 'triaged'; readonly texts: readonly string[]; readonly by: string; readonly topic?: string };

export type UnplacedWhy = 'unsure' | 'ambiguous' | 'out_of_scope' | 'in_tree';
export type HandBackHow = 'plain' | 'topic' | 'node' | 'close';

const name = z.string().min(1).max(200);
/** What stored events look like; a record this version cannot read (a newer kind) is left out of reports. */
export const eventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('asked'), topic: name }),
  z.object({ kind: z.literal('answered'), topic: name }),
  z.object({ kind: z.literal('unplaced'), why: z.enum(['unsure', 'ambiguous', 'out_of_scope', 'in_tree']), text: z.string(), tree: name.optional(), node: name.optional() }),
  z.object({ kind: z.literal('reached'), tree: name, node: name, open: z.literal(true).optional() }),
  z.object({ kind: z.literal('explained'), tree: name, node: name }),
  z.object({ kind: z.literal('finished'), tree: name, node: name, resolved: z.boolean() }),
  z.object({ kind: z.literal('handedOff'), reason: name, topic: name.optional(), tree: name.optional(), node: name.optional() }),
  z.object({ kind: z.literal('handedBack'), how: z.enum(['plain', 'topic', 'node', 'close']), toTopic: name.optional(), toTree: name.optional(), toNode: name.optional() }),
  z.object({ kind: z.literal('waitEnded'), why: z.enum(['withdrawn', 'timedOut', 'hubFailed']), from: z.enum(['offered', 'message', 'queued']) }),
  z.object({ kind: z.literal('feedback'), helpful: z.boolean(), topic: name.optional(), tree: name.optional(), text: z.string().optional(), comment: z.string().optional() }),
  z.object({ kind: z.literal('ended') }),
  z.object({ kind: z.literal('triaged'), texts: z.array(z.string()), by: name, topic: name.optional() }),
]) satisfies z.ZodType<InsightEvent>;

/** An event as read back: when, in which conversation ('' for an agent's action). */
export interface Recorded {
  readonly at: string;
  readonly conversation: string;
  readonly event: InsightEvent;
}
