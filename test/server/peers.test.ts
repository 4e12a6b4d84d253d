import type { Request, Response, Server } from 'restify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { isLoopback, mountMessages, type MessagesOptions } from '../../src/server/messages.js';
import { TurnGate } from '../../src/server/turnGate.js';

/**
 * Who may post to /api/messages when MicrosoftAppId is empty. A test client can only connect from
 * loopback, so the route is driven here without a server, as if the peer were another machine.
 */
type Handler = (req: Request, res: Response) => Promise<void>;

function route(options: Partial<Pick<MessagesOptions, 'allowRemoteUnauthenticated' | 'trustProxyHops'>> & { checksTokens: boolean }) {
  let handler: Handler | undefined;
  const processed: unknown[] = [];
  const server = { post: (_path: string, registered: Handler) => void (handler = registered) } as unknown as Server;
  mountMessages(server, {
    channel: {
      checksTokens: options.checksTokens,
      parse: (body: unknown) => body as never,
      authenticate: async (activity) => ({ activity, auth: {} as never }),
      process: async (authenticated) => {
        processed.push(authenticated.activity);
        return { status: 200 };
      },
    },
    gate: new TurnGate(),
    logger: createLogger('silent'),
    allowRemoteUnauthenticated: options.allowRemoteUnauthenticated ?? false,
    trustProxyHops: options.trustProxyHops ?? 0,
  });
  const post = async (remoteAddress: string, headers: Record<string, string> = {}) => {
    const answer: { status?: number; body?: any } = {};
    const req = { body: { type: 'message' }, headers, socket: { remoteAddress }, is: () => true, path: () => '/api/messages' } as unknown as Request;
    const res = {
      headersSent: false,
      send: (status: number, body?: unknown) => Object.assign(answer, typeof status === 'number' ? { status, body } : { body: status }),
      status: (status: number) => Object.assign(answer, { status }),
      end: () => undefined,
    } as unknown as Response;
    await handler?.(req, res);
    return answer;
  };
  return { post, processed };
}

describe('unauthenticated activities (MicrosoftAppId empty)', () => {
  it('are taken from this machine, as the Emulator and a local channel send them', async () => {
    const messages = route({ checksTokens: false });
    expect((await messages.post('127.0.0.1')).status).toBe(200);
    expect((await messages.post('::ffff:127.0.0.1')).status).toBe(200);
    expect((await messages.post('::1')).status).toBe(200);
    expect(messages.processed).toHaveLength(3);
  });

  it('are refused from another machine with 403, so the bot is no relay for strangers', async () => {
    const messages = route({ checksTokens: false });
    const answer = await messages.post('198.51.100.7');
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('ERR_PEER_REFUSED');
    expect(messages.processed).toHaveLength(0);
  });

  it('are refused from another machine behind a proxy on this one when TRUST_PROXY_HOPS counts it', async () => {
    const messages = route({ checksTokens: false, trustProxyHops: 1 });
    expect((await messages.post('127.0.0.1', { 'x-forwarded-for': '127.0.0.1, 198.51.100.7' })).status).toBe(403);
    expect((await messages.post('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' })).status).toBe(200);
    expect(messages.processed).toHaveLength(1);
  });

  it('ignore X-Forwarded-For with TRUST_PROXY_HOPS 0, so a stranger cannot claim to be this machine', async () => {
    const messages = route({ checksTokens: false });
    expect((await messages.post('198.51.100.7', { 'x-forwarded-for': '127.0.0.1' })).status).toBe(403);
  });

  it('are taken from another machine when ALLOW_REMOTE_UNAUTHENTICATED says so', async () => {
    const messages = route({ checksTokens: false, allowRemoteUnauthenticated: true });
    expect((await messages.post('198.51.100.7')).status).toBe(200);
  });
});

describe('authenticated activities (MicrosoftAppId set)', () => {
  it('are taken from any machine: their tokens are checked instead', async () => {
    const messages = route({ checksTokens: true });
    expect((await messages.post('198.51.100.7')).status).toBe(200);
  });
});

describe('loopback addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.4.5.6', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['128.0.0.1', false],
    ['fe80::1', false],
    [undefined, false],
  ])('%s is loopback: %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
