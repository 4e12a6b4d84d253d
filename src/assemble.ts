import type { Logger } from 'pino';
import { Conversation } from './bot/conversation.js';
import { HandoffTurns } from './bot/handoffTurns.js';
import { OrderedTurns } from './bot/orderedTurn.js';
import { SupportBot } from './bot/supportBot.js';
import { Transcript } from './bot/transcript.js';
import { TypedLines } from './bot/typedLines.js';
import { initialState, type ConversationState } from './bot/state.js';
import { BotChannel } from './channels/botChannel.js';
import type { BotPort } from './channels/turnPipeline.js';
import type { Config } from './config.js';
import { LiveContent } from './content/live.js';
import type { Content } from './content/types.js';
import { KeptConversations } from './directline/conversations.js';
import { BotDelivery } from './directline/delivery.js';
import { DirectLineService } from './directline/service.js';
import { DialogEngine } from './dialogs/engine.js';
import { PresenceBoard } from './handoff/presence.js';
import { HandoffQueue } from './handoff/queue.js';
import { InsightRecorder } from './insights/recorder.js';
import { InsightService } from './insights/service.js';
import { appendExamples } from './content/edit.js';
import { ChoiceReader } from './nlu/choiceReader.js';
import { cachedRecognize } from './nlu/cache.js';
import { buildMoodReader, buildRecognizer } from './nlu/fromContent.js';
import type { Recognizer } from './nlu/recognizer.js';
import { redactorFor } from './privacy/redact.js';
import { createApp } from './server/app.js';
import { agentDirectories, configuredAgents, FailureLimit, limitedDirectory } from './server/agentAuth.js';
import { TurnGate } from './server/turnGate.js';
import type { WebChatBackend } from './server/webChat.js';
import { AgentAccounts } from './storage/agentAccounts.js';
import type { StorageBackend } from './storage/backend.js';
import { ConversationStore } from './storage/conversationStore.js';
import { PictureKeeper } from './storage/uploadStore.js';

/** What serves turns from one generation of the content; a reload swaps all of it at once. */
interface Served {
  readonly recognizer: Recognizer;
  readonly bot: SupportBot;
  readonly handoff: HandoffTurns;
}

export interface Assembly {
  /** The content serving new turns now. */
  readonly content: Content;
  /** Hands each turn to the generation current when it starts (stable across reloads). */
  readonly bot: BotPort;
  /** The recogniser of the current generation. */
  readonly recognizer: Recognizer;
  /** Reload on demand (SIGHUP, the inbox's "assign to topic") and the watch that main.ts starts. */
  readonly live: LiveContent<Served>;
  readonly queue: HandoffQueue;
  /** The botbuilder seam. */
  readonly channel: BotChannel;
  /** Every way into the bot; main.ts drains it on shutdown. */
  readonly gate: TurnGate;
  readonly server: ReturnType<typeof createApp>;
  /** The Web Chat page's Direct Line backend (embedded unless DIRECT_LINE_SECRET is set). */
  readonly webChat: WebChatBackend;
  /** Where the bot's activities for embedded web chats go (tests send through it as the bot would). */
  readonly embeddedDelivery: BotDelivery;
  readonly timings: { readonly contentMs: number; readonly trainMs: number };
}

/**
 * The composition root: the one place concrete classes are built and wired, in the order they
 * depend on each other (no class is handed something built after it). main.ts, the terminal chat
 * and the tests all assemble the bot here, so they run the same code.
 *
 * Whatever reads the content (recogniser, engine, reply policy, handoff turns, router) is built
 * per generation by `serve`; everything else is built once and reaches the current generation
 * through `live.current`, read once per turn or per agent action. The queue is the one part built
 * before what it calls: every generation's router reports to it, and it reaches the handoff turns
 * of whichever generation is current when an agent acts.
 */
