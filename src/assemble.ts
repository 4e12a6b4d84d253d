import path from 'node:path';
import type { Logger } from 'pino';
import { Conversation } from './bot/conversation.js';
import { HandoffTurns } from './bot/handoffTurns.js';
import { OrderedTurns } from './bot/orderedTurn.js';
import { SupportBot } from './bot/supportBot.js';
import { Transcript } from './bot/transcript.js';
import { initialState, type ConversationState } from './bot/state.js';
import { BotChannel } from './channels/botChannel.js';
import type { Config } from './config.js';
import { loadContent } from './content/load.js';
import type { Content } from './content/types.js';
import { KeptConversations } from './directline/conversations.js';
import { BotDelivery } from './directline/delivery.js';
import { DirectLineService } from './directline/service.js';
import { DialogEngine } from './dialogs/engine.js';
import { HandoffQueue } from './handoff/queue.js';
import { InsightRecorder } from './insights/recorder.js';
import { InsightService } from './insights/service.js';
import { appendExamples } from './content/edit.js';
import { ChoiceReader } from './nlu/choiceReader.js';
import { cachedRecognize } from './nlu/cache.js';
import { buildRecognizer } from './nlu/fromContent.js';
import type { Recognizer } from './nlu/recognizer.js';
import { createApp } from './server/app.js';
import { configuredAgents } from './server/agentAuth.js';
import { TurnGate } from './server/turnGate.js';
import type { WebChatBackend } from './server/webChat.js';
import type { StorageBackend } from './storage/backend.js';
import { ConversationStore } from './storage/conversationStore.js';
import { IN_MEMORY, openSqliteStorage } from './storage/sqlite/openSqliteStorage.js';

/**
 * The storage STORAGE names; the file store's database is DATA_DIR/bot.sqlite. The blob backend
 * and @azure/storage-blob are imported only when chosen: loading them costs start-up time that
 * every memory- or file-store instance would otherwise pay.
 */
export async function openStorage(config: Config): Promise<StorageBackend> {
  switch (config.STORAGE) {
    case 'memory':
      return openSqliteStorage(IN_MEMORY);
    case 'file':
      return openSqliteStorage(path.join(config.DATA_DIR, 'bot.sqlite'));
    case 'blob': {
      const { openBlobStorage } = await import('./storage/blob/openBlobStorage.js');
      return openBlobStorage({
        connectionString: config.BLOB_CONNECTION_STRING,
        stateContainer: config.BLOB_CONTAINER,
        transcriptContainer: config.BLOB_TRANSCRIPT_CONTAINER,
      });
    }
  }
}

