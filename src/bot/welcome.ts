import type { Update } from '../storage/conversationStore.js';
import { WELCOMED_IDS, type ConversationState } from './state.js';
import type { Transcript } from './transcript.js';
import type { BotAddedTurn, MembersAddedTurn, Reply, TurnResult } from './types.js';

const nothing = (state: ConversationState): Update<ConversationState, TurnResult> => ({ state, result: { replies: [], lines: [] } });

/**
 * One welcome per person in a personal chat, however many joined: a personal chat has one person,
 * and a forged list of thousands of members must become neither thousands of sends nor a state
 * of thousands of ids. In a team or group chat people come and go without being greeted.
 */
export function welcomeMembers(state: ConversationState, turn: MembersAddedTurn, welcome: Reply, transcript: Transcript): Update<ConversationState, TurnResult> {
  if (turn.scope !== 'personal') return nothing(state);
  const newcomers = turn.members.filter((member) => !state.welcomed.includes(member.id)).slice(0, WELCOMED_IDS);
  if (newcomers.length === 0) return nothing(state);
  const welcomed = [...state.welcomed, ...newcomers.map((member) => member.id)].slice(-WELCOMED_IDS);
  return transcript.say({ ...state, ...(turn.reference ? { reference: turn.reference } : {}), welcomed }, { replies: [welcome] });
}

/** Teams announces one install twice (conversationUpdate and installationUpdate): introduce once. */
export function introduceBot(state: ConversationState, turn: BotAddedTurn, introduction: Reply, transcript: Transcript): Update<ConversationState, TurnResult> {
  if (state.welcomed.includes(turn.bot.id)) return nothing(state);
  return transcript.say({ ...state, welcomed: [...state.welcomed, turn.bot.id].slice(-WELCOMED_IDS) }, { replies: [introduction] });
}
