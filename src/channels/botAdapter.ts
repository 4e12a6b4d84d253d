import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  EventFactory,
  type Activity,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { ConversationRef, HandoffRequest, Reply, Turn, TurnResult } from '../bot/types.js';
import type { Config } from '../config.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { TranscriptLine, TranscriptStore } from '../storage/transcriptStore.js';
import { activityToTurn, channelOf, scopeOf } from './activityToTurn.js';
import { describeInvalidActivity } from './activitySchema.js';
import type { ActivityJson as EmbeddedActivity } from './directline/embeddedDirectLine.js';
import { replyToActivity } from './replyToActivity.js';

/** What channels/ needs from the bot core. */
export interface BotPort {
  handle(turn: Turn): Promise<TurnResult>;
  reset(conversationId: string): Promise<void>;
  referenceOf(conversationId: string): Promise<ConversationRef | undefined>;
}

/** The HTTP shapes CloudAdapter.process reads and writes (restify's request and response fit). */
export interface HttpRequest {
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  method?: string;
}
export interface HttpResponse {
  status(code: number): unknown;
  send(body?: unknown): unknown;
  end(): unknown;
  header(name: string, value: unknown): unknown;
}

export interface ChannelOptions {
  readonly config: Config;
  readonly bot: BotPort;
  readonly transcripts: TranscriptStore;
  readonly logger: Logger;
  /** Said to the customer when a turn fails unexpectedly. */
  readonly turnFailedText: string;
}

/**
 * The botbuilder seam: the only place that builds a CloudAdapter. With MicrosoftAppId empty the
 * adapter accepts unauthenticated requests (Emulator, local tests); with it set, tokens are checked.
 */
export class BotChannel {
  private readonly adapter: CloudAdapter;
  private readonly embeddedAdapter: CloudAdapter;

