import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../errors.js';
import type { ConversationRef, HandoffRequest, Turn, TurnResult } from '../bot/types.js';
import type { ConversationAddress } from '../handoff/types.js';
import { firstLine } from '../text.js';
import { activityToTurn } from './activityToTurn.js';
import type { AttachmentReader } from './attachments.js';
import { handoffEvent } from './handoffEvent.js';
import { replyToActivity, type FeedbackLabels } from './replyToActivity.js';

/** What channels/ needs from the bot core. */
export interface BotPort {
  handle(turn: Turn): Promise<TurnResult>;
  reset(address: ConversationAddress): Promise<void>;
  referenceOf(address: ConversationAddress): Promise<ConversationRef | undefined>;
}

export interface PipelineOptions {
  readonly bot: BotPort;
  readonly logger: Logger;
  readonly agentIds: readonly string[];
  /** Channels where an agent hub sits between the bot and the customer: only they get handoff.initiate and may send handoff.status. */
  readonly hubChannels: readonly string[];
  readonly maxMessageChars: number;
  /** Said to the customer when a turn fails unexpectedly. */
  readonly turnFailedText: string;
  /** Said when the state store fails: the conversation is kept, so nothing was lost. */
  readonly storageFailedText: string;
  /** Reads and keeps the files a customer sends, before the bot's turn. */
  readonly attachments: AttachmentReader;
  /** The buttons under an answer that asks whether it helped (outside Teams). */
  readonly feedback: FeedbackLabels;
}

/** Delivered activities remembered; a channel replays within seconds, so this spans far more than needed. */
const DELIVERED_KEPT = 10_000;

/** Errors of the state store: the conversation's saved state is fine and must be kept. */
const STORAGE_CODES: readonly ErrorCode[] = ['ERR_STORAGE_UNAVAILABLE', 'ERR_STORAGE_CONFLICT'];

/**
 * One turn through the seam: Activity → Turn → the bot → replies as activities. The one invoke
 * turned into a turn is Teams' feedback loop (`message/submitAction`), answered 200 here; CloudAdapter
 * answers any other invoke with 501 in the HTTP response (this bot renders Action.Submit, never
 * Action.Execute).
 */
export class TurnPipeline {
  /**
   * Activities whose replies this process delivered: a replay of one of them is a channel retrying
   * an answer that did arrive, and gets nothing again. After a restart the set is empty, so a
   * replay re-sends what the crashed process had saved but perhaps never sent.
   */
  private readonly delivered = new Set<string>();

  constructor(private readonly options: PipelineOptions) {}

  /** `embedded`: the activity comes from the embedded Direct Line, in process (its files are already read). */
  async run(context: TurnContext, embedded = false): Promise<void> {
    const { activity } = context;
    const { agentIds, hubChannels, maxMessageChars } = this.options;
    const read = activityToTurn(activity, { agentIds, hubChannels, maxMessageChars });
    if (!read) {
      this.options.logger.debug({ conversationId: activity.conversation.id, activityId: activity.id, type: activity.type }, 'activity ignored');
      return;
    }
    // Files are fetched and kept only for a message the bot takes, from a customer, before its turn.
    const turn = read.kind === 'message' && read.hasAttachments && !read.fromAgent ? { ...read, ...(await this.filesOf(context, embedded)) } : read;
    // handle() resolves once the state is saved: a turn re-run after an eTag conflict sends its replies once.
    const result = await this.options.bot.handle(turn);
    // An invoke's answer goes back in the HTTP response (TEAMS.md), whatever the turn said.
    if (activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: {} } });
    const key = `${activity.channelId}|${activity.conversation.id}|${activity.id ?? ''}`;
    if (result.replayed && this.delivered.has(key)) return;
    if (result.replies.length > 0 && (await this.deliver(context, result.replies.map((reply) => replyToActivity(reply, turn, this.options.feedback))))) this.remember(key);
    if (result.handoff && hubChannels.includes(activity.channelId)) await this.announce(context, result.handoff);
  }

  /**
   * The state is saved before the replies go out, so a connector that still fails after its
   * retries (connectorRetry.ts) is logged, not turned into a failed turn: resetting the state would
   * lose a conversation that is in fact consistent. The channel's retry of the activity gets the
   * saved replies again (orderedTurn.ts).
   */
  private async deliver(context: TurnContext, activities: Partial<Activity>[]): Promise<boolean> {
    try {
      await context.sendActivities(activities);
      return true;
    } catch (error) {
      const code: ErrorCode = 'ERR_CONNECTOR_SEND';
      const { activity } = context;
      this.options.logger.error(
        { code, conversationId: activity.conversation.id, activityId: activity.id, status: statusOf(error), reason: firstLine(error) },
        'replies not delivered',
      );
      return false;
    }
  }

  private async filesOf(context: TurnContext, embedded: boolean) {
    const { uploads, refused } = await this.options.attachments.read(context, embedded);
    // Counts and types only: file names are the customer's text.
    this.options.logger.info(
      { conversationId: context.activity.conversation.id, activityId: context.activity.id, kept: uploads.map((upload) => upload.contentType), refused: refused.length },
      'files received',
    );
    return { ...(uploads.length > 0 ? { uploads } : {}), ...(refused.length > 0 ? { refusedUploads: refused } : {}) };
  }

  private remember(key: string): void {
    if (this.delivered.size >= DELIVERED_KEPT) this.delivered.delete(this.delivered.values().next().value ?? '');
    this.delivered.add(key);
  }

  /** A hub that refuses the event is logged: the customer already has their reply and the queue the case. */
  private async announce(context: TurnContext, handoff: HandoffRequest): Promise<void> {
    try {
      await context.sendActivity(handoffEvent(context, handoff));
    } catch (error) {
      this.options.logger.warn({ conversationId: context.activity.conversation.id, activityId: context.activity.id, reason: firstLine(error) }, 'the hub refused the handoff.initiate event');
    }
  }

  /**
   * A turn that failed unexpectedly may have been broken by its state, which is reset so the next
   * message starts clean. A storage failure leaves the saved state as it was (the failed turn saved
   * nothing), so it is kept and the customer is told so.
   */
  async onTurnError(context: TurnContext, error: Error): Promise<void> {
    const code = error instanceof AppError ? error.code : 'ERR_TURN_FAILED';
    const reset = !STORAGE_CODES.includes(code);
    const { activity } = context;
    const log = this.options.logger.child({ code, conversationId: activity.conversation?.id, activityId: activity.id });
    log.error({ err: error }, reset ? 'turn failed; conversation state reset' : 'turn failed; conversation state kept');
    if (reset && activity.conversation?.id) {
      await this.options.bot.reset({ channelId: activity.channelId, conversationId: activity.conversation.id }).catch((secondary: unknown) => {
        log.error({ err: secondary }, 'could not reset the conversation state');
      });
    }
    try {
      await context.sendActivity({ type: 'trace', label: 'TurnError', name: 'OnTurnError Trace', value: code, valueType: 'https://www.botframework.com/schemas/error' });
      await context.sendActivity(`${reset ? this.options.turnFailedText : this.options.storageFailedText} (${code})`);
    } catch (secondary) {
      log.error({ reason: firstLine(secondary) }, 'could not tell the customer about a failed turn');
    }
  }
}

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number } | null)?.statusCode;
