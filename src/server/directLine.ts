import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Request, Server } from 'restify';
import { WebSocketServer } from 'ws';
import { parseWatermark, type EmbeddedDirectLine } from '../channels/directline/embeddedDirectLine.js';
import type { TokenGrant } from '../channels/directline/tokens.js';
import { DirectLineError } from '../errors.js';
import { jsonRoute } from './errors.js';

const API = '/v3/directline';
const CONNECTOR = '/directline/connector';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
/** Web Chat pings with empty messages and never sends anything large over the stream. */
const MAX_STREAM_MESSAGE_BYTES = 4096;

/**
 * The HTTP side of the embedded Direct Line: the Direct Line 3.0 routes Web Chat calls, the
 * WebSocket stream, and the connector routes the bot's replies are POSTed to. The protocol
 * itself lives in channels/directline.
 */
export function mountEmbeddedDirectLine(server: Server, directLine: EmbeddedDirectLine, logger: Logger): void {
  const serviceUrl = () => `${loopbackOrigin(server.address())}${CONNECTOR}/${directLine.connectorKey}`;
  const route = jsonRoute(logger);

  server.post(`${API}/conversations`, route(async (req, res) => {
    const grant = directLine.grantOf(req.headers.authorization);
    await directLine.start(grant, serviceUrl());
    res.send(201, conversationBody(req, directLine, grant));
  }));

  // Web Chat calls this to reconnect after its WebSocket dropped; the new stream resumes at its watermark.
  server.get(`${API}/conversations/:conversationId`, route(async (req, res) => {
    const grant = directLine.authorize(req.params.conversationId, req.headers.authorization);
    const watermark = parseWatermark(queryOf(req).get('watermark'));
    await directLine.start(grant, serviceUrl());
    res.send(200, conversationBody(req, directLine, grant, watermark));
  }));

  server.post(`${API}/conversations/:conversationId/activities`, route(async (req, res) => {
    const grant = directLine.authorize(req.params.conversationId, req.headers.authorization);
    res.send(200, await directLine.post(grant, req.body, serviceUrl()));
  }));

  server.get(`${API}/conversations/:conversationId/activities`, route(async (req, res) => {
    const grant = directLine.authorize(req.params.conversationId, req.headers.authorization);
    res.send(200, directLine.read(grant.conversationId, parseWatermark(queryOf(req).get('watermark'))));
  }));

  server.post(`${API}/tokens/refresh`, route(async (req, res) => {
    const refreshed = directLine.refresh(directLine.grantOf(req.headers.authorization));
    res.send(200, { conversationId: refreshed.conversationId, token: refreshed.token, expires_in: refreshed.expiresIn });
  }));

  const fromBot = route(async (req, res) => {
    if (!directLine.isConnectorKey(String(req.params.key))) throw new DirectLineError('ERR_DIRECTLINE_NOT_FOUND', 'not found', 404);
    res.send(200, directLine.receiveFromBot(req.params.conversationId, req.body));
  });
  server.post(`${CONNECTOR}/:key/v3/conversations/:conversationId/activities`, fromBot);
  server.post(`${CONNECTOR}/:key/v3/conversations/:conversationId/activities/:activityId`, fromBot);

  const streams = new WebSocketServer({ noServer: true, maxPayload: MAX_STREAM_MESSAGE_BYTES });
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const conversationId = STREAM_PATH.exec(url.pathname)?.[1];
    try {
      if (!conversationId) throw new DirectLineError('ERR_DIRECTLINE_NOT_FOUND', 'not found', 404);
      // Browsers cannot set headers on a WebSocket, so the stream URL carries the token (as Azure's does).
      const grant = directLine.authorize(decodeURIComponent(conversationId), `Bearer ${url.searchParams.get('t') ?? ''}`);
      const watermark = parseWatermark(url.searchParams.get('watermark'));
      streams.handleUpgrade(req, socket, head, (ws) => {
        // Backlog and subscription in one tick, so nothing appended in between is missed.
        const backlog = directLine.read(grant.conversationId, watermark);
        if (backlog.activities.length > 0) ws.send(JSON.stringify(backlog));
        const unsubscribe = directLine.subscribe(grant.conversationId, { push: (set) => ws.send(JSON.stringify(set)), close: () => ws.close(1000) });
        ws.on('close', unsubscribe);
        ws.on('error', (error) => logger.warn({ err: error, conversationId: grant.conversationId }, 'Direct Line stream failed'));
      });
    } catch (error) {
      const status = error instanceof DirectLineError ? error.status : 500;
      if (status === 500) logger.error({ err: error }, 'Direct Line stream upgrade failed');
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
  });
  // http.Server.close() waits for every open socket, and a stream stays open as long as the page does.
  const closeServer = server.close.bind(server);
  server.close = (callback?: () => unknown) => {
    for (const client of streams.clients) client.terminate();
    return closeServer(callback);
  };
}

function conversationBody(req: Request, directLine: EmbeddedDirectLine, grant: TokenGrant, watermark = 0) {
  const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const secure = req.headers['x-forwarded-proto'] === 'https';
  const resume = watermark > 0 ? `&watermark=${watermark}` : '';
  const streamUrl = `${secure ? 'wss' : 'ws'}://${req.headers.host}${API}/conversations/${encodeURIComponent(grant.conversationId)}/stream?t=${encodeURIComponent(token)}${resume}`;
  return { conversationId: grant.conversationId, token, expires_in: directLine.secondsLeft(grant), streamUrl };
}

const queryOf = (req: Request): URLSearchParams => new URL(req.url ?? '/', 'http://localhost').searchParams;

/** How this process reaches itself: the wildcard addresses are not addresses to connect to. */
function loopbackOrigin(address: string | AddressInfo | null): string {
  if (address === null || typeof address === 'string') throw new Error('the server is not listening on TCP');
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