  constructor(private readonly options: ChannelOptions) {
    const { config } = options;
    const auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.MicrosoftAppId,
      MicrosoftAppPassword: config.MicrosoftAppPassword,
      MicrosoftAppType: config.MicrosoftAppType,
      MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    });
    this.adapter = new CloudAdapter(auth);
    this.adapter.onTurnError = (context, error) => this.onTurnError(context, error);
    // The embedded Direct Line's activities never cross the network: they come from this process
    // and the replies go to this server's own connector, so no Bot Framework token is checked or
    // fetched for them, even when MicrosoftAppId is set for the Azure channels.
    this.embeddedAdapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    this.embeddedAdapter.onTurnError = this.adapter.onTurnError;
  }

  /** POST /api/messages: 400 for bodies that are not activities, otherwise the adapter's answer. */
  async processHttp(req: HttpRequest, res: HttpResponse): Promise<void> {
    const problem = describeInvalidActivity(req.body);
    if (problem) {
      res.status(400);
      res.send({ error: { code: 'ERR_REQUEST_INVALID', message: problem } });
      res.end();
      return;
    }
    await this.adapter.process(req as never, res as never, (context) => this.runTurn(context));
  }

  /**
   * Sends outside a turn (an agent's reply, a hand-back) through the adapter's continueConversation,
   * to the conversation reference the bot saved from the customer's last message.
   */
  async send(conversationId: string, replies: readonly Reply[]): Promise<void> {
    const reference = (await this.options.bot.referenceOf(conversationId)) as Partial<ConversationReference> | undefined;
    if (!reference?.conversation) throw new AppError('ERR_HANDOFF_UNKNOWN', `no conversation reference for ${conversationId}`);
    const target = { channel: channelOf({ channelId: reference.channelId }), scope: scopeOf({ conversation: reference.conversation }) };
    await this.adapter.continueConversationAsync(this.options.config.MicrosoftAppId, reference, async (context) => {
      await context.sendActivities(replies.map((reply) => replyToActivity(reply, target)));
    });
  }

  /** An activity from the embedded Direct Line: the same turn as /api/messages, replies to its serviceUrl. */
  async processEmbedded(activity: EmbeddedActivity): Promise<void> {
    await this.embeddedAdapter.processActivityDirect('', activity as unknown as Activity, (context) => this.runTurn(context));
  }

  /**
   * Invokes are not turned into turns: CloudAdapter answers an invoke nobody handled with 501 in
   * the HTTP response (this bot renders Action.Submit, never Action.Execute).
   */
  private async runTurn(context: TurnContext): Promise<void> {
    const { activity } = context;
    const turn = activityToTurn(activity, { agentIds: this.options.config.AGENT_USER_IDS });
    if (!turn) {
      this.options.logger.debug({ conversationId: activity.conversation.id, activityId: activity.id, type: activity.type }, 'activity ignored');
      return;
    }
    // handle() resolves once the state is saved: a turn re-run after an eTag conflict sends its replies once.
    const result = await this.options.bot.handle(turn);
    await this.keepTranscript(context.activity, result.lines);
    if (result.replies.length > 0) await context.sendActivities(result.replies.map((reply) => replyToActivity(reply, turn)));
    if (result.handoff) await this.announceHandoff(context, result.handoff);
  }

  /**
   * handoff.initiate goes to the channel for an external agent hub. Channels without a hub (Teams
   * among them) may refuse event activities: the customer already has their reply and the embedded
   * console has the case, so a refusal is logged, not turned into a failed turn.
   */
  private async announceHandoff(context: TurnContext, handoff: HandoffRequest): Promise<void> {
    try {
      await context.sendActivity(handoffEvent(context, handoff));
    } catch (error) {
      this.options.logger.warn({ conversationId: context.activity.conversation.id, activityId: context.activity.id, err: error }, 'channel refused the handoff.initiate event');
    }
  }

  /** A lost transcript line is logged, not turned into a failed turn: the state has already moved on. */
  private async keepTranscript(activity: Activity, lines: readonly TranscriptLine[]): Promise<void> {
    if (lines.length === 0) return;
    try {
      await this.options.transcripts.append({ channelId: activity.channelId, conversationId: activity.conversation.id }, lines);
    } catch (error) {
      const code: ErrorCode = 'ERR_STORAGE_TRANSCRIPT';
      this.options.logger.error({ code, conversationId: activity.conversation.id, lines: lines.length, err: error }, 'transcript lines not kept');
    }
  }

  private async onTurnError(context: TurnContext, error: Error): Promise<void> {
    const code = error instanceof AppError ? error.code : 'ERR_TURN_FAILED';
    const { activity } = context;
    // A conflict means the state is busy with other turns, not broken: resetting would throw their work away.
    const reset = code !== 'ERR_STORAGE_CONFLICT';
    this.options.logger.error(
      { code, conversationId: activity.conversation?.id, activityId: activity.id, err: error },
      reset ? 'turn failed; conversation state reset' : 'turn failed; conversation state kept',
    );
    try {
      if (reset) await this.options.bot.reset(activity.conversation.id);
      await context.sendActivity({ type: 'trace', label: 'TurnError', name: 'OnTurnError Trace', value: code, valueType: 'https://www.botframework.com/schemas/error' });
      await context.sendActivity(`${this.options.turnFailedText} (${code})`);
    } catch (secondary) {
      this.options.logger.error({ code, conversationId: activity.conversation?.id, err: secondary }, 'could not tell the customer about a failed turn');
    }
  }
}

function handoffEvent(context: TurnContext, handoff: HandoffRequest): Partial<Activity> {
  const activities = handoff.summary.transcript.map((line) => ({
    type: 'message',
    text: line.text,
    timestamp: new Date(line.at),
    from: line.from === 'bot' ? context.activity.recipient : context.activity.from,
  })) as Activity[];
  const { transcript: _lines, ...summary } = handoff.summary;
  return EventFactory.createHandoffInitiation(context, { reason: handoff.reason, ...summary }, { activities });
}
