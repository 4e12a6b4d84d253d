import path from 'node:path';
import type { Logger } from 'pino';
import { SupportBot } from './bot/supportBot.js';
import { initialState, type ConversationState } from './bot/state.js';
import { BotChannel } from './channels/botAdapter.js';
import { EmbeddedDirectLine } from './channels/directline/embeddedDirectLine.js';
import { DirectLineTokens } from './channels/directline/tokens.js';
import { openBlobStorage } from './channels/storage.js';
import type { Config } from './config.js';
import { loadContent } from './content/load.js';
import type { Content } from './content/types.js';
import { DialogEngine } from './dialogs/engine.js';
import { ChoiceReader } from './nlu/choiceReader.js';
import { HandoffHub } from './handoff/hub.js';
import { cachedRecognize } from './nlu/cache.js';
import { buildRecognizer } from './nlu/fromContent.js';
import type { Recognizer } from './nlu/recognizer.js';
import { createApp } from './server/app.js';
import type { WebChatBackend } from './server/webChat.js';
import type { StorageBackend } from './storage/backend.js';
import { ConversationStore } from './storage/conversationStore.js';
import { IN_MEMORY, openSqliteStorage } from './storage/sqlite.js';

export interface Assembly {
  readonly content: Content;
  readonly bot: SupportBot;
  readonly recognizer: Recognizer;
  readonly hub: HandoffHub;
  /** The botbuilder seam; main.ts drains its turns on shutdown. */
  readonly channel: BotChannel;
  readonly server: ReturnType<typeof createApp>;
  /** The Web Chat page's Direct Line backend (embedded unless DIRECT_LINE_SECRET is set). */
  readonly webChat: WebChatBackend;
  readonly timings: { readonly contentMs: number; readonly trainMs: number };
}

/** The storage STORAGE names; the file store's database is DATA_DIR/bot.sqlite. */
export function openStorage(config: Config): Promise<StorageBackend> {
  switch (config.STORAGE) {
    case 'memory':
      return Promise.resolve(openSqliteStorage(IN_MEMORY));
    case 'file':
      return Promise.resolve(openSqliteStorage(path.join(config.DATA_DIR, 'bot.sqlite')));
    case 'blob':
      return openBlobStorage({
        connectionString: config.BLOB_CONNECTION_STRING,
        stateContainer: config.BLOB_CONTAINER,
        transcriptContainer: config.BLOB_TRANSCRIPT_CONTAINER,
      });
  }
}

/**
 * The composition root: the one place concrete classes are built and wired. main.ts, the
 * terminal chat and the tests all assemble the bot here, so they run the same code.
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
  const choiceReader = new ChoiceReader(content);
  const hub = new HandoffHub({
    outbox: { send: (conversationId, messages) => channel.send(conversationId, messages) },
    cases: storage.cases,
    transcripts: storage.transcripts,
  });
  const bot = new SupportBot({
    content,
    engine,
    recognize,
    readChoice: (choices, text) => choiceReader.read(choices, text),
    store: new ConversationStore<ConversationState>(storage.state, initialState),
    logger,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    handoffQueueTimeoutMs: config.HANDOFF_QUEUE_TIMEOUT_SECONDS * 1000,
    transcripts: storage.transcripts,
    ...(config.AGENT_TOKEN ? { desk: hub } : {}),
  });
  hub.attach(bot);
  const channel: BotChannel = new BotChannel({ config, bot, logger, turnFailedText: content.phrases.turnFailed });
  const webChat: WebChatBackend = config.DIRECT_LINE_SECRET
    ? { mode: 'azure', secret: config.DIRECT_LINE_SECRET, domain: config.DIRECT_LINE_DOMAIN }
    : {
        mode: 'embedded',
        directLine: new EmbeddedDirectLine({ bot: channel, tokens: new DirectLineTokens({ ttlSeconds: config.DIRECT_LINE_TOKEN_TTL_SECONDS, now }), logger, now }),
      };
  const server = createApp({
    logger,
    messages: channel,
    webChat,
    agentConsole: { ...(config.AGENT_TOKEN ? { token: config.AGENT_TOKEN } : {}), hub, catalog: handBackCatalog(content) },
  });
  return { content, bot, recognizer, hub, channel, server, webChat, timings: { contentMs: t1 - t0, trainMs: t2 - t1 } };
}

const handBackCatalog = (content: Content) => ({
  topics: content.intents.filter((intent) => !intent.action).map((intent) => ({ id: intent.id, title: intent.title })),
  trees: [...content.trees.values()].map((tree) => ({ id: tree.id, title: tree.title, nodes: Object.keys(tree.nodes) })),
});
