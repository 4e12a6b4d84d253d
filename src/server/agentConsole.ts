import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import { z } from 'zod';
import { AppError, firstIssueOf } from '../errors.js';
import type { ConversationAddress, Message } from '../channels/botChannel.js';
import { asAgent, type AgentDirectory, type AgentHandler } from './agentAuth.js';
import { jsonRoute } from './errors.js';

export interface HandBackCatalog {
  readonly topics: readonly { id: string; title: string }[];
  readonly trees: readonly { id: string; title: string; nodes: readonly string[] }[];
}

/** A case as the console lists it (the queue's records carry more; the console shows these). */
export interface ConsoleCase extends ConversationAddress {
  readonly id: string;
  readonly status: string;
  readonly requestedAt: string;
  readonly agent?: string;
  readonly context: { readonly reason: string; readonly topic?: string };
  readonly lastLine?: { readonly from: string; readonly text: string; readonly at: string };
}

/**
 * The agent queue, as the console drives it (src/handoff/queue.ts implements it). Each action
 * returns what the customer must be told; the console sends it through the outbox.
 */
export interface ConsoleQueue {
  list(): Promise<readonly ConsoleCase[]>;
  get(id: string): Promise<ConsoleCase>;
  accept(id: string, agent: string): Promise<{ view: ConsoleCase; tell: readonly Message[] }>;
  say(id: string, agent: string, text: string): Promise<readonly Message[]>;
  handBack(id: string, agent: string, how: HandBackOrder): Promise<readonly Message[]>;
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

/** public/ sits at the project root, two levels above both src/server and dist/server. */
const PAGES = new URL('../../public/agent/', import.meta.url);
export const SECURITY_HEADERS = {
  // The page's one script is its own file; its styles are inline in the page.
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const messageBody = z.object({ text: z.string().trim().min(1).max(4000) });
type HandBackOrder = z.infer<typeof handBackBody>;
const handBackBody = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('plain') }),
  z.object({ mode: z.literal('topic'), topic: z.string().min(1).max(200) }),
  z.object({ mode: z.literal('node'), tree: z.string().min(1).max(200), node: z.string().min(1).max(200) }),
]);

/**
 * The agent console: a page at /agent and a JSON API under /api/agent, both behind the agents'
 * bearer tokens (AGENT_TOKENS). Without agents configured the console does not exist (404).
 */
export function mountAgentConsole(server: Server, options: AgentConsoleOptions): void {
  const { queue, outbox, catalog } = options;
  const route = jsonRoute(options.logger);
  const page = readFileSync(new URL('index.html', PAGES));
  const script = readFileSync(new URL('console.js', PAGES));
  const agentRoute = (handler: AgentHandler) => route(asAgent(options.agents, handler));
  const deliver = async (address: ConversationAddress, tell: readonly Message[]) => {
    if (tell.length > 0) await outbox.send(address, tell);
  };
  const sendFile = (bytes: Buffer, type: string) =>
    route(async (_req, res) => {
      res.writeHead(200, { 'content-type': type, 'content-length': bytes.length, ...SECURITY_HEADERS });
      res.end(bytes);
    });

  server.get('/agent', sendFile(page, 'text/html; charset=utf-8'));
  server.get('/agent/console.js', sendFile(script, 'text/javascript; charset=utf-8'));
  server.get('/api/agent/me', agentRoute(async (_req, res, agent) => void res.send(200, { name: agent })));
  server.get('/api/agent/catalog', agentRoute(async (_req, res) => void res.send(200, catalog)));
  server.get('/api/agent/queue', agentRoute(async (_req, res) => void res.send(200, { conversations: (await queue.list()).map(listing) })));
  server.get('/api/agent/conversations/:id', agentRoute(async (req, res) => void res.send(200, await queue.get(String(req.params.id)))));
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
}

const listing = (item: ConsoleCase) => ({
  id: item.id,
  channelId: item.channelId,
  conversationId: item.conversationId,
  status: item.status,
  requestedAt: item.requestedAt,
  agent: item.agent,
  reason: item.context.reason,
  topic: item.context.topic,
  lastLine: item.lastLine,
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new AppError('ERR_REQUEST_INVALID', firstIssueOf(parsed.error, 'invalid body'));
}
