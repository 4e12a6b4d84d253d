import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Request, Server } from 'restify';
import type { BotChannel } from '../channels/botChannel.js';
import { AppError } from '../errors.js';
import { clientAddress } from './agentAuth.js';
import { jsonRoute } from './errors.js';
import type { TurnGate } from './turnGate.js';

export interface MessagesOptions {
  readonly channel: Pick<BotChannel, 'parse' | 'authenticate' | 'process' | 'checksTokens'>;
  readonly gate: TurnGate;
  readonly logger: Logger;
  /** Unauthenticated requests (MicrosoftAppId empty) from other machines too, not only this one. */
  readonly allowRemoteUnauthenticated: boolean;
  /** TRUST_PROXY_HOPS: behind a proxy on this machine the peer is always local, the client perhaps not. */
  readonly trustProxyHops: number;
}

/**
 * POST /api/messages, the Bot Framework endpoint: 503 while shutting down, 415 for a body that is
 * not JSON, 400 for one that is not an activity, 401 without a valid token (MicrosoftAppId set),
 * 403 for an unauthenticated peer on another machine (MicrosoftAppId empty: the bot would
 * otherwise post its replies to whatever serviceUrl a stranger names), otherwise the turn's answer.
 */
export function mountMessages(server: Server, options: MessagesOptions): void {
  const { channel, gate } = options;
  server.post(
    '/api/messages',
    jsonRoute(options.logger)((req, res) =>
      gate.run(async () => {
        // Channels post activities as application/json; any other body is refused before it is read as one.
        if (!req.is('json')) throw new AppError('ERR_REQUEST_MEDIA_TYPE', 'the body must be application/json');
        const activity = channel.parse(req.body);
        if (!channel.checksTokens && !options.allowRemoteUnauthenticated && !isLoopback(clientAddress(req, options.trustProxyHops))) {
          throw new AppError('ERR_PEER_REFUSED', 'MicrosoftAppId is empty, so only this machine may post activities (set it, or ALLOW_REMOTE_UNAUTHENTICATED=true behind your own authentication)');
        }
        const authenticated = await channel.authenticate(activity, authorizationOf(req));
        const answer = await channel.process(authenticated);
        res.status(answer.status);
        if (answer.body !== undefined) res.send(answer.body);
        res.end();
      }),
    ),
  );
}

function authorizationOf(req: Request): string {
  const header = req.headers.authorization;
  return (Array.isArray(header) ? header[0] : header) ?? '';
}

/** 127.0.0.0/8, ::1, and IPv4 loopback written as IPv6 (::ffff:127.x.y.z). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}
