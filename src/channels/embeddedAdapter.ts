import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { AppError } from '../errors.js';

/** Where the bot's activities for the embedded Direct Line go: straight into its conversation. */
export interface ActivitySink {
  /** The id the activity got, or undefined when it is not for customers and was dropped. */
  deliver(conversationId: string, activity: Record<string, unknown>): Promise<string | undefined>;
}

/**
 * The serviceUrl of every embedded web chat activity, and so of the reference the bot saves for
 * it: a marker, not an address. Nothing is ever sent to it over a network, and it holds no secret.
 */
export const EMBEDDED_SERVICE_URL = 'urn:embedded-directline';

/**
 * A botbuilder adapter for the embedded Direct Line, in process: a turn runs through the same
 * middleware and onTurnError as CloudAdapter's, and what the bot sends is handed to the sink
 * instead of being POSTed to a connector. No Bot Framework token is made or checked: nothing
 * leaves the process.
 */
export class EmbeddedAdapter extends BotAdapter {
  constructor(private readonly sink: ActivitySink) {
    super();
  }

  /** Runs one customer activity as a turn. */
  process(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, { ...activity, serviceUrl: EMBEDDED_SERVICE_URL }), logic);
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const conversationId = activity.conversation?.id;
      if (!conversationId) throw new AppError('ERR_CONNECTOR_SEND', 'an embedded web chat activity has no conversation');
      responses.push({ id: (await this.sink.deliver(conversationId, activity as Record<string, unknown>)) ?? '' });
    }
    return responses;
  }

  /** Web Chat shows what was sent; this bot never edits or withdraws a message. */
  updateActivity(): Promise<void> {
    return Promise.reject(new AppError('ERR_CONNECTOR_SEND', 'the embedded Direct Line does not update activities'));
  }

  deleteActivity(): Promise<void> {
    return Promise.reject(new AppError('ERR_CONNECTOR_SEND', 'the embedded Direct Line does not delete activities'));
  }

  /** Proactive sends (an agent's message, a hand-back) to a saved web chat reference. */
  continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
