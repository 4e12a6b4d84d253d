import { ActionTypes, CardFactory, MessageFactory, type Activity } from 'botbuilder';
import type { Reply, Turn } from '../bot/types.js';

/**
 * Channel-aware rendering under channel-agnostic replies: suggested actions where the channel
 * shows them (Web Chat, Emulator, Teams personal chats), card buttons where it does not (Teams
 * group chats and channels drop suggested actions).
 */
export function replyToActivity(reply: Reply, turn: Pick<Turn, 'channel' | 'scope'>): Partial<Activity> {
  const choices = reply.choices ?? [];
  if (choices.length === 0) return { ...MessageFactory.text(reply.text), textFormat: 'markdown' };
  if (turn.channel === 'teams' && turn.scope !== 'personal') {
    const card = CardFactory.heroCard('', undefined, CardFactory.actions(choices.map((label) => ({ type: ActionTypes.ImBack, title: label, value: label }))));
    return { ...MessageFactory.attachment(card, reply.text), textFormat: 'markdown' };
  }
  return { ...MessageFactory.suggestedActions([...choices], reply.text), textFormat: 'markdown' };
}