export function assemble(config: Config, logger: Logger, storage: StorageBackend, now: () => number = Date.now): Assembly {
  const store = new ConversationStore<ConversationState>(storage.state, initialState);
  const today = () => new Date(now());
  const redact = redactorFor(config);
  const transcript = new Transcript(storage.transcripts, today, redact, new TypedLines());
  const turns = new OrderedTurns(store, transcript, logger);
  const accounts = new AgentAccounts(storage.agents, { sessionMs: config.AGENT_SESSION_HOURS * 3600 * 1000, now });
  const failures = new FailureLimit({
    maxFailures: config.AGENT_AUTH_MAX_FAILURES,
    windowMs: config.AGENT_AUTH_WINDOW_SECONDS * 1000,
    maxTracked: config.AGENT_AUTH_TRACKED,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    now,
  });
  const agents = limitedDirectory(agentDirectories(configuredAgents(config.AGENT_TOKENS), accounts), failures);
  const presence = new PresenceBoard({ records: storage.presence, offlineAfterMs: config.AGENT_OFFLINE_AFTER_SECONDS * 1000, now: today });
  // The queue outlives generations; an agent's action goes to the handoff turns of the content serving it.
  const handoffNow = () => live.current.built.handoff;
  const queue = new HandoffQueue({
    cases: storage.cases,
    transcripts: { read: (address, options) => transcript.forAgent(address, options) },
    conversations: {
      accept: (address, agent) => handoffNow().accept(address, agent),
      agentSaid: (address, agent, text) => handoffNow().agentSaid(address, agent, text),
      handBack: (address, agent, how) => handoffNow().handBack(address, agent, how),
    },
    now: today,
  });
  // Built once, outside `serve`: its batch of events must outlive a content reload.
  const recorder = config.INSIGHTS_ENABLED ? new InsightRecorder(storage.events, logger, redact) : undefined;
  const serve = (content: Content): Served => {
    const recognizer = buildRecognizer(content, {
      ...content.recognizer,
      ...(config.NLU_THRESHOLD !== undefined ? { threshold: config.NLU_THRESHOLD } : {}),
      ...(config.NLU_AMBIGUITY_MARGIN !== undefined ? { ambiguityMargin: config.NLU_AMBIGUITY_MARGIN } : {}),
    });
    const recognize = cachedRecognize((text) => recognizer.recognize(text), config.NLU_CACHE_SIZE);
    const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
    const choiceReader = new ChoiceReader(content);
    const mood = buildMoodReader(content);
    const conversation = new Conversation({ content, engine, recognize, readChoice: (choices, text) => choiceReader.read(choices, text), reportsDoing: (choices, text) => choiceReader.reportsDoing(choices, text), asksAbout: (step, text) => choiceReader.asksAbout(step, text), linesAsked: (answer, text) => choiceReader.linesAsked(answer, text), linesTold: (answer, text) => choiceReader.linesTold(answer, text), tellsAbout: (step, text) => choiceReader.tellsAbout(step, text), upset: (text) => mood.upset(text), bareAnswer: (text) => choiceReader.bareAnswer(text), acknowledges: (text) => choiceReader.acknowledges(text), redact });
    const handoff = new HandoffTurns({ content, conversation, turns, transcript, queueTimeoutMs: config.HANDOFF_QUEUE_TIMEOUT_SECONDS * 1000, now: today, ...(recorder ? { insights: recorder } : {}) });
    const bot = new SupportBot({
      content,
      recognize,
      conversation,
      turns,
      transcript,
      handoff,
      queue,
      people: async (turn) => {
        // A hub answers for its own agents. Agents listed in AGENT_USER_IDS answer in the shared Teams
        // chats they are members of; knowing whether they are there would need Graph's presence API
        // (Presence.Read.All, an admin-consented permission this bot does not ask for), so they count
        // as always available (README: "Presence and left messages").
        if (config.HANDOFF_HUB_CHANNELS.includes(turn.channelId)) return 'now';
        if (config.AGENT_USER_IDS.length > 0 && turn.channel === 'teams' && turn.scope !== 'personal') return 'now';
        // Console agents, configured or in the store: online now, or able to answer a message later.
        if (await presence.anyoneAvailable()) return 'now';
        return config.AGENT_TOKENS.length > 0 || (await accounts.any()) ? 'later' : 'nobody';
      },
      logger,
      ...(recorder ? { insights: recorder } : {}),
      maxMessageChars: config.MAX_MESSAGE_CHARS,
      maxUploadBytes: config.UPLOAD_MAX_BYTES,
      now: today,
    });
    return { recognizer, bot, handoff };
  };
  const live = new LiveContent({
    root: config.CONTENT_DIR,
    build: serve,
    logger,
    debounceMs: config.CONTENT_RELOAD_DEBOUNCE_MS,
    pollMs: config.CONTENT_RELOAD_POLL_MS,
  });
  const bot: BotPort = {
    handle: (turn) => live.current.built.bot.handle(turn),
    reset: (address) => live.current.built.bot.reset(address),
    referenceOf: (address) => live.current.built.bot.referenceOf(address),
  };
  // An assignment from the inbox is reloaded at once, so the agent sees whether the content took it.
  const insights = recorder ? insightService(config, storage, recorder, () => live.current.content, today, () => live.reload()) : undefined;
  const gate = new TurnGate();
  const kept = new KeptConversations({ store: storage.directLine, limits: directLineLimits(config), logger, now, redact });
  const embeddedDelivery = new BotDelivery(kept, logger, now);
  const phrases = {
    get turnFailed() {
      return live.current.content.phrases.turnFailed;
    },
    get storageFailed() {
      return live.current.content.phrases.storageFailed;
    },
    get helpfulChoice() {
      return live.current.content.phrases.helpfulChoice;
    },
    get notHelpfulChoice() {
      return live.current.content.phrases.notHelpfulChoice;
    },
  };
  const pictures = new PictureKeeper(storage.uploads, today);
  const channel = new BotChannel({ config, bot, logger, phrases, embeddedSink: embeddedDelivery, pictures });
  const webChat: WebChatBackend = config.DIRECT_LINE_SECRET
    ? { mode: 'azure', secret: config.DIRECT_LINE_SECRET, domain: config.DIRECT_LINE_DOMAIN }
    : {
        mode: 'embedded',
        directLine: new DirectLineService({
          bot: { process: (activity) => gate.run(() => channel.processEmbedded(activity)) },
          kept,
          limits: directLineLimits(config),
          logger,
          now,
        }),
      };
  const server = createApp({
    logger,
    gate,
    messages: { channel, allowRemoteUnauthenticated: config.ALLOW_REMOTE_UNAUTHENTICATED, trustProxyHops: config.TRUST_PROXY_HOPS },
    storageHealthy: () => store.healthy(),
    streamBufferBytes: config.DIRECT_LINE_STREAM_BUFFER_BYTES,
    webChat,
    maxBodyBytes: config.MAX_BODY_BYTES,
    maxUploadBytes: config.UPLOAD_MAX_BYTES,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    // Always there, so a first agent added with `npm run agents` signs in without a restart.
    agentConsole: { agents, queue, outbox: channel, catalog: handBackCatalog(() => live.current.content) },
    agentSignIn: { accounts, failures, now, ...(config.AGENT_OIDC_ISSUER ? { oidc: oidcSettings(config, config.AGENT_OIDC_ISSUER) } : {}) },
    agentPresence: { agents, presence },
    agentAttachments: { agents, pictures: storage.uploads },
    ...(insights ? { agentInsights: { agents, desk: insights, topics: handBackCatalog(() => live.current.content).topics } } : {}),
  });
  const { validateMs, trainMs } = live.current;
  return {
    get content() {
      return live.current.content;
    },
    get recognizer() {
      return live.current.built.recognizer;
    },
    bot,
    live,
    queue,
    channel,
    gate,
    server,
    webChat,
    embeddedDelivery,
    timings: { contentMs: validateMs, trainMs },
  };
}

