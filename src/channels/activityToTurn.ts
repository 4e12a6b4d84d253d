import { TurnContext, type Activity } from 'botbuilder';
import type { ChannelKind, ConversationRef, ConversationScope, Turn } from '../bot/types.js';

const CHANNELS: Record<string, ChannelKind> = { msteams: 'teams', webchat: 'webchat', directline: 'webchat', emulator: 'emulator' };

export const channelOf = (activity: Partial<Activity>): ChannelKind => CHANNELS[activity.channelId ?? ''] ?? 'other';

export function scopeOf(activity: Partial<Activity>): ConversationScope {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'group';
  return 'personal';
}

/** A Teams message carries a text/html copy of what was typed; only other attachments are "files". */
const isDuplicateOfText = (contentType: string | undefined): boolean => contentType === 'text/html';

/**
 * Translates a Bot Framework activity into the core's Turn; null for activities the bot does not
 * act on (typing, reactions, unknown types), which are acknowledged and ignored.
 */
export function activityToTurn(activity: Activity, options: { agentIds?: readonly string[] } = {}): Turn | null {
  const base = {
    conversationId: activity.conversation.id,
    channel: channelOf(activity),
    scope: scopeOf(activity),
    trace: traceOf(activity),
    reference: TurnContext.getConversationReference(activity) as ConversationRef,
  };
  if (activity.type === 'message') {
    const from = activity.from?.id ?? 'unknown';
    const agentIds = options.agentIds ?? [];
    return {
      ...base,
      kind: 'message',
      from: { id: from, ...(activity.from?.name ? { name: activity.from.name } : {}) },
      text: messageText(activity),
      hasAttachments: (activity.attachments ?? []).some((attachment) => !isDuplicateOfText(attachment.contentType)),
      ...(agentIds.includes(from) || agentIds.includes(activity.from?.aadObjectId ?? '') ? { fromAgent: true } : {}),
    };
  }
  if (activity.type === 'event' && activity.name === 'handoff.status') {
    const value = activity.value as { state?: unknown; message?: unknown } | undefined;
    const state = value?.state;
    if (state !== 'accepted' && state !== 'failed' && state !== 'completed') return null;
    return { ...base, kind: 'handoffStatus', state, ...(typeof value?.message === 'string' ? { message: value.message } : {}) };
  }
  if (activity.type === 'conversationUpdate') {
    const members = (activity.membersAdded ?? []).filter((member) => member.id !== activity.recipient?.id);
    return members.length > 0 ? { ...base, kind: 'membersAdded', members: members.map((member) => ({ id: member.id, name: member.name })) } : null;
  }
  return null;
}

/** The customer's words: mention of the bot removed; a card button's posted value when there is no text. */
function messageText(activity: Activity): string {
  const mentionFree = activity.recipient?.id ? TurnContext.removeMentionText({ ...activity, text: activity.text ?? '' }, activity.recipient.id) : activity.text;
  if (mentionFree && mentionFree.trim()) return mentionFree;
  const value = activity.value as { choice?: unknown } | undefined;
  return typeof value?.choice === 'string' ? value.choice : (mentionFree ?? '');
}

function traceOf(activity: Activity): Record<string, string> {
  const channelData = activity.channelData as { tenant?: { id?: string }; team?: { id?: string } } | undefined;
  return Object.fromEntries(
    Object.entries({
      activityId: activity.id,
      channelId: activity.channelId,
      tenantId: channelData?.tenant?.id,
      teamId: channelData?.team?.id,
    }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
