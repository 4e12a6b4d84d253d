import type { Request } from 'restify';
import { describe, expect, it } from 'vitest';
import { RetryLaterError } from '../../src/errors.js';
import { clientAddress, configuredAgents, FailureLimit, limitedDirectory } from '../../src/server/agentAuth.js';

const MINUTE = 60_000;

function limitWith(settings: { maxFailures?: number; windowMs?: number; maxTracked?: number; trustProxyHops?: number } = {}) {
  const clock = { now: Date.parse('2026-12-02T03:00:00Z') };
  const limit = new FailureLimit({ maxFailures: 3, windowMs: 15 * MINUTE, maxTracked: 100, ...settings, now: () => clock.now });
  return { limit, clock };
}

const refusal = (run: () => void): RetryLaterError | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof RetryLaterError) return error;
    throw error;
  }
};

const requestFrom = (remoteAddress: string, forwardedFor: string | string[] = '203.0.113.99') => ({ socket: { remoteAddress }, headers: { 'x-forwarded-for': forwardedFor } }) as unknown as Request;

const clientOf = (req: Request, trustProxyHops = 0) => limitWith({ trustProxyHops }).limit.clientOf(req);

describe('failed agent attempts', () => {
  it('refuses an address once it has tried as many different wrong secrets as allowed, saying when to retry', () => {
    const { limit, clock } = limitWith();
    for (const guess of ['a', 'b']) limit.failed(['address:198.51.100.7'], guess);
    expect(refusal(() => limit.refuseIfSpent(['address:198.51.100.7']))).toBeUndefined();
    clock.now += 5 * MINUTE;
    limit.failed(['address:198.51.100.7'], 'c');

    const refused = refusal(() => limit.refuseIfSpent(['address:198.51.100.7']));
    expect(refused).toMatchObject({ code: 'ERR_AGENT_RATE_LIMITED', retryAfterSeconds: 10 * 60 });
    expect(refused?.message).toMatch(/try again in 10 minutes/);
    expect(refusal(() => limit.refuseIfSpent(['address:198.51.100.8']))).toBeUndefined();
  });

  it('counts the same wrong secret sent again once, as a console left open on an expired session sends it', () => {
    const { limit } = limitWith();
    for (let poll = 0; poll < 50; poll += 1) limit.failed(['address:198.51.100.7'], 'expired-session');
    expect(refusal(() => limit.refuseIfSpent(['address:198.51.100.7']))).toBeUndefined();
  });

  it('lets the address try again once the window that began at its first failure has passed', () => {
    const { limit, clock } = limitWith();
    for (const guess of ['a', 'b', 'c']) limit.failed(['address:198.51.100.7'], guess);
    clock.now += 15 * MINUTE - 1000;
    expect(refusal(() => limit.refuseIfSpent(['address:198.51.100.7']))?.retryAfterSeconds).toBe(1);
    clock.now += 1000;
    expect(refusal(() => limit.refuseIfSpent(['address:198.51.100.7']))).toBeUndefined();
    limit.failed(['address:198.51.100.7'], 'd');
    expect(refusal(() => limit.refuseIfSpent(['address:198.51.100.7']))).toBeUndefined();
  });

  it('charges a failure naming an account to the account too, so other addresses cannot keep trying it', () => {
    const { limit } = limitWith();
    ['192.0.2.1', '192.0.2.2', '192.0.2.3'].forEach((address, index) => limit.failed([`address:${address}`, 'account:dana@contoso.com'], `try-${index}`));
    expect(refusal(() => limit.refuseIfSpent(['address:192.0.2.4']))).toBeUndefined();
    expect(refusal(() => limit.refuseIfSpent(['address:192.0.2.4', 'account:dana@contoso.com']))?.code).toBe('ERR_AGENT_RATE_LIMITED');
  });

  it('remembers at most the configured number of addresses, forgetting the one that failed least recently', () => {
    const { limit } = limitWith({ maxTracked: 100 });
    for (const guess of ['a', 'b', 'c']) limit.failed(['address:first'], guess);
    for (const guess of ['a', 'b', 'c']) limit.failed(['address:recent'], guess);
    // An attacker rotating through addresses pushes out old entries instead of growing the table.
    for (let address = 0; address < 99; address += 1) limit.failed([`address:10.0.${address >> 8}.${address & 255}`], 'x');
    expect(refusal(() => limit.refuseIfSpent(['address:first']))).toBeUndefined();
    expect(refusal(() => limit.refuseIfSpent(['address:recent']))?.code).toBe('ERR_AGENT_RATE_LIMITED');
  });
});

