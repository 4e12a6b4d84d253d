import type { Logger } from 'pino';
import { SupportBot } from './bot/supportBot.js';
import { initialState, type ConversationState } from './bot/state.js';
import { BotChannel } from './channels/botAdapter.js';
import { createMemoryStorage } from './channels/storage.js';
import type { Config } from './config.js';
import { loadContent } from './content/load.js';
import type { Content } from './content/types.js';
import { DialogEngine } from './dialogs/engine.js';
import { HandoffHub } from './handoff/hub.js';
import { buildRecognizer } from './nlu/fromContent.js';
import type { Recognizer } from './nlu/recognizer.js';
import { createApp } from './server/app.js';
import { ConversationStore, type KeyValueStorage } from './storage/conversationStore.js';

export interface Assembly {
  readonly content: Content;
  readonly bot: SupportBot;
  readonly recognizer: Recognizer;
  readonly hub: HandoffHub;
  readonly server: ReturnType<typeof createApp>;
  readonly timings: { readonly contentMs: number; readonly trainMs: number };
}

/**
 * The composition root: the one place concrete classes are built and wired. main.ts, the
 * terminal chat and the tests all assemble the bot here, so they run the same code.
 */
export function assemble(config: Config, logger: Logger, storage: KeyValueStorage = createMemoryStorage()): Assembly {
  const t0 = performance.now();
  const content = loadContent(config.CONTENT_DIR);
  const t1 = performance.now();
  const recognizer = buildRecognizer(content, {
    ...content.recognizer,
    ...(config.NLU_THRESHOLD !== undefined ? { threshold: config.NLU_THRESHOLD } : {}),
    ...(config.NLU_AMBIGUITY_MARGIN !== undefined ? { ambiguityMargin: config.NLU_AMBIGUITY_MARGIN } : {}),
  });
  const t2 = performance.now();
  const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
  const hub = new HandoffHub({ send: (conversationId, messages) => channel.send(conversationId, messages) });
  const bot = new SupportBot({
    content,
    engine,
    recognize: (text) => recognizer.recognize(text),
    store: new ConversationStore<ConversationState>(storage, initialState),
    logger,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    handoffQueueTimeoutMs: config.HANDOFF_QUEUE_TIMEOUT_SECONDS * 1000,
    ...(config.AGENT_TOKEN ? { desk: hub } : {}),
  });
  hub.attach(bot);
  const channel: BotChannel = new BotChannel({ config, bot, logger, turnFailedText: content.phrases.turnFailed });
  const server = createApp({
    logger,
    messages: channel,
    agentConsole: { ...(config.AGENT_TOKEN ? { token: config.AGENT_TOKEN } : {}), hub, catalog: handBackCatalog(content) },
  });
  return { content, bot, recognizer, hub, server, timings: { contentMs: t1 - t0, trainMs: t2 - t1 } };
}

const handBackCatalog = (content: Content) => ({
  topics: content.intents.filter((intent) => !intent.action).map((intent) => ({ id: intent.id, title: intent.title })),
  trees: [...content.trees.values()].map((tree) => ({ id: tree.id, title: tree.title, nodes: Object.keys(tree.nodes) })),
});
