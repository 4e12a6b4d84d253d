import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { azureSession, type AzureDirectLine, type WebChatSession } from '../directline/azure.js';
import { DIRECT_LINE_PATH } from '../directline/routes.js';
import type { DirectLineService } from '../directline/service.js';
import { AppError, firstIssueOf } from '../errors.js';
import { jsonRoute } from './errors.js';

/** Where the page talks to: this server's own Direct Line, or Azure's with the secret kept here. */
export type WebChatBackend =
  | { readonly mode: 'embedded'; readonly directLine: DirectLineService }
  | ({ readonly mode: 'azure' } & AzureDirectLine);

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

  // The page's way back into its conversation once the token expired (README "Web chat"). The key
  // is in the body, never the URL, so no access log or proxy keeps it; errors never quote it.
  server.post('/api/directline/resume', route(async (req, res) => {
    const body = resumeBodySchema.safeParse(req.body);
    if (!body.success) throw new AppError('ERR_REQUEST_INVALID', firstIssueOf(body.error, 'expected { resumeKey }'));
    if (backend.mode !== 'embedded') throw new AppError('ERR_DIRECTLINE_RESUME', 'this chat can no longer be resumed; start a new one');
    res.header('Cache-Control', 'no-store');
    res.send(200, sessionOf(await backend.directLine.resume(body.data.resumeKey)));
  }));
}

/** A key is `<id ≤ 64>.<secret ≤ 128>`; anything longer is refused before it is looked at. */
const resumeBodySchema = z.object({ resumeKey: z.string().min(1).max(200) }).strict();

type EmbeddedSession = WebChatSession & { readonly resumeKey?: string };

function embeddedSession(directLine: DirectLineService): EmbeddedSession {
  return sessionOf(directLine.createConversation());
}

function sessionOf(conversation: ReturnType<DirectLineService['createConversation']>): EmbeddedSession {
  const { token, conversationId, expiresIn, userId, resumeKey } = conversation;
  return { token, conversationId, expires_in: expiresIn, userId, domain: DIRECT_LINE_PATH, ...(resumeKey ? { resumeKey } : {}) };
}

/** Only this server's scripts run; Web Chat injects its styles at run time, hence inline styles. */
function contentSecurityPolicy(backend: WebChatBackend): string {
  const remote = backend.mode === 'azure' ? new URL(backend.domain) : undefined;
  // blob: because the Direct Line client reads a file the customer picked from its blob: URL before uploading it.
  const connect = ["'self'", 'blob:', ...(remote ? [remote.origin, `wss://${remote.host}`] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // Web Chat draws an uploaded picture's thumbnail in a worker it starts from a blob: URL (its own code).
    "worker-src 'self' blob:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

function sendBytes(res: Response, bytes: Buffer, contentType: string, headers: Record<string, string>): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': bytes.length, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(bytes);
}
