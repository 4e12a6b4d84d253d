import { CloudAdapter, EventFactory, type Activity, type ConversationReference, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ConversationRef, HandoffRequest, Reply, Turn, TurnResult } from '../bot/types.js';
import type { Config } from '../config.js';
import { AppError, DirectLineError, type ErrorCode } from '../errors.js';
import { activityToTurn, channelOf, scopeOf } from './activityToTurn.js';
import { describeInvalidActivity } from './activitySchema.js';
import { BotAuthentication, type AuthenticateRequestResult } from './authentication.js';
import { connectorRetryPolicy } from './connectorRetry.js';
import { EMBEDDED_SERVICE_URL, EmbeddedAdapter, type ActivitySink } from './embeddedAdapter.js';
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
  readonly logger: Logger;
  /** Said to the customer when a turn fails unexpectedly. */
  readonly turnFailedText: string;
  /** Where replies to the embedded Direct Line's conversations go, in process. */
  readonly embeddedSink: ActivitySink;
}

/** CloudAdapter with its turn entry point open to an already authenticated request. */
class Adapter extends CloudAdapter {
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** Errors of the state store: the conversation's saved state is fine and must be kept. */
const STORAGE_CODES: readonly ErrorCode[] = ['ERR_STORAGE_UNAVAILABLE', 'ERR_STORAGE_CONFLICT'];

/**
 * The botbuilder seam: the only place that builds a CloudAdapter. With MicrosoftAppId empty the
 * adapter accepts unauthenticated requests (Emulator, local tests); with it set, tokens are checked.
 */
export class BotChannel {
  private readonly auth: BotAuthentication;
  private readonly adapter: Adapter;
  private readonly embeddedAdapter: EmbeddedAdapter;
  private readonly inFlight = new Set<Promise<unknown>>();
  private draining = false;

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
    this.adapter = new Adapter(this.auth);
    this.adapter.onTurnError = (context, error) => this.onTurnError(context, error);
    // The embedded Direct Line's activities never cross the network, in or out.
    this.embeddedAdapter = new EmbeddedAdapter(options.embeddedSink);
    this.embeddedAdapter.onTurnError = this.adapter.onTurnError;
  }

  /**
   * POST /api/messages: 503 while shutting down, 400 for bodies that are not activities, 401
   * without a valid token (when MicrosoftAppId is set), otherwise the turn's answer (200, or an
   * invoke's status). Authentication happens here rather than in CloudAdapter.process, which
   * answers a badly signed token with 500 and puts the error message in the body.
   */
  processHttp(req: HttpRequest, res: HttpResponse): Promise<void> {
    if (this.draining) return Promise.resolve(refuse(res, 503, 'ERR_SHUTTING_DOWN', 'the bot is restarting; try again'));
    return this.track(this.authenticateAndRun(req, res));
  }

  private async authenticateAndRun(req: HttpRequest, res: HttpResponse): Promise<void> {
    const problem = describeInvalidActivity(req.body);
    if (problem) return refuse(res, 400, 'ERR_REQUEST_INVALID', problem);
    const activity = req.body as Activity;
    let auth: AuthenticateRequestResult;
    try {
      auth = await this.auth.authenticateRequest(activity, authorizationOf(req));
    } catch (error) {
      const code: ErrorCode = 'ERR_AUTH_TOKEN';
      this.options.logger.warn(
        { code, conversationId: activity.conversation.id, activityId: activity.id, reason: firstLine(error) },
        'request refused: no valid Bot Framework token',
      );
      return refuse(res, 401, code, 'missing or invalid Bot Framework token');
    }
    const invoke = await this.adapter.run(auth, activity, (context) => this.runTurn(context));
    res.status(invoke?.status ?? 200);
    if (invoke?.body !== undefined) res.send(invoke.body);
    res.end();
  }

  /** False once shutdown has begun: /readyz then answers 503 so no new traffic is sent here. */
  isReady(): boolean {
    return !this.draining;
  }

