import restify, { type Next, type Request, type Response } from 'restify';
import type { Logger } from 'pino';
import type { HttpRequest, HttpResponse } from '../channels/botAdapter.js';
import { mountAgentConsole, type AgentConsolePort, type HandBackCatalog } from './agentConsole.js';
import { mountDirectLine } from '../directline/routes.js';
import { jsonRoute } from './jsonRoute.js';
import { mountWebChat, type WebChatBackend } from './webChat.js';

export interface MessageEndpoint {
  processHttp(req: HttpRequest, res: HttpResponse): Promise<void>;
  /** False once shutdown has begun. */
  isReady(): boolean;
}

export interface AppOptions {
  readonly logger: Logger;
  readonly messages: MessageEndpoint;
  readonly agentConsole?: { readonly token?: string; readonly hub: AgentConsolePort; readonly catalog: HandBackCatalog };
  /** The Web Chat page's Direct Line: embedded in this server, or Azure's. */
  readonly webChat: WebChatBackend;
  /** Unsent bytes a web chat stream may hold before its reader counts as stopped and is dropped. */
  readonly streamBufferBytes: number;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * The restify app, without listening (tests start it on an ephemeral port). HTTP concerns only:
 * parsing, size limits and error bodies; every activity goes to channels/.
 */
export function createApp(options: AppOptions): restify.Server {
  const server = restify.createServer({ name: 'restore-support-bot', handleUncaughtExceptions: false });
  // JSON only: every route takes JSON, and restify's full bodyParser would also hand multipart
  // bodies to formidable, which writes uploads to the temp folder and never deletes them.
  // (@types/restify leaves maxBodySize out of jsonBodyParser's options; it hands them to bodyReader, which enforces it.)
  const bodyOptions: restify.plugins.BodyParserOptions = { maxBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, mapParams: false };
  server.use(restify.plugins.jsonBodyParser(bodyOptions));

  // Liveness: the process answers. Readiness: content is loaded (the server exists only after) and
  // it is not shutting down, so a load balancer stops sending new conversations while it drains.
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    if (options.messages.isReady()) res.send(200, { status: 'ready' });
    else res.send(503, { status: 'shutting down' });
  });

  server.post('/api/messages', requireJson, jsonRoute(options.logger)((req, res) => options.messages.processHttp(req, res)));

  mountWebChat(server, options.webChat, options.logger);
  if (options.webChat.mode === 'embedded') {
    mountDirectLine(server, options.webChat.directLine, { logger: options.logger, route: jsonRoute(options.logger), streamBufferBytes: options.streamBufferBytes });
  }

  if (options.agentConsole) mountAgentConsole(server, options.agentConsole);

  // Error bodies are short JSON: never a stack trace or an internal message.
  server.on('restifyError', (req: Request, _res: Response, error: RestifyError, callback: () => void) => {
    const status = error.statusCode ?? 500;
    const body = { error: { code: error.body?.code ?? 'Error', message: status >= 500 ? 'internal error' : firstLine(error.message) } };
    options.logger.warn({ status, path: req.path(), code: body.error.code }, 'request rejected');
    error.toJSON = () => body;
    return callback();
  });
  return server;
}

/** Channels post activities as application/json; any other body is refused before it is read as one. */
function requireJson(req: Request, res: Response, next: Next): void {
  if (req.is('json')) return next();
  res.send(415, { error: { code: 'ERR_REQUEST_INVALID', message: 'the body must be application/json' } });
  return next(false);
}

interface RestifyError {
  statusCode?: number;
  message?: string;
  body?: { code?: string };
  toJSON?: () => unknown;
}

const firstLine = (message: string | undefined): string => (message ?? '').split('\n')[0]?.slice(0, 200) ?? '';
