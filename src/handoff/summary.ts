import type { HandoffContext, HandoffReason, HandoffSummary } from './types.js';

/** Lines of the conversation an agent or a hub gets with a handoff. */
export const HANDOFF_TRANSCRIPT_LINES = 200;

export interface SummaryInput {
  readonly reason: HandoffReason;
  readonly topic?: string;
  /** The tree the customer was in (or just finished at its handoff node), with the answers given. */
  readonly tree?: { readonly tree: string; readonly path: readonly { node: string; answer?: string }[] };
  readonly candidates: HandoffContext['candidates'];
  readonly transcript: HandoffSummary['transcript'];
}

/** What a person needs to pick the conversation up without asking the customer to repeat themselves. */
export function summarize(input: SummaryInput): HandoffSummary {
  const transcript = input.transcript.slice(-HANDOFF_TRANSCRIPT_LINES);
  const attachments = transcript.flatMap((line) => line.attachments ?? []);
  return {
    reason: input.reason,
    ...(input.topic ? { topic: input.topic } : {}),
    treePath: input.tree ? input.tree.path.map((step) => ({ tree: input.tree?.tree ?? '', ...step })) : [],
    candidates: input.candidates,
    ...(attachments.length > 0 ? { attachments } : {}),
    transcript,
  };
}

/** Why a person was asked for, in words an agent reads in a hub's queue. */
const AGENT_MESSAGES: Record<HandoffReason, string> = {
  customer_asked: 'The customer asked to talk to a person.',
  tree_handoff: 'The troubleshooting steps did not solve the problem.',
  repeated_fallback: 'The bot could not understand the customer twice in a row.',
};

/**
 * The fields contact-centre hubs already read from Copilot Studio's generic handoff (its
 * handoff.initiate context), so such a hub can route this bot's handoffs unchanged.
 */
export interface HubCompatibleFields {
  readonly va_LastTopic?: string;
  readonly va_Topics: readonly string[];
  readonly va_LastPhrases?: string;
  readonly va_ConversationId: string;
  readonly va_AgentMessage: string;
  readonly va_BotName: string;
  readonly va_Language: string;
}

/**
 * The payload of handoff.initiate for an external hub: the context (this project's summary and
 * the Copilot Studio fields) as the event's value, the lines as its transcript. It carries
 * recogniser scores and the whole transcript, so it goes to hubs only, never to a customer's client.
 */
export function hubPayload(
  summary: HandoffSummary,
  about: { readonly conversationId: string; readonly botName: string; readonly language: string },
): { context: HandoffContext & HubCompatibleFields; transcript: HandoffSummary['transcript'] } {
  const { transcript, ...context } = summary;
  const topics = [...new Set([...context.treePath.map((step) => step.tree), ...(context.topic ? [context.topic] : [])])];
  const lastPhrase = [...transcript].reverse().find((line) => line.from === 'customer')?.text;
  return {
    context: {
      ...context,
      ...(context.topic ? { va_LastTopic: context.topic } : {}),
      va_Topics: topics,
      ...(lastPhrase ? { va_LastPhrases: lastPhrase } : {}),
      va_ConversationId: about.conversationId,
      va_AgentMessage: AGENT_MESSAGES[context.reason],
      va_BotName: about.botName,
      va_Language: about.language,
    },
    transcript,
  };
}
