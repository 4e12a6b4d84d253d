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
  return {
    reason: input.reason,
    ...(input.topic ? { topic: input.topic } : {}),
    treePath: input.tree ? input.tree.path.map((step) => ({ tree: input.tree?.tree ?? '', ...step })) : [],
    candidates: input.candidates,
    transcript: input.transcript.slice(-HANDOFF_TRANSCRIPT_LINES),
  };
}

/**
 * The payload of handoff.initiate for an external hub: the context as the event's value, the
 * lines as its transcript. It carries recogniser scores and the whole transcript, so it goes to
 * hubs only, never to a customer's client.
 */
export function hubPayload(summary: HandoffSummary): { context: HandoffContext; transcript: HandoffSummary['transcript'] } {
  const { transcript, ...context } = summary;
  return { context, transcript };
}
