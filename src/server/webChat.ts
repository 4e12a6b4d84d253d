import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import type { EmbeddedDirectLine } from '../channels/directline/embeddedDirectLine.js';
import { DirectLineError } from '../errors.js';
import { jsonRoute } from './errors.js';

/** Where the page talks to: this server's own Direct Line, or Azure's with the secret kept here. */
export type WebChatBackend =
  | { readonly mode: 'embedded'; readonly directLine: EmbeddedDirectLine }
  | { readonly mode: 'azure'; readonly secret: string; readonly domain: string };

/** The page's answer from POST /api/directline/token, in either mode. */
export interface WebChatSession {
  readonly token: string;
  readonly conversationId: string;
  readonly expires_in: number;
  readonly userId: string;
  /** The Direct Line base URL Web Chat talks to; a path on this server in embedded mode. */
  readonly domain: string;
}

const EMBEDDED_DOMAIN = '/v3/directline';
const AZURE_TIMEOUT_MS = 10_000;

/** public/ sits at the project root, two levels above both src/server and dist/server. */
const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
/** The package exports only its module entry; its browser bundle sits in dist/ beside it. */
const WEBCHAT_BUNDLE = join(dirname(createRequire(import.meta.url).resolve('botframework-webchat')), '..', 'dist', 'webchat.js');

/**
 * The customer-facing page: the official Web Chat widget, its bundle served from node_modules (no
 * CDN: the machine may be offline), and the token endpoint that starts each conversation.
 */
export function mountWebChat(server: Server, backend: WebChatBackend, logger: Logger): void {
  const asset = (file: string) => readFileSync(join(PUBLIC_DIR, file));
  const page = asset('index.html');
  const script = asset('chat.js');
  const style = asset('chat.css');
  const securityPolicy = contentSecurityPolicy(backend);

  server.get('/', async (_req: Request, res: Response) => {
    sendBytes(res, page, 'text/html; charset=utf-8', { 'Cache-Control': 'no-cache', 'Content-Security-Policy': securityPolicy, 'Referrer-Policy': 'no-referrer' });
  });
  server.get('/webchat/chat.js', async (_req: Request, res: Response) => sendBytes(res, script, 'text/javascript; charset=utf-8', { 'Cache-Control': 'no-cache' }));
  server.get('/webchat/chat.css', async (_req: Request, res: Response) => sendBytes(res, style, 'text/css; charset=utf-8', { 'Cache-Control': 'no-cache' }));

  // Compressed once, on first request: 3.9 MB becomes about 1 MB for phones on slow connections.
  let bundle: Promise<{ plain: Buffer; gzipped: Buffer }> | undefined;
  server.get('/webchat/webchat.js', async (req: Request, res: Response) => {
    bundle ??= (async () => {
      const plain = readFileSync(WEBCHAT_BUNDLE);
      return { plain, gzipped: await promisify(gzip)(plain) };
    })();
    const { plain, gzipped } = await bundle;
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    sendBytes(res, acceptsGzip ? gzipped : plain, 'text/javascript; charset=utf-8', {
      'Cache-Control': 'public, max-age=86400',
      Vary: 'Accept-Encoding',
      ...(acceptsGzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
  });

  const route = jsonRoute(logger);
  server.post('/api/directline/token', route(async (_req, res) => {
    const session = backend.mode === 'embedded' ? embeddedSession(backend.directLine) : await azureSession(backend, logger);
    res.header('Cache-Control', 'no-store');
    res.send(200, session);
  }));
}

function embeddedSession(directLine: EmbeddedDirectLine): WebChatSession {
  const { token, conversationId, expiresIn, userId } = directLine.createConversation();
  return { token, conversationId, expires_in: expiresIn, userId, domain: EMBEDDED_DOMAIN };
}

/**
 * Exchanges the Direct Line secret for a token bound to one new conversation and one user id, so
 * the secret never reaches the browser. Ids starting with `dl_` are the ones Direct Line lets a
 * token pin (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-authentication).
 */
async function azureSession(backend: Extract<WebChatBackend, { mode: 'azure' }>, logger: Logger): Promise<WebChatSession> {
  const userId = `dl_${randomBytes(12).toString('base64url')}`;
  let response: globalThis.Response;
  try {
    response = await fetch(`${backend.domain}/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${backend.secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(AZURE_TIMEOUT_MS),
    });
  } catch (error) {
    throw new DirectLineError('ERR_DIRECTLINE_UPSTREAM', 'the chat service is unreachable', 502, { cause: error });
  }
  const body = (await response.json().catch(() => null)) as { token?: unknown; conversationId?: unknown; expires_in?: unknown } | null;
  if (!response.ok || typeof body?.token !== 'string' || typeof body.conversationId !== 'string') {
    logger.error({ status: response.status, code: 'ERR_DIRECTLINE_UPSTREAM' }, 'Direct Line token exchange failed');
    throw new DirectLineError('ERR_DIRECTLINE_UPSTREAM', 'the chat service did not start a conversation', 502);
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 0;
  return { token: body.token, conversationId: body.conversationId, expires_in: expiresIn, userId, domain: backend.domain };
}

/** Only this server's scripts run; Web Chat injects its styles at run time, hence inline styles. */
function contentSecurityPolicy(backend: WebChatBackend): string {
  const remote = backend.mode === 'azure' ? new URL(backend.domain) : undefined;
  const connect = ["'self'", ...(remote ? [remote.origin, `wss://${remote.host}`] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

function sendBytes(res: Response, bytes: Buffer, contentType: string, headers: Record<string, string>): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': bytes.length, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(bytes);
}
