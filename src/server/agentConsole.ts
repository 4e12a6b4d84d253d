import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { HandBack, HandoffCase, HandoffCaseView, HandoffLine } from '../handoff/types.js';

/** What the console API drives (the embedded HandoffHub) and the choices it offers for hand-back. */
export interface AgentConsolePort {
  list(): Promise<(HandoffCase & { lastLine?: HandoffLine })[]>;
  get(conversationId: string): Promise<HandoffCaseView | undefined>;
  accept(conversationId: string, agent: string): Promise<HandoffCaseView>;
  say(conversationId: string, agent: string, text: string): Promise<void>;
  handBack(conversationId: string, agent: string, how: HandBack): Promise<void>;
}

export interface HandBackCatalog {
  readonly topics: readonly { id: string; title: string }[];
  readonly trees: readonly { id: string; title: string; nodes: readonly string[] }[];
}

const pages = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'server', 'pages');
const agent = z.string().trim().min(1).max(60);
const acceptBody = z.object({ agent });
const messageBody = z.object({ agent, text: z.string().trim().min(1).max(4000) });
const handBackBody = z.discriminatedUnion('mode', [
  z.object({ agent, mode: z.literal('plain') }),
  z.object({ agent, mode: z.literal('topic'), topic: z.string().min(1) }),
  z.object({ agent, mode: z.literal('node'), tree: z.string().min(1), node: z.string().min(1) }),
]);

/**
 * The agent console: a page at /agent and a JSON API under /api/agent, both behind AGENT_TOKEN
 * (a bearer token). Without a token configured the console does not exist (404), never open.
 */
export function mountAgentConsole(server: Server, options: { token?: string; hub: AgentConsolePort; catalog: HandBackCatalog }): void {
  const { token, hub, catalog } = options;
  const expected = token ? digest(token) : undefined;
  const authorized = (req: Request): boolean => {
    const header = req.header('authorization') ?? '';
    const presented = /^Bearer (.+)$/.exec(header)?.[1];
    return !!expected && !!presented && timingSafeEqual(digest(presented), expected);
  };
  const guard =
    (handler: (req: Request, res: Response) => Promise<void> | void) =>
    async (req: Request, res: Response): Promise<void> => {
      if (!expected) return void res.send(404, { error: { code: 'NotFound', message: 'the agent console is disabled (set AGENT_TOKEN)' } });
      if (!authorized(req)) {
        res.header('WWW-Authenticate', 'Bearer');
        return void res.send(401, { error: { code: 'Unauthorized', message: 'a valid agent token is required' } });
      }
      try {
        await handler(req, res);
      } catch (error) {
        sendError(res, error);
      }
    };

  server.get('/agent', async (_req: Request, res: Response) => {
    if (!expected) return void res.send(404, { error: { code: 'NotFound', message: 'the agent console is disabled (set AGENT_TOKEN)' } });
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.sendRaw(200, readFileSync(path.join(pages, 'agent.html')));
  });
  server.get('/agent/console.js', async (_req: Request, res: Response) => {
    if (!expected) return void res.send(404, { error: { code: 'NotFound', message: 'the agent console is disabled (set AGENT_TOKEN)' } });
    res.setHeader('content-type', 'text/javascript; charset=utf-8');
    res.sendRaw(200, readFileSync(path.join(pages, 'console.js')));
  });
  server.get('/api/agent/queue', guard(async (_req, res) => void res.send(200, { conversations: (await hub.list()).map(listing) })));
  server.get('/api/agent/catalog', guard((_req, res) => void res.send(200, catalog)));
  server.get(
    '/api/agent/conversations/:id',
    guard(async (req, res) => {
      const found = await hub.get(String(req.params.id));
      if (!found) throw new AppError('ERR_HANDOFF_UNKNOWN', 'no handoff for that conversation');
      res.send(200, found);
    }),
  );
  server.post(
    '/api/agent/conversations/:id/accept',
    guard(async (req, res) => {
      const body = parse(acceptBody, req.body);
      res.send(200, await hub.accept(String(req.params.id), body.agent));
    }),
  );
  server.post(
    '/api/agent/conversations/:id/messages',
    guard(async (req, res) => {
      const body = parse(messageBody, req.body);
      await hub.say(String(req.params.id), body.agent, body.text);
      res.send(202, { status: 'sent' });
    }),
  );
  server.post(
    '/api/agent/conversations/:id/handback',
    guard(async (req, res) => {
      const { agent: who, ...how } = parse(handBackBody, req.body);
      await hub.handBack(String(req.params.id), who, how);
      res.send(200, { status: 'handed back' });
    }),
  );
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

const listing = (item: HandoffCase & { lastLine?: HandoffLine }) => ({
  conversationId: item.conversationId,
  status: item.status,
  requestedAt: item.requestedAt,
  agent: item.agent,
  reason: item.context.reason,
  topic: item.context.topic,
  lastLine: item.lastLine,
});

class BadRequest extends Error {}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new BadRequest(issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body');
  }
  return parsed.data;
}

function sendError(res: Response, error: unknown): void {
  if (error instanceof BadRequest) return void res.send(400, { error: { code: 'ERR_REQUEST_INVALID', message: error.message } });
  if (error instanceof AppError && error.code === 'ERR_HANDOFF_UNKNOWN') return void res.send(404, { error: { code: error.code, message: error.message } });
  if (error instanceof AppError && error.code === 'ERR_HANDOFF_STATE') return void res.send(409, { error: { code: error.code, message: error.message } });
  throw error;
}
