import { TurnContext, type Activity, type ChannelAccount } from 'botbuilder';
import type { ChannelKind, ConversationRef, ConversationScope, Member, Turn } from '../bot/types.js';

const CHANNELS: Record<string, ChannelKind> = { msteams: 'teams', webchat: 'webchat', directline: 'webchat', emulator: 'emulator' };

export const channelOf = (activity: Partial<Activity>): ChannelKind => CHANNELS[activity.channelId ?? ''] ?? 'other';

/** Teams personal chats carry no `isGroup`; group chats and channels say so in `conversationType`. */
export function scopeOf(activity: Partial<Activity>): ConversationScope {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'group';
  return 'personal';
}

/** A Teams message carries a text/html copy of what was typed; only other attachments are "files". */
const isDuplicateOfText = (contentType: string | undefined): boolean => contentType === 'text/html';

type TurnBase = Pick<Turn, 'channelId' | 'conversationId' | 'activityId' | 'channel' | 'scope' | 'trace' | 'reference'>;

/**
 * Translates a Bot Framework activity into the core's Turn; null for activities the bot does not
 * act on (typing, reactions, invokes, unknown types, Teams group messages not meant for it), which
 * are acknowledged and ignored.
 */
export interface TurnOptions {
  /** Channel user ids of support agents: never recognised, may order "take over". */
  readonly agentIds?: readonly string[];
  /** Channels with an agent hub in front: only they may send handoff.status (a customer must not silence the bot). */
  readonly hubChannels?: readonly string[];
  /** Text beyond this is cut before any pattern runs on it (the bot asks for a shorter message). */
  readonly maxMessageChars?: number;
}

/** Enough past the message limit for the bot to see the message was too long. */
const TEXT_SLACK = 64;

export function activityToTurn(activity: Activity, options: TurnOptions = {}): Turn | null {
  const base: TurnBase = {
    channelId: activity.channelId,
    conversationId: activity.conversation.id,
    ...(activity.id ? { activityId: activity.id } : {}),
    channel: channelOf(activity),
    scope: scopeOf(activity),
    trace: traceOf(activity),
    reference: TurnContext.getConversationReference(activity) as ConversationRef,
  };
  switch (activity.type) {
    case 'message':
      return messageTurn(activity, base, options);
    case 'conversationUpdate':
      return membershipTurn(activity, base);
    case 'installationUpdate':
      return installationTurn(activity, base);
    case 'event':
      return activity.name === 'handoff.status' && (options.hubChannels ?? []).includes(activity.channelId) ? handoffStatusTurn(activity, base) : null;
    case 'invoke':
      return activity.name === 'message/submitAction' ? feedbackTurn(activity, base) : null;
    default:
      return null;
  }
}

function messageTurn(activity: Activity, base: TurnBase, options: TurnOptions): Turn | null {
  // In Teams group chats and channels the bot answers only when mentioned; card buttons post back
  // without a mention (TEAMS.md), and every button this bot renders there carries a `value`.
  if (base.channel === 'teams' && base.scope !== 'personal' && !mentionsRecipient(activity) && !isCardPostback(activity)) return null;
  return {
    ...base,
    kind: 'message',
    from: memberOf(activity.from ?? { id: 'unknown', name: '' }),
    text: messageText(activity, (options.maxMessageChars ?? Number.MAX_SAFE_INTEGER) + TEXT_SLACK),
    hasAttachments: (activity.attachments ?? []).some((attachment) => !isDuplicateOfText(attachment.contentType)),
    ...(isAgent(activity, options.agentIds ?? []) ? { fromAgent: true } : {}),
  };
}

const isAgent = (activity: Activity, agentIds: readonly string[]): boolean =>
  agentIds.includes(activity.from?.id ?? '') || agentIds.includes(activity.from?.aadObjectId ?? '');

/** handoff.status from an agent hub; a state this bot does not know is acknowledged and ignored. */
function handoffStatusTurn(activity: Activity, base: TurnBase): Turn | null {
  const value = activity.value as { state?: unknown; message?: unknown } | undefined;
  const state = value?.state;
  if (state !== 'accepted' && state !== 'failed' && state !== 'completed') return null;
  return { ...base, kind: 'handoffStatus', state, ...(typeof value?.message === 'string' ? { message: value.message } : {}) };
}

/**
 * Teams' feedback loop: thumbs up or down under a message sent with `feedbackLoopEnabled`, as
 * `{ actionName: 'feedback', actionValue: { reaction: 'like' | 'dislike', feedback: '<JSON>' } }`,
 * the JSON holding what the person typed as `feedbackText`. A dislike's comment goes to the inbox
 * beside the question; a like's is not kept, as it tells the inbox nothing to fix.
 */
function feedbackTurn(activity: Activity, base: TurnBase): Turn | null {
  const value = activity.value as { actionName?: unknown; actionValue?: { reaction?: unknown; feedback?: unknown } } | undefined;
  const reaction = value?.actionValue?.reaction;
  if (value?.actionName !== 'feedback' || (reaction !== 'like' && reaction !== 'dislike')) return null;
  const comment = reaction === 'dislike' ? feedbackComment(value.actionValue?.feedback) : undefined;
  return { ...base, kind: 'feedback', helpful: reaction === 'like', ...(comment ? { comment } : {}) };
}

