import { CloudAdapter, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { ConversationAddress, Message } from '../handoff/types.js';

export type { ConversationAddress, Message };
import { firstLine } from '../text.js';
import { channelOf, scopeOf } from './activityToTurn.js';
import { describeInvalidActivity } from './activitySchema.js';
import { AttachmentReader, type PictureKeeper } from './attachments.js';
import { BotAuthentication, type AuthenticateRequestResult } from './authentication.js';
import { connectorRetryPolicy } from './connectorRetry.js';
import { EMBEDDED_SERVICE_URL, EmbeddedAdapter, type ActivitySink } from './embeddedAdapter.js';
import { replyToActivity } from './replyToActivity.js';
import { TurnPipeline, type BotPort } from './turnPipeline.js';

export interface ChannelOptions {
  readonly config: Config;
  readonly bot: BotPort;
  readonly logger: Logger;
  readonly phrases: { readonly turnFailed: string; readonly storageFailed: string; readonly helpfulChoice: string; readonly notHelpfulChoice: string };
  /** Where replies to the embedded Direct Line's conversations go, in process. */
  readonly embeddedSink: ActivitySink;
  /** Where the pictures customers send are kept (anything else is refused). */
  readonly pictures: PictureKeeper;
}

/** An activity whose sender has been checked (or needs no check: MicrosoftAppId is empty). */
export interface Authenticated {
  readonly activity: Activity;
  readonly auth: AuthenticateRequestResult;
}

/** CloudAdapter with its turn entry point open to an already authenticated request. */
class Adapter extends CloudAdapter {
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

/**
 * The botbuilder seam: the only place that builds a CloudAdapter. It checks an activity and its
 * sender, runs the turn, and sends outside a turn; what any of that means in HTTP is the server's.
 */
export class BotChannel {
  private readonly auth: BotAuthentication;
  private readonly adapter: Adapter;
  private readonly embeddedAdapter: EmbeddedAdapter;
  private readonly pipeline: TurnPipeline;

  constructor(private readonly options: ChannelOptions) {
    const { config, logger } = options;
    const retryPolicy = connectorRetryPolicy({
      attempts: config.CONNECTOR_ATTEMPTS,
      timeoutMs: config.CONNECTOR_TIMEOUT_MS,
      backoffMs: config.CONNECTOR_BACKOFF_MS,
      logger,
    });
    this.auth = new BotAuthentication(
      {
        MicrosoftAppId: config.MicrosoftAppId,
        MicrosoftAppPassword: config.MicrosoftAppPassword,
        MicrosoftAppType: config.MicrosoftAppType,
        MicrosoftAppTenantId: config.MicrosoftAppTenantId,
      },
      retryPolicy,
    );
    this.pipeline = new TurnPipeline({
      bot: options.bot,
      logger,
      agentIds: config.AGENT_USER_IDS,
      hubChannels: config.HANDOFF_HUB_CHANNELS,
      maxMessageChars: config.MAX_MESSAGE_CHARS,
      // Read at each failure, not copied: a content reload may reword them.
      get turnFailedText() {
        return options.phrases.turnFailed;
      },
      get storageFailedText() {
        return options.phrases.storageFailed;
      },
      attachments: new AttachmentReader({ keeper: options.pictures, maxBytes: config.UPLOAD_MAX_BYTES, timeoutMs: config.CONNECTOR_TIMEOUT_MS, logger }),
      feedback: {
        get helpful() {
          return options.phrases.helpfulChoice;
        },
        get notHelpful() {
          return options.phrases.notHelpfulChoice;
        },
      },
    });
    this.adapter = new Adapter(this.auth);
    this.adapter.onTurnError = (context, error) => this.pipeline.onTurnError(context, error);
    // The embedded Direct Line's activities never cross the network, in or out.
    this.embeddedAdapter = new EmbeddedAdapter(options.embeddedSink);
    this.embeddedAdapter.onTurnError = this.adapter.onTurnError;
  }

  /** With MicrosoftAppId empty nobody's token is checked: the server then admits only loopback peers. */
  get checksTokens(): boolean {
    return this.options.config.MicrosoftAppId !== '';
  }

  /** The body as an activity, or ERR_REQUEST_INVALID naming the first problem. */
  parse(body: unknown): Activity {
    const problem = describeInvalidActivity(body);
    if (problem) throw new AppError('ERR_REQUEST_INVALID', problem);
    return body as Activity;
  }

  /**
   * Checks the Bot Framework token here rather than in CloudAdapter.process, which answers a badly
   * signed token with 500 and puts the error message in the body.
   */
  async authenticate(activity: Activity, authorization: string): Promise<Authenticated> {
    try {
      return { activity, auth: await this.auth.authenticateRequest(activity, authorization) };
    } catch (error) {
      const code: ErrorCode = 'ERR_AUTH_TOKEN';
      this.options.logger.warn({ code, conversationId: activity.conversation.id, activityId: activity.id, reason: firstLine(error) }, 'request refused: no valid Bot Framework token');
      throw new AppError(code, 'missing or invalid Bot Framework token', { cause: error });
    }
  }

  /** Runs the turn; the answer is the invoke's status and body, or 200 for everything else. */
  async process({ activity, auth }: Authenticated): Promise<{ status: number; body?: unknown }> {
    const invoke = await this.adapter.run(auth, activity, (context) => this.pipeline.run(context));
    return { status: invoke?.status ?? 200, ...(invoke?.body !== undefined ? { body: invoke.body } : {}) };
  }

  /**
   * Sends outside a turn (an agent's message, a hand-back) to the reference the bot saved from the
   * customer's last message. A send that fails is the agent's to know (ERR_CONNECTOR_SEND), never a
   * failed turn: botbuilder would hand it to onTurnError, which resets the conversation.
   */
  async send(address: ConversationAddress, messages: readonly Message[]): Promise<void> {
    const reference = (await this.options.bot.referenceOf(address)) as Partial<ConversationReference> | undefined;
    if (!reference?.conversation) throw new AppError('ERR_HANDOFF_UNKNOWN', 'the conversation cannot be reached: it has no saved address');
    const target = { channel: channelOf({ channelId: reference.channelId }), scope: scopeOf({ conversation: reference.conversation }) };
    let failure: unknown;
    const logic = async (context: TurnContext) => {
      try {
        await context.sendActivities(messages.map((message) => replyToActivity(message, target)));
      } catch (error) {
        failure = error;
      }
    };
    if (reference.serviceUrl === EMBEDDED_SERVICE_URL) await this.embeddedAdapter.continueConversation(reference, logic);
    else await this.adapter.continueConversationAsync(this.options.config.MicrosoftAppId, reference, logic);
    if (failure) throw new AppError('ERR_CONNECTOR_SEND', 'the message could not be delivered to the customer; try again', { cause: failure });
  }

  /** An activity from the embedded Direct Line: the same turn as /api/messages, its replies handed back in process. */
  async processEmbedded(activity: Record<string, unknown>): Promise<void> {
    await this.embeddedAdapter.process(activity as Partial<Activity>, (context) => this.pipeline.run(context, true));
  }
}
