import restify, { type Next, type Request, type Response } from 'restify';
import type { Logger } from 'pino';
import { mountDirectLine } from '../directline/routes.js';
import { AppError } from '../errors.js';
import { mountAgentAttachments, type AgentAttachmentsOptions } from './agentAttachments.js';
import { mountAgentConsole, type AgentConsoleOptions } from './agentConsole.js';
import { mountAgentSignIn, type AgentSignInOptions } from './agentSignIn.js';
import { mountAgentPresence, type AgentPresenceOptions } from './agentPresence.js';
import { mountAgentInsights, type AgentInsightsOptions } from './agentInsights.js';
import { jsonRoute, renderRestifyError, sendError, type RestifyError } from './errors.js';
import { mountMessages, type MessagesOptions } from './messages.js';
import type { TurnGate } from './turnGate.js';
import { mountWebChat, type WebChatBackend } from './webChat.js';

export interface AppOptions {
  readonly logger: Logger;
  readonly messages: Omit<MessagesOptions, 'logger' | 'gate'>;
  readonly gate: TurnGate;
  /** False while the configured storage is failing: /readyz then sends traffic elsewhere. */
  readonly storageHealthy: () => Promise<boolean>;
  readonly agentConsole: Omit<AgentConsoleOptions, 'logger'>;
  /** Console sign-in with an OpenID Connect provider (Entra ID), when configured. */
  readonly agentSignIn: Omit<AgentSignInOptions, 'logger'>;
  /** Who is online; mounted with the console, behind the same tokens. */
  readonly agentPresence: Omit<AgentPresenceOptions, 'logger'>;
  /** The pictures customers sent, served to agents (with the console). */
  readonly agentAttachments: Omit<AgentAttachmentsOptions, 'logger'>;
  /** Insights and the unanswered inbox for agents (with INSIGHTS_ENABLED). */
  readonly agentInsights?: Omit<AgentInsightsOptions, 'logger'>;
  /** The Web Chat page's Direct Line: embedded in this server, or Azure's. */
  readonly webChat: WebChatBackend;
  /** Unsent bytes a web chat stream may hold before its reader counts as stopped and is dropped. */
  readonly streamBufferBytes: number;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  readonly maxBodyBytes: number;
  /** UPLOAD_MAX_BYTES: the largest picture a web chat upload may carry. */
  readonly maxUploadBytes: number;
  /** A request whose headers and body have not all arrived by then is cut off (slow-body attacks). */
  readonly requestTimeoutMs: number;
}

/**
 * The restify app, without listening (tests start it on an ephemeral port). HTTP concerns only:
 * encodings, parsing, size and time limits, readiness and error bodies; every activity goes to
 * channels/ through the turn gate.
 */
export function createApp(options: AppOptions): restify.Server {
  const { logger } = options;
  const server = restify.createServer({ name: 'restore-support-bot', handleUncaughtExceptions: false });
  // Node checks these only every 30 s (restify gives no way to set connectionsCheckingInterval),
  // so they bound the slow headers; the body's own deadline is the pre-handler below.
  server.server.requestTimeout = options.requestTimeoutMs;
  server.server.headersTimeout = Math.min(options.requestTimeoutMs, server.server.headersTimeout);

  // Before any parsing, on every route: restify's body reader counts compressed bytes against the
  // size limit, so a small gzip body could inflate to gigabytes. No client of this server compresses.
  server.pre((req: Request, res: Response, next: Next) => {
    // A body that has not all arrived by the deadline holds a connection and a buffer for nothing.
    const deadline = setTimeout(() => {
      if (!req.complete) req.socket.destroy();
    }, options.requestTimeoutMs);
    deadline.unref();
    res.once('close', () => clearTimeout(deadline));
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity' || encoding === '') return next();
    sendError(req, res, new AppError('ERR_REQUEST_MEDIA_TYPE', 'compressed request bodies are not accepted (Content-Encoding must be identity)'), logger);
    return next(false);
  });
  // JSON only: every route takes JSON, and restify's full bodyParser would also hand multipart
  // bodies to formidable, which writes uploads to the temp folder and never deletes them.
  // (@types/restify leaves maxBodySize out of jsonBodyParser's options; it hands them to bodyReader, which enforces it.)
  const bodyOptions: restify.plugins.BodyParserOptions = { maxBodySize: options.maxBodyBytes, mapParams: false };
  server.use(restify.plugins.jsonBodyParser(bodyOptions));

  // Liveness: the process answers. Readiness: content is loaded (the server exists only after), it
  // is not shutting down and its storage works, so a load balancer sends conversations elsewhere.
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    if (!options.gate.isOpen()) res.send(503, { status: 'shutting down' });
    else if (!(await options.storageHealthy())) res.send(503, { status: 'storage failing' });
    else res.send(200, { status: 'ready' });
  });

  mountMessages(server, { ...options.messages, gate: options.gate, logger });
  mountWebChat(server, options.webChat, logger);
  if (options.webChat.mode === 'embedded') {
    mountDirectLine(server, options.webChat.directLine, { logger, route: jsonRoute(logger), streamBufferBytes: options.streamBufferBytes, maxUploadBytes: options.maxUploadBytes });
  }
  mountAgentConsole(server, { ...options.agentConsole, logger });
  mountAgentSignIn(server, { ...options.agentSignIn, logger });
  mountAgentPresence(server, { ...options.agentPresence, logger });
  mountAgentAttachments(server, { ...options.agentAttachments, logger });
  if (options.agentInsights) mountAgentInsights(server, { ...options.agentInsights, logger });

  server.on('restifyError', (req: Request, _res: Response, error: RestifyError, callback: () => void) => {
    renderRestifyError(req, error, logger);
    return callback();
  });
  return server;
}