/** Teams' form holds a few hundred characters; anything far longer is not from it and is not parsed. */
const MAX_FEEDBACK_JSON_CHARS = 8192;
/** What is read of a comment; the recorder masks it and keeps at most 500 characters. */
const MAX_COMMENT_CHARS = 2000;

function feedbackComment(feedback: unknown): string | undefined {
  if (typeof feedback !== 'string' || feedback.length > MAX_FEEDBACK_JSON_CHARS) return undefined;
  try {
    const text = (JSON.parse(feedback) as { feedbackText?: unknown } | null)?.feedbackText;
    return typeof text === 'string' && text.trim() !== '' ? text.trim().slice(0, MAX_COMMENT_CHARS) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Personal chats welcome the people added (the bot's own entry, first or last, is not a person).
 * In a team or group chat only the bot's own arrival counts: it introduces itself to the chat.
 */
function membershipTurn(activity: Activity, base: TurnBase): Turn | null {
  const botId = activity.recipient?.id;
  const added = activity.membersAdded ?? [];
  const others = added.filter((member) => member.id !== botId);
  if (base.scope !== 'personal' && activity.recipient && added.some((member) => member.id === botId)) {
    return { ...base, kind: 'botAdded', bot: memberOf(activity.recipient) };
  }
  return others.length > 0 ? { ...base, kind: 'membersAdded', members: others.map(memberOf) } : null;
}

/**
 * Teams sends installationUpdate `add` besides the conversationUpdate of the same install, in
 * either order; both map to the same turn so the bot's `welcomed` list greets once.
 */
function installationTurn(activity: Activity, base: TurnBase): Turn | null {
  if (activity.action !== 'add' || !activity.recipient) return null;
  if (base.scope !== 'personal') return { ...base, kind: 'botAdded', bot: memberOf(activity.recipient) };
  return activity.from && activity.from.id !== activity.recipient.id ? { ...base, kind: 'membersAdded', members: [memberOf(activity.from)] } : null;
}

const memberOf = (account: ChannelAccount): Member => (account.name ? { id: account.id, name: account.name } : { id: account.id });

interface MentionEntity {
  type: string;
  text?: string;
  mentioned?: { id?: string; name?: string };
}

/** Mention entities anywhere in `entities` (Teams puts clientInfo there too, often first). */
const mentionsOf = (activity: Activity): MentionEntity[] =>
  ((activity.entities ?? []) as MentionEntity[]).filter((entity) => entity.type?.toLowerCase() === 'mention');

const mentionsRecipient = (activity: Activity): boolean =>
  activity.recipient !== undefined && mentionsOf(activity).some((mention) => mention.mentioned?.id === activity.recipient.id);

/** Action.Submit and messageBack buttons deliver their data in `value`; a typed message has none. */
const isCardPostback = (activity: Activity): boolean => typeof activity.value === 'object' && activity.value !== null;

/** The customer's words: the bot's mention removed; a card button's posted value when there is no text. */
function messageText(activity: Activity, maxChars: number): string {
  const text = plainText(activity, maxChars);
  if (text) return text;
  const value = activity.value as { choice?: unknown } | undefined;
  return typeof value?.choice === 'string' ? value.choice.trim() : text;
}

/**
 * Control characters that are not whitespace, and the bidirectional overrides and isolates that
 * make text display in another order than it reads (CVE-2021-42574): none is part of a question,
 * and the agent console and transcripts should show what the recogniser read.
 */
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** A real message mentions a handful of people; a forged one with thousands must not cost thousands of passes. */
const MAX_MENTIONS = 20;

/**
 * Removes every mention of the bot (wherever it sits: another person may be mentioned first),
 * keeps other mentions as the plain name, drops control characters, and tidies the spaces and the
 * trailing newline some Teams clients add.
 */
function plainText(activity: Activity, maxChars: number): string {
  // Cut first: every pattern below then runs on a bounded text.
  let text = (activity.text ?? '').slice(0, maxChars).replace(INVISIBLE, '');
  const botId = activity.recipient?.id;
  for (const mention of mentionsOf(activity).slice(0, MAX_MENTIONS)) {
    if (!botId || mention.mentioned?.id !== botId) continue;
    const markup = mention.text ?? (mention.mentioned.name ? `<at>${mention.mentioned.name}</at>` : '');
    if (markup) text = text.split(markup).join(' ');
  }
  return text
    // [^<]* cannot run past the next tag, so a text of thousands of '<at>' is read in one pass.
    .replace(/<at>([^<]*)<\/at>/gi, '$1')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

function traceOf(activity: Activity): Record<string, string> {
  const channelData = activity.channelData as { tenant?: { id?: string }; team?: { id?: string }; channel?: { id?: string } } | undefined;
  return Object.fromEntries(
    Object.entries({
      activityId: activity.id,
      channelId: activity.channelId,
      tenantId: channelData?.tenant?.id,
      teamId: channelData?.team?.id,
      teamsChannelId: channelData?.channel?.id,
    }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
