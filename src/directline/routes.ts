import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError, httpStatusOf } from '../errors.js';
import { bearerToken } from '../text.js';
import { parseWatermark, type DirectLineService, type TokenGrant } from './service.js';
import { readUpload } from './upload.js';

export const DIRECT_LINE_PATH = '/v3/directline';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;
/**
 * Uploads read at once, over all conversations: with the default 5 MB limit at most about 170 MB
 * of them in memory. A customer gets 503 beyond it and Web Chat offers to send again.
 */
const MAX_CONCURRENT_UPLOADS = 8;
/** Web Chat pings with empty messages and never sends anything large over the stream. */
const MAX_STREAM_MESSAGE_BYTES = 4096;

interface DirectLineRouteOptions {
  readonly logger: Logger;
  /** The server's one error renderer for JSON routes. */
  readonly route: (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => Promise<void>;
  /** A stream whose unsent bytes exceed this is a reader that stopped reading: it is closed. */
  readonly streamBufferBytes: number;
  /** UPLOAD_MAX_BYTES: the largest file of an upload that is read in full. */
  readonly maxUploadBytes: number;
}

/**
 * The Direct Line 3.0 routes Web Chat calls, and its WebSocket stream. The upgrade handler runs
 * outside restify's chain, where nothing else would catch: every step of it answers or closes.
 */
export function mountDirectLine(server: Server, service: DirectLineService, options: DirectLineRouteOptions): void {
  const { logger, route } = options;

  server.post(`${DIRECT_LINE_PATH}/conversations`, route(async (req, res) => {
    const grant = await service.grantOf(req.headers.authorization);
    await service.start(grant);
    res.send(201, conversationBody(req, service, grant));
  }));

  // Web Chat calls this to reconnect after its WebSocket dropped; the new stream resumes at its watermark.
  server.get(`${DIRECT_LINE_PATH}/conversations/:conversationId`, route(async (req, res) => {
    const grant = await service.authorize(req.params.conversationId, req.headers.authorization);
    const watermark = parseWatermark(queryOf(req).get('watermark'));
    await service.start(grant);
    res.send(200, conversationBody(req, service, grant, watermark));
  }));

  server.post(`${DIRECT_LINE_PATH}/conversations/:conversationId/activities`, route(async (req, res) => {
    const grant = await service.authorize(req.params.conversationId, req.headers.authorization);
    res.send(200, await service.post(grant, req.body));
  }));

  // Web Chat's upload button (botframework-directlinejs postMessageWithAttachments). restify's body
  // reader leaves multipart bodies alone, so the request stream is still unread here. The token is
  // checked before a byte of the body is parsed.
  let uploading = 0;
  server.post(`${DIRECT_LINE_PATH}/conversations/:conversationId/upload`, route(async (req, res) => {
    const grant = await service.authorize(req.params.conversationId, req.headers.authorization);
    // Each upload is read into memory (up to MAX_UPLOAD_FILES × UPLOAD_MAX_BYTES), and tokens are free.
    if (uploading >= MAX_CONCURRENT_UPLOADS) throw new AppError('ERR_UPLOAD_BUSY', 'too many uploads at once; try again in a moment');
    uploading += 1;
    try {
      const parts = await readUpload(req, { maxFileBytes: options.maxUploadBytes });
      res.send(200, await service.postUpload(grant, queryOf(req).get('userId'), parts));
    } finally {
      uploading -= 1;
    }
  }));

  server.get(`${DIRECT_LINE_PATH}/conversations/:conversationId/activities`, route(async (req, res) => {
    const grant = await service.authorize(req.params.conversationId, req.headers.authorization);
    res.send(200, await service.read(grant.conversationId, parseWatermark(queryOf(req).get('watermark'))));
  }));

  server.post(`${DIRECT_LINE_PATH}/tokens/refresh`, route(async (req, res) => {
    const refreshed = await service.refresh(await service.grantOf(req.headers.authorization));
    res.send(200, { conversationId: refreshed.conversationId, token: refreshed.token, expires_in: refreshed.expiresIn });
  }));

  const streams = new WebSocketServer({ noServer: true, maxPayload: MAX_STREAM_MESSAGE_BYTES });
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets mid-handshake must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    openStream(req, socket, head).catch((error: unknown) => {
      // The status the one renderer (server/errors.ts) would give, written on the raw socket.
      const status = httpStatusOf(error);
      if (status >= 500) logger.error({ err: error, code: error instanceof AppError ? error.code : 'ERR_INTERNAL' }, 'Direct Line stream upgrade failed');
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    });
  });

  async function openStream(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = URL.canParse(req.url ?? '', 'http://localhost') ? new URL(req.url ?? '', 'http://localhost') : undefined;
    const conversationId = url ? STREAM_PATH.exec(url.pathname)?.[1] : undefined;
    if (!url || !conversationId) throw new AppError('ERR_DIRECTLINE_NOT_FOUND', 'not found');
    // Browsers cannot set headers on a WebSocket, so the stream URL carries the token (as Azure's does).
    const grant = await service.authorize(conversationId, `Bearer ${url.searchParams.get('t') ?? ''}`);
    const watermark = parseWatermark(url.searchParams.get('watermark'));
    if (socket.destroyed) return;
    streams.handleUpgrade(req, socket, head, (ws) => {
      attach(ws, grant, watermark).catch((error: unknown) => {
        logger.warn({ err: error, conversationId: grant.conversationId }, 'Direct Line stream closed: could not subscribe');
        ws.terminate();
      });
    });
  }

  async function attach(ws: WebSocket, grant: TokenGrant, watermark: number): Promise<void> {
    ws.on('error', (error) => logger.warn({ err: error, conversationId: grant.conversationId }, 'Direct Line stream failed'));
    const send = (set: unknown) => {
      // A reader that stopped reading would make this process hold every push for it.
      if (ws.bufferedAmount > options.streamBufferBytes) {
        logger.info({ conversationId: grant.conversationId, bufferedAmount: ws.bufferedAmount }, 'Direct Line stream dropped: its reader is too slow');
        ws.terminate();
        return;
      }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(set));
    };
    const unsubscribe = await service.subscribe(grant, watermark, { push: send, close: () => ws.close(1000) });
    ws.on('close', unsubscribe);
    if (ws.readyState !== ws.OPEN) unsubscribe();
  }

  // http.Server.close() waits for every open socket, and a stream stays open as long as the page does.
  const closeServer = server.close.bind(server);
  server.close = (callback?: () => unknown) => {
    for (const client of streams.clients) client.terminate();
    service.closeStreams();
    return closeServer(callback);
  };
}

function conversationBody(req: Request, service: DirectLineService, grant: TokenGrant, watermark = 0) {
  const token = bearerToken(req.headers.authorization) ?? '';
  const secure = req.headers['x-forwarded-proto'] === 'https';
  const resume = watermark > 0 ? `&watermark=${watermark}` : '';
  const streamUrl = `${secure ? 'wss' : 'ws'}://${req.headers.host}${DIRECT_LINE_PATH}/conversations/${encodeURIComponent(grant.conversationId)}/stream?t=${encodeURIComponent(token)}${resume}`;
  return { conversationId: grant.conversationId, token, expires_in: service.secondsLeft(grant), streamUrl };
}

const queryOf = (req: Request): URLSearchParams => new URL(req.url ?? '/', 'http://localhost').searchParams;
