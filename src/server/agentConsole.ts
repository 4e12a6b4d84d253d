import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import { z } from 'zod';
import { AppError, firstIssueOf } from '../errors.js';
import type { ConversationAddress, Message } from '../channels/botChannel.js';
import { asAgent, type AgentDirectory, type AgentHandler } from './agentAuth.js';
import { consoleFiles } from './consoleFiles.js';
import { jsonRoute } from './errors.js';

export interface HandBackCatalog {
  /** The topics an agent can hand back to, or send the answer of from the console's picker. */
  readonly topics: readonly { id: string; title: string; answer: string }[];
  readonly trees: readonly { id: string; title: string; nodes: readonly string[] }[];
}

interface ConsoleLine {
  readonly from: 'customer' | 'bot' | 'agent';
  readonly text: string;
  readonly at: string;
}

/** A case as the console lists it (the queue's records carry more; the console shows these). */
export interface ConsoleCase extends ConversationAddress {
  readonly id: string;
  readonly status: string;
  readonly requestedAt: string;
  readonly acceptedAt?: string;
  readonly closedAt?: string;
  readonly agent?: string;
  readonly context: { readonly reason: string; readonly topic?: string };
  readonly customer?: { readonly name?: string; readonly firstWords?: string };
  /** Nobody was online when the customer asked: the message they left for whoever comes online. */
  readonly leftMessage?: { readonly text: string; readonly at: string; readonly parts: number };
  readonly lastLine?: ConsoleLine;
}

/**
 * The agent queue, as the console drives it (src/handoff/queue.ts implements it). Each action
 * returns what the customer must be told; the console sends it through the outbox.
 */
export interface ConsoleQueue {
  list(): Promise<readonly ConsoleCase[]>;
  get(id: string): Promise<ConsoleCase & { readonly lines: readonly ConsoleLine[] }>;
  accept(id: string, agent: string): Promise<{ view: ConsoleCase; tell: readonly Message[] }>;
  say(id: string, agent: string, text: string): Promise<readonly Message[]>;
  handBack(id: string, agent: string, how: HandBackOrder | { readonly mode: 'close' }): Promise<readonly Message[]>;
}

export interface AgentConsoleOptions {
  /** Whoever presents a token acts as its owner, whatever a body says. */
  readonly agents: AgentDirectory;
  readonly queue: ConsoleQueue;
  /** Sends to the customer outside a turn (the channel's proactive send). */
  readonly outbox: { send(address: ConversationAddress, messages: readonly Message[]): Promise<void> };
  readonly catalog: HandBackCatalog;
  readonly logger: Logger;
}

const modules = createRequire(import.meta.url);
/**
 * The browser builds of the markdown renderer and the sanitiser, served from node_modules like the
 * page itself (no CDN: the machine may be offline). Neither package exports these paths.
 */
const VENDOR = {
  'marked.js': join(dirname(modules.resolve('marked/package.json')), 'lib', 'marked.umd.js'),
  'purify.js': join(dirname(modules.resolve('dompurify')), 'purify.min.js'),
};

/** Topics the picker lists at once: a page of choices, whatever the size of the knowledge base. */
const MAX_ANSWERS = 10;
const messageBody = z.object({ text: z.string().trim().min(1).max(4000) });
const answersQuery = z.object({ q: z.string().max(200).default('') });
type HandBackOrder = z.infer<typeof handBackBody>;
const handBackBody = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('plain') }),
  z.object({ mode: z.literal('topic'), topic: z.string().min(1).max(200) }),
  z.object({ mode: z.literal('node'), tree: z.string().min(1).max(200), node: z.string().min(1).max(200) }),
]);

/**
 * The agent console: a page at /agent and a JSON API under /api/agent, the API behind the agents'
 * bearer tokens (an account's token or console session, or AGENT_TOKENS).
 */