export interface Assembly {
  readonly content: Content;
  readonly bot: SupportBot;
  readonly recognizer: Recognizer;
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
 */
export function assemble(config: Config, logger: Logger, storage: StorageBackend, now: () => number = Date.now): Assembly {
  const t0 = performance.now();
  const content = loadContent(config.CONTENT_DIR);
  const t1 = performance.now();
  const recognizer = buildRecognizer(content, {
    ...content.recognizer,
    ...(config.NLU_THRESHOLD !== undefined ? { threshold: config.NLU_THRESHOLD } : {}),
    ...(config.NLU_AMBIGUITY_MARGIN !== undefined ? { ambiguityMargin: config.NLU_AMBIGUITY_MARGIN } : {}),
  });
  const t2 = performance.now();
  const recognize = cachedRecognize((text) => recognizer.recognize(text), config.NLU_CACHE_SIZE);
  const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
  const store = new ConversationStore<ConversationState>(storage.state, initialState);
  const today = () => new Date(now());
  const transcript = new Transcript(storage.transcripts, today);
  const turns = new OrderedTurns(store, transcript, logger);
  const choiceReader = new ChoiceReader(content);
  const conversation = new Conversation({ content, engine, recognize, readChoice: (choices, text) => choiceReader.read(choices, text) });
  const handoff = new HandoffTurns({ content, conversation, turns, transcript, queueTimeoutMs: config.HANDOFF_QUEUE_TIMEOUT_SECONDS * 1000, now: today });
  const queue = new HandoffQueue({ cases: storage.cases, transcripts: storage.transcripts, conversations: handoff, now: today });
  const consoleEnabled = config.AGENT_TOKENS.length > 0;
  const recorder = config.INSIGHTS_ENABLED ? new InsightRecorder(storage.events, logger) : undefined;
  const bot = new SupportBot({
    content,
    recognize,
    conversation,
    turns,
    transcript,
    handoff,
    // Cases are reported only where an agent can see them: with the console enabled.
    ...(consoleEnabled ? { queue } : {}),
    peopleReachable: (turn) =>
      consoleEnabled ||
      config.HANDOFF_HUB_CHANNELS.includes(turn.channelId) ||
      // Agents listed in AGENT_USER_IDS answer in the shared Teams chats they are members of.
      (config.AGENT_USER_IDS.length > 0 && turn.channel === 'teams' && turn.scope !== 'personal'),
    logger,
    ...(recorder ? { insights: recorder } : {}),
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    now: today,
  });
  const insights = recorder ? insightService(config, storage, recorder, content, today) : undefined;
  const gate = new TurnGate();
  const kept = new KeptConversations({ store: storage.directLine, limits: directLineLimits(config), logger, now });
  const embeddedDelivery = new BotDelivery(kept, logger, now);
  const channel = new BotChannel({ config, bot, logger, phrases: content.phrases, embeddedSink: embeddedDelivery });
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
    messages: { channel, allowRemoteUnauthenticated: config.ALLOW_REMOTE_UNAUTHENTICATED },
    storageHealthy: () => store.healthy(),
    streamBufferBytes: config.DIRECT_LINE_STREAM_BUFFER_BYTES,
    webChat,
    maxBodyBytes: config.MAX_BODY_BYTES,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    ...(consoleEnabled ? { agentConsole: { agents: configuredAgents(config.AGENT_TOKENS), queue, outbox: channel, catalog: handBackCatalog(content) } } : {}),
    ...(consoleEnabled && insights ? { agentInsights: { agents: configuredAgents(config.AGENT_TOKENS), desk: insights, topics: handBackCatalog(content).topics } } : {}),
  });
  return { content, bot, recognizer, queue, channel, gate, server, webChat, embeddedDelivery, timings: { contentMs: t1 - t0, trainMs: t2 - t1 } };
}

const directLineLimits = (config: Config) => ({
  tokenTtlSeconds: config.DIRECT_LINE_TOKEN_TTL_SECONDS,
  maxMessageChars: config.MAX_MESSAGE_CHARS,
  maxConversations: config.DIRECT_LINE_MAX_CONVERSATIONS,
  maxPending: config.DIRECT_LINE_MAX_PENDING,
  maxConversationBytes: config.DIRECT_LINE_MAX_CONVERSATION_BYTES,
  maxTotalBytes: config.DIRECT_LINE_MAX_TOTAL_BYTES,
  maxStreams: config.DIRECT_LINE_MAX_STREAMS,
});

/**
 * Insights and the inbox over the store's event log; an assignment edits CONTENT_DIR's kb/ files
 * (the running bot picks the examples up when content is reloaded).
 */
export function insightService(config: Config, storage: StorageBackend, recorder: InsightRecorder, content: Content, now: () => Date): InsightService {
  const catalog = handBackCatalog(content);
  return new InsightService({
    events: storage.events,
    recorder,
    catalog: { topics: catalog.topics, trees: catalog.trees },
    appendExamples: async (topic, examples) => appendExamples(config.CONTENT_DIR, topic, examples),
    abandonAfterMs: config.INSIGHTS_ABANDON_AFTER_MINUTES * 60_000,
    now,
  });
}

const handBackCatalog = (content: Content) => ({
  topics: content.intents.filter((intent) => !intent.action).map((intent) => ({ id: intent.id, title: intent.title })),
  trees: [...content.trees.values()].map((tree) => ({ id: tree.id, title: tree.title, nodes: Object.keys(tree.nodes) })),
});
