import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import type { Reply, Turn } from '../bot/types.js';

/**
 * Channel-aware rendering under channel-agnostic replies:
 * - Web Chat, Emulator, others: markdown text, choices as suggested actions.
 * - Teams personal chat: markdown text with up to three choices as suggested actions (Teams draws
 *   no more than three). Text with a list goes in an Adaptive Card (a Teams text message loses list
 *   formatting), and so do more than three choices; a card carries its choices as its own buttons,
 *   since suggested actions are not drawn under a card in every Teams client (Agents Playground).
 * - Teams group chat and channel: suggested actions are not shown there, so choices become
 *   Adaptive Card buttons (Action.Submit posting back `{ choice }`, which needs no mention).
 * A typed answer works the same everywhere: the buttons only send their label.
 *
 * An answer that asks for feedback gets Teams' own feedback loop (thumbs under the message, its
 * `message/submitAction` invoke handled by the bot) in Teams, and two more buttons elsewhere.
 */
export function replyToActivity(reply: Reply, turn: Pick<Turn, 'channel' | 'scope'>, feedback?: FeedbackLabels): Partial<Activity> {
  if (reply.speaker) return fromPerson(reply.speaker, reply.text, turn);
  if (!reply.askFeedback || !feedback) return render(reply.text, reply.choices ?? [], turn);
  if (turn.channel !== 'teams') return render(reply.text, [...(reply.choices ?? []), feedback.helpful, feedback.notHelpful], turn);
  const activity = render(reply.text, reply.choices ?? [], turn);
  return { ...activity, channelData: { ...(activity.channelData as object | undefined), feedbackLoopEnabled: true } };
}

/** The labels of the two feedback buttons (kb/bot.yaml `helpfulChoice`, `notHelpfulChoice`). */
export interface FeedbackLabels {
  readonly helpful: string;
  readonly notHelpful: string;
}

function render(text: string, choices: readonly string[], turn: Pick<Turn, 'channel' | 'scope'>): Partial<Activity> {
  if (turn.channel !== 'teams') return markdown(text, choices);
  if (turn.scope === 'personal' && !hasList(text) && choices.length <= TEAMS_SUGGESTED_ACTIONS) return markdown(text, choices);
  if (choices.length === 0 && !hasList(text)) return markdown(text, []);
  return MessageFactory.attachment(CardFactory.adaptiveCard(adaptiveCard(text, choices)));
}

/**
 * An agent's words must not pass for the bot's. Every activity the adapter sends carries the bot's
 * account as `from` (botbuilder sets it from the conversation reference), so the name travels:
 * in Teams in bold before the words, as Teams shows no other sender for a bot's message; elsewhere
 * in `channelData.speaker`, which the embedded Direct Line turns into the sender (`from.name`).
 */
function fromPerson(speaker: string, text: string, turn: Pick<Turn, 'channel'>): Partial<Activity> {
  if (turn.channel === 'teams') return markdown(`**${speaker}:** ${text}`, []);
  return { ...markdown(text, []), channelData: { speaker } };
}

/** Teams shows at most three suggested actions; a fourth would silently be lost. */
const TEAMS_SUGGESTED_ACTIONS = 3;

function markdown(text: string, choices: readonly string[]): Partial<Activity> {
  const activity = choices.length > 0 ? MessageFactory.suggestedActions([...choices], text) : MessageFactory.text(text);
  return { ...activity, textFormat: 'markdown' };
}

/** Adaptive Card schema version: 1.2 is rendered by every Teams client, mobile included. */
const CARD_VERSION = '1.2';

const LIST_ITEM = /^\s*(?:[-*]|\d+\.) /;

const hasList = (text: string): boolean => text.split('\n').some((line) => LIST_ITEM.test(line));

/** One TextBlock per paragraph and per run of list items (Teams wants `\r` between list items). */
function adaptiveCard(text: string, choices: readonly string[]): Record<string, unknown> {
  const blocks = text
    .trim()
    .split(/\n\s*\n/)
    .flatMap(runsOf)
    .map((block) => ({ type: 'TextBlock', text: block, wrap: true }));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body: blocks,
    ...(choices.length > 0 ? { actions: choices.map((label) => ({ type: 'Action.Submit', title: label, data: { choice: label } })) } : {}),
  };
}

function runsOf(paragraph: string): string[] {
  const runs: { list: boolean; lines: string[] }[] = [];
  for (const line of paragraph.split('\n').map((item) => item.trim()).filter(Boolean)) {
    const list = LIST_ITEM.test(line);
    const last = runs.at(-1);
    if (last && last.list === list) last.lines.push(line);
    else runs.push({ list, lines: [line] });
  }
  return runs.map((run) => run.lines.join(run.list ? '\r' : '\n'));
}