export function mountAgentConsole(server: Server, options: AgentConsoleOptions): void {
  const { queue, outbox, catalog } = options;
  const route = jsonRoute(options.logger);
  const agentRoute = (handler: AgentHandler) => route(asAgent(options.agents, handler));
  const titles = new Map(catalog.topics.map((topic) => [topic.id, topic.title]));
  const deliver = async (address: ConversationAddress, tell: readonly Message[]) => {
    if (tell.length > 0) await outbox.send(address, tell);
  };
  const serve = consoleFiles(server, options.logger);
  serve('/agent', 'index.html');
  serve('/agent/console.js', 'console.js');
  // The console, inbox and insights pages' shared sign-in and API calls; the console is always mounted.
  serve('/agent/session.js', 'session.js');
  serve('/agent/console.css', 'console.css');
  for (const [name, file] of Object.entries(VENDOR)) serve(`/agent/vendor/${name}`, file);

  server.get('/api/agent/me', agentRoute(async (_req, res, agent) => void res.send(200, { name: agent })));
  server.get(
    '/api/agent/catalog',
    agentRoute(async (_req, res) => void res.send(200, { topics: catalog.topics.map(({ id, title }) => ({ id, title })), trees: catalog.trees })),
  );
  server.get(
    '/api/agent/answers',
    agentRoute(async (req, res) => {
      const { q } = parse(answersQuery, Object.fromEntries(new URL(req.url ?? '/', 'http://console').searchParams));
      res.send(200, { answers: searchAnswers(catalog, q) });
    }),
  );
  server.get(
    '/api/agent/queue',
    agentRoute(async (_req, res, agent) => {
      const cases = [...(await queue.list())].sort(forAgent(agent)).map((item) => listing(item, titles));
      // The page counts waiting time from the server's clock, so a wrong clock on the agent's machine does not skew it.
      res.send(200, { now: new Date().toISOString(), conversations: cases });
    }),
  );
  server.get(
    '/api/agent/conversations/:id',
    agentRoute(async (req, res) => {
      const item = await queue.get(String(req.params.id));
      res.send(200, { ...item, ...listing(item, titles), lines: item.lines.map((line) => ({ ...line, speaker: speakerOf(item, line) })) });
    }),
  );
  server.post(
    '/api/agent/conversations/:id/accept',
    agentRoute(async (req, res, agent) => {
      const { view, tell } = await queue.accept(String(req.params.id), agent);
      await deliver(view, tell);
      res.send(200, view);
    }),
  );
  server.post(
    '/api/agent/conversations/:id/messages',
    agentRoute(async (req, res, agent) => {
      const { text } = parse(messageBody, req.body);
      const view = await queue.get(String(req.params.id));
      await deliver(view, await queue.say(view.id, agent, text));
      res.send(202, { status: 'sent' });
    }),
  );
  server.post(
    '/api/agent/conversations/:id/handback',
    agentRoute(async (req, res, agent) => {
      const how = parse(handBackBody, req.body);
      const view = await queue.get(String(req.params.id));
      await deliver(view, await queue.handBack(view.id, agent, how));
      res.send(200, { status: 'handed back' });
    }),
  );
  server.post(
    '/api/agent/conversations/:id/close',
    agentRoute(async (req, res, agent) => {
      const view = await queue.get(String(req.params.id));
      await deliver(view, await queue.handBack(view.id, agent, { mode: 'close' }));
      res.send(200, { status: 'closed' });
    }),
  );
}

/** The agent's own chats first, then customers still waiting, longest wait first; then the rest. */
function forAgent(agent: string) {
  const rank = (item: ConsoleCase) => (item.status === 'accepted' && item.agent === agent ? 0 : item.status === 'queued' ? 1 : item.status === 'accepted' ? 2 : 3);
  return (a: ConsoleCase, b: ConsoleCase) =>
    rank(a) - rank(b) || (rank(a) === 3 ? (b.closedAt ?? '').localeCompare(a.closedAt ?? '') : a.requestedAt.localeCompare(b.requestedAt));
}

const listing = (item: ConsoleCase, titles: ReadonlyMap<string, string>) => ({
  id: item.id,
  channelId: item.channelId,
  conversationId: item.conversationId,
  status: item.status,
  requestedAt: item.requestedAt,
  acceptedAt: item.acceptedAt,
  closedAt: item.closedAt,
  agent: item.agent,
  customer: customerLabel(item),
  firstWords: item.customer?.firstWords,
  reason: item.context.reason,
  topic: item.context.topic,
  topicTitle: item.context.topic ? (titles.get(item.context.topic) ?? item.context.topic) : undefined,
  leftMessage: item.leftMessage,
  lastLine: item.lastLine,
});

const CHANNEL_PEOPLE: Readonly<Record<string, string>> = { webchat: 'Web chat visitor', directline: 'Web chat visitor', msteams: 'Teams user' };

/**
 * A name the channel vouched for, else the channel and a short tag that tells two visitors apart
 * (a digest, so it reveals nothing of the conversation id an agent could use elsewhere).
 */
function customerLabel(item: ConsoleCase): string {
  if (item.customer?.name) return item.customer.name;
  const tag = createHash('sha256').update(item.id).digest('hex').slice(0, 6);
  return `${CHANNEL_PEOPLE[item.channelId] ?? item.channelId} ${tag}`;
}

/**
 * The transcript keeps who spoke (customer, bot, agent) but not which agent: within a case only the
 * agent who accepted it can write, so their name labels the agent lines from the moment they accepted.
 */
function speakerOf(item: ConsoleCase, line: ConsoleLine): string {
  if (line.from === 'customer') return 'Customer';
  if (line.from === 'bot') return 'Bot';
  return item.agent && item.acceptedAt && line.at >= item.acceptedAt ? item.agent : 'Agent';
}

/** Topics whose title has every word of the query (any order, any case), titles A to Z. */
function searchAnswers(catalog: HandBackCatalog, query: string) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return catalog.topics
    .filter((topic) => words.every((word) => topic.title.toLowerCase().includes(word)))
    .sort((a, b) => a.title.localeCompare(b.title))
    .slice(0, MAX_ANSWERS)
    .map(({ id, title, answer }) => ({ id, title, answer }));
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new AppError('ERR_REQUEST_INVALID', firstIssueOf(parsed.error, 'invalid body'));
}