const directLineLimits = (config: Config) => ({
  tokenTtlSeconds: config.DIRECT_LINE_TOKEN_TTL_SECONDS,
  resumeSeconds: config.WEB_CHAT_RESUME_DAYS * 86_400,
  maxMessageChars: config.MAX_MESSAGE_CHARS,
  maxConversations: config.DIRECT_LINE_MAX_CONVERSATIONS,
  maxPending: config.DIRECT_LINE_MAX_PENDING,
  maxConversationBytes: config.DIRECT_LINE_MAX_CONVERSATION_BYTES,
  maxTotalBytes: config.DIRECT_LINE_MAX_TOTAL_BYTES,
  maxStreams: config.DIRECT_LINE_MAX_STREAMS,
  maxUploadBytes: config.UPLOAD_MAX_BYTES,
});

/**
 * Insights and the inbox over the store's event log; an assignment edits CONTENT_DIR's kb/ files,
 * then `afterEdit` (the running bot's reload; the terminal's inbox leaves it to the bot's watch).
 */
export function insightService(
  config: Config,
  storage: StorageBackend,
  recorder: InsightRecorder,
  content: () => Content,
  now: () => Date,
  afterEdit: () => Promise<unknown> = async () => undefined,
): InsightService {
  return new InsightService({
    events: storage.events,
    recorder,
    catalog: handBackCatalog(content),
    appendExamples: async (topic, examples) => {
      const edited = await appendExamples(config.CONTENT_DIR, topic, examples);
      await afterEdit();
      return edited;
    },
    abandonAfterMs: config.INSIGHTS_ABANDON_AFTER_MINUTES * 60_000,
    now,
  });
}

/** Config requires the client id and public URL with the issuer. */
const oidcSettings = (config: Config, issuer: string) => ({
  issuer,
  clientId: config.AGENT_OIDC_CLIENT_ID ?? '',
  publicBaseUrl: config.PUBLIC_BASE_URL ?? '',
  ...(config.AGENT_OIDC_CLIENT_SECRET ? { clientSecret: config.AGENT_OIDC_CLIENT_SECRET } : {}),
});

/**
 * The console's hand-back choices, from the content current when an agent asks: the getters are
 * read when the route serialises the catalog, so a reload shows at the next request.
 */
const handBackCatalog = (content: () => Content) => ({
  get topics() {
    return content()
      .intents.filter((intent) => !intent.action)
      .map((intent) => ({ id: intent.id, title: intent.title, answer: intent.answer }));
  },
  get trees() {
    return [...content().trees.values()].map((tree) => ({ id: tree.id, title: tree.title, nodes: Object.keys(tree.nodes) }));
  },
});