  /**
   * Stops taking activities and waits for the turns in flight, at most `graceMs`; true when they
   * all finished.
   */
  async drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const finished = Promise.allSettled([...this.inFlight]).then(() => true as const);
    try {
      return await Promise.race([finished, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * Sends outside a turn (an agent's reply, a hand-back) through the adapter's continueConversation,
   * to the conversation reference the bot saved from the customer's last message.
   */
  async send(conversationId: string, replies: readonly Reply[]): Promise<void> {
    const reference = (await this.options.bot.referenceOf(conversationId)) as Partial<ConversationReference> | undefined;
    if (!reference?.conversation) throw new AppError('ERR_HANDOFF_UNKNOWN', `no conversation reference for ${conversationId}`);
    const target = { channel: channelOf({ channelId: reference.channelId }), scope: scopeOf({ conversation: reference.conversation }) };
    const logic = async (context: TurnContext) => {
      await context.sendActivities(replies.map((reply) => replyToActivity(reply, target)));
    };
    if (reference.serviceUrl === EMBEDDED_SERVICE_URL) await this.embeddedAdapter.continueConversation(reference, logic);
    else await this.adapter.continueConversationAsync(this.options.config.MicrosoftAppId, reference, logic);
  }

  /** An activity from the embedded Direct Line: the same turn as /api/messages, its replies handed back in process. */
  async processEmbedded(activity: Record<string, unknown>): Promise<void> {
    if (this.draining) throw new DirectLineError('ERR_SHUTTING_DOWN', 'the bot is restarting; try again', 503);
    await this.track(this.embeddedAdapter.process(activity as Partial<Activity>, (context) => this.runTurn(context)));
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
    if (result.replies.length > 0) await this.deliver(context, result.replies.map((reply) => replyToActivity(reply, turn)));
    if (result.handoff) await this.announceHandoff(context, result.handoff);
  }

  /**
   * The state is saved before the replies go out, so a connector that still fails after its
   * retries (connectorRetry.ts) is logged, not turned into a failed turn: resetting the state would
   * lose a conversation that is in fact consistent. The customer can simply ask again.
   */
  private async deliver(context: TurnContext, activities: Partial<Activity>[]): Promise<void> {
    try {
      await context.sendActivities(activities);
    } catch (error) {
      const code: ErrorCode = 'ERR_CONNECTOR_SEND';
      const { activity } = context;
      this.options.logger.error(
        { code, conversationId: activity.conversation.id, activityId: activity.id, status: statusOf(error), reason: firstLine(error) },
        'replies not delivered',
      );
    }
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

  /**
   * A turn that failed unexpectedly may have been broken by its state, which is reset so the next
   * message starts clean. A storage failure leaves the saved state as it was (the failed turn saved
   * nothing), so it is kept and the next message carries on from it.
   */
  private async onTurnError(context: TurnContext, error: Error): Promise<void> {
    const code = error instanceof AppError ? error.code : 'ERR_TURN_FAILED';
    // Storage that failed or a state busy with other turns is not broken state: resetting would throw work away.
    const reset = !STORAGE_CODES.includes(code);
    const { activity } = context;
    this.options.logger.error(
      { code, conversationId: activity.conversation?.id, activityId: activity.id, err: error },
      reset ? 'turn failed; conversation state reset' : 'turn failed; conversation state kept',
    );
    if (reset) {
      await this.options.bot.reset(activity.conversation.id).catch((secondary: unknown) => {
        this.options.logger.error({ code, conversationId: activity.conversation?.id, err: secondary }, 'could not reset the conversation state');
      });
    }
    try {
      await context.sendActivity({ type: 'trace', label: 'TurnError', name: 'OnTurnError Trace', value: code, valueType: 'https://www.botframework.com/schemas/error' });
      await context.sendActivity(`${this.options.turnFailedText} (${code})`);
    } catch (secondary) {
      this.options.logger.error({ code, conversationId: activity.conversation?.id, err: secondary }, 'could not tell the customer about a failed turn');
    }
  }
}

function refuse(res: HttpResponse, status: number, code: ErrorCode, message: string): void {
  res.status(status);
  res.send({ error: { code, message } });
  res.end();
}

function authorizationOf(req: HttpRequest): string {
  const header = req.headers.authorization ?? req.headers.Authorization;
  return (Array.isArray(header) ? header[0] : header) ?? '';
}

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number } | null)?.statusCode;

/** An error's first line, short: enough to tell why without a stack or a request body. */
const firstLine = (error: unknown): string => String((error as Error | null)?.message ?? error).split('\n')[0]?.slice(0, 200) ?? '';

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