describe('agent tokens behind the failure limit', () => {
  const directory = () => {
    const { limit } = limitWith();
    return limitedDirectory(configuredAgents([{ name: 'Ana', token: 'token-of-ana-0123456789' }]), limit);
  };

  it('never counts an agent whose token is right, however often they call', async () => {
    const agents = directory();
    for (let call = 0; call < 100; call += 1) expect(await agents.identify('token-of-ana-0123456789', requestFrom('192.0.2.1'))).toBe('Ana');
  });

  it('refuses even the right token from an address that has guessed too often, so guessing cannot go on', async () => {
    const agents = directory();
    for (const guess of ['guess-1', 'guess-2', 'guess-3']) expect(await agents.identify(guess, requestFrom('192.0.2.1'))).toBeUndefined();
    await expect(agents.identify('token-of-ana-0123456789', requestFrom('192.0.2.1'))).rejects.toMatchObject({ code: 'ERR_AGENT_RATE_LIMITED' });
    expect(await agents.identify('token-of-ana-0123456789', requestFrom('192.0.2.2'))).toBe('Ana');
  });
});

describe('the address failures are charged to', () => {
  it('is the TCP peer with TRUST_PROXY_HOPS 0, never an X-Forwarded-For header anyone can write', () => {
    expect(clientOf(requestFrom('198.51.100.7'))).toBe('address:198.51.100.7');
    expect(clientOf(requestFrom('::ffff:198.51.100.7'))).toBe('address:198.51.100.7');
  });

  it('is the address the outermost trusted proxy saw, whatever the client put to the left of it', () => {
    expect(clientOf(requestFrom('10.0.0.2', '198.51.100.7'), 1)).toBe('address:198.51.100.7');
    expect(clientOf(requestFrom('10.0.0.2', '192.0.2.1, 192.0.2.2, 198.51.100.7'), 1)).toBe('address:198.51.100.7');
    expect(clientOf(requestFrom('10.0.0.2', '198.51.100.7, 10.0.0.1'), 2)).toBe('address:198.51.100.7');
    expect(clientOf(requestFrom('10.0.0.2', 'forged, 192.0.2.9, 198.51.100.7, 10.0.0.1'), 2)).toBe('address:198.51.100.7');
    // Repeated headers are one list, in order.
    expect(clientOf(requestFrom('10.0.0.2', ['192.0.2.9', '198.51.100.7']), 1)).toBe('address:198.51.100.7');
  });

  it('charges an IPv6 client behind a proxy to its /64, as it would be without one', () => {
    expect(clientOf(requestFrom('10.0.0.2', '2001:db8:0:1:aaaa::1'), 1)).toBe('address:2001:db8:0:1::/64');
  });
});

describe("a request's client address", () => {
  it('drops the port a proxy wrote beside the address', () => {
    expect(clientAddress(requestFrom('10.0.0.2', '198.51.100.7:51234'), 1)).toBe('198.51.100.7');
    expect(clientAddress(requestFrom('10.0.0.2', '[2001:db8::7]:443'), 1)).toBe('2001:db8::7');
    expect(clientAddress(requestFrom('10.0.0.2', '[2001:db8::7]'), 1)).toBe('2001:db8::7');
  });

  it('is the leftmost entry of a request that passed fewer proxies than configured, and the peer without the header', () => {
    expect(clientAddress(requestFrom('10.0.0.2', '198.51.100.7'), 3)).toBe('198.51.100.7');
    expect(clientAddress(requestFrom('10.0.0.2', ''), 1)).toBe('10.0.0.2');
    expect(clientAddress({ socket: { remoteAddress: '10.0.0.2' }, headers: {} } as unknown as Request, 1)).toBe('10.0.0.2');
  });

  it('stays the peer when the trusted entry is no address, so junk never becomes a key', () => {
    expect(clientAddress(requestFrom('10.0.0.2', '198.51.100.7, <script>'), 1)).toBe('10.0.0.2');
    expect(clientAddress(requestFrom('10.0.0.2', `${'9'.repeat(5000)}`), 1)).toBe('10.0.0.2');
    expect(clientAddress(requestFrom('10.0.0.2', '198.51.100.7:99999999'), 1)).toBe('10.0.0.2');
  });

  it('takes an IPv6 /64 as one client, however its addresses are written', () => {
    const key = clientOf(requestFrom('2001:db8:0:1:aaaa::1'));
    expect(key).toBe('address:2001:db8:0:1::/64');
    expect(clientOf(requestFrom('2001:0db8:0000:0001:ffff:ffff:ffff:ffff'))).toBe(key);
    expect(clientOf(requestFrom('2001:db8::1'))).toBe('address:2001:db8:0:0::/64');
    expect(clientOf(requestFrom('2001:db8:0:2::1'))).not.toBe(key);
  });
});
