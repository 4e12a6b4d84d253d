import { EventFactory, type Activity, type TurnContext } from 'botbuilder';
import type { HandoffRequest } from '../bot/types.js';
import { hubPayload } from '../handoff/summary.js';

/**
 * handoff.initiate as the Bot Framework handoff protocol defines it: the context as the event's
 * value and a transcript attachment. It is for an agent hub between the bot and the customer,
 * never for the customer's own client (it carries recogniser scores and the whole transcript).
 */
export function handoffEvent(context: TurnContext, handoff: HandoffRequest): Partial<Activity> {
  const { context: value, transcript } = hubPayload(handoff.summary, {
    conversationId: context.activity.conversation.id,
    botName: context.activity.recipient?.name ?? '',
    // The content is written in English.
    language: 'en-us',
  });
  const activities = transcript.map((line) => ({
    type: 'message',
    text: line.text,
    timestamp: new Date(line.at),
    from: line.from === 'customer' ? context.activity.from : context.activity.recipient,
  })) as Activity[];
  return EventFactory.createHandoffInitiation(context, value, { activities });
}
