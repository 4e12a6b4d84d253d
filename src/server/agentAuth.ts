import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { Request, Response } from 'restify';
import { AppError, RetryLaterError } from '../errors.js';
import { bearerToken } from '../text.js';

/** Who holds a presented bearer token: an agent's name, or undefined for anyone else. */
export interface AgentDirectory {
  /** `from` is the request the token came with, for a directory that limits guesses per client. */
  identify(token: string, from: Request): Promise<string | undefined>;
}

/** A route handler that runs as the agent whose token came with the request. */
export type AgentHandler = (req: Request, res: Response, agent: string) => Promise<void>;

/** Agents named with their tokens in the configuration (AGENT_TOKENS); only the digests are kept. */
export function configuredAgents(agents: readonly { readonly name: string; readonly token: string }[]): AgentDirectory {
  const digests = agents.map((agent) => ({ name: agent.name, digest: digest(agent.token) }));
  return {
    async identify(token) {
      const given = digest(token);
      let owner: string | undefined;
      // Compares against every digest, so the time taken says nothing about which one was close.
      for (const agent of digests) if (timingSafeEqual(given, agent.digest)) owner = agent.name;
      return owner;
    },
  };
}

/**
 * The agents the console knows: those of AGENT_TOKENS first, then the accounts in the store. A
 * token is asked of the next directory only when the one before knows it not, so a store that is
 * failing never locks out the agents configured in the environment. A name in both is one agent
 * reachable by either token (`npm run agents -- add` refuses a name AGENT_TOKENS has).
 */
export function agentDirectories(...directories: readonly AgentDirectory[]): AgentDirectory {
  return {
    async identify(token, from) {
      for (const directory of directories) {
        const agent = await directory.identify(token, from);
        if (agent) return agent;
      }
      return undefined;
    },
  };
}

/**
 * Wraps an agent route: the acting agent is the token's owner, whatever a body or a query says, and
 * a request without a valid token is refused with 401 and a Bearer challenge.
 */
export function asAgent(directory: AgentDirectory, handler: AgentHandler) {
  return async (req: Request, res: Response): Promise<void> => {
    const presented = bearerToken(req.headers.authorization);
    const agent = presented ? await directory.identify(presented, req) : undefined;
    if (!agent) {
      res.header('WWW-Authenticate', 'Bearer');
      throw new AppError('ERR_AGENT_UNAUTHORIZED', 'a valid agent token is required');
    }
    await handler(req, res, agent);
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface FailureLimitSettings {
  /** Distinct failed attempts one client address (or one named account) may make in a window. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Addresses and accounts remembered at once; beyond it the one that failed least recently is forgotten. */
  readonly maxTracked: number;
  /** TRUST_PROXY_HOPS: how many reverse proxies stand in front of this server (clientAddress); 0 unless given. */
  readonly trustProxyHops?: number;
  readonly now?: () => number;
}

interface Failures {
  /** When the first failure of this window came. */
  readonly since: number;
  /** Fingerprints of the distinct secrets tried (48 bits of their SHA-256), at most maxFailures of them. */
  readonly attempts: Set<number>;
}

/**
 * Counts failed sign-ins and wrong tokens per client address (and per account, where an attempt
 * names one); a key that has failed `maxFailures` times is refused with 429 and Retry-After until
 * its window, which starts at its first failure, ends. Only failures count, so an agent whose
 * console polls every 1.5 s is never slowed; the same wrong secret tried again counts once, so a
 * console left open on an expired session does not lock out the office it shares an address with.
 * Memory is bounded: at most `maxTracked` keys of at most `maxFailures` numeric fingerprints,
 * whatever number of addresses an attacker rotates through.
 *
 * Kept in this instance's memory: behind N instances an attacker gets N windows' worth of guesses,
 * a bound that still makes a 256-bit token, or an AGENT_TOKENS token of 16+ characters, unguessable.
 * restify's `throttle` plugin was not used: it limits every request (an agent's polling included)
 * rather than failures, and keys on nothing a failure could be charged to.
 */
export class FailureLimit {
  private readonly tracked = new Map<string, Failures>();

  constructor(private readonly settings: FailureLimitSettings) {}

  /**
   * The key a request's failures are charged to: its client address (clientAddress). An IPv6 /64
   * is one key, since whoever has one address of it usually has them all.
   */
  clientOf(req: Request): string {
    const address = clientAddress(req, this.settings.trustProxyHops ?? 0);
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return `address:${mapped[1]}`;
    if (isIPv6(address)) return `address:${ipv6Prefix(address)}::/64`;
    return `address:${address}`;
  }

  /** ERR_AGENT_RATE_LIMITED when any of the keys has used up its failures in its window. */
  refuseIfSpent(keys: readonly string[]): void {
    const now = this.clock();
    let waitMs = 0;
    for (const key of keys) {
      const failures = this.current(key, now);
      if (failures && failures.attempts.size >= this.settings.maxFailures) waitMs = Math.max(waitMs, failures.since + this.settings.windowMs - now);
    }
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new RetryLaterError('ERR_AGENT_RATE_LIMITED', `Too many failed sign-in attempts from here; try again in ${minutesOf(seconds)}.`, seconds);
    }
  }

  /** Charges a failed attempt, known by the secret it tried, to each key. */
  failed(keys: readonly string[], attempt: string): void {
    const now = this.clock();
    const fingerprint = createHash('sha256').update(attempt).digest().readUIntBE(0, 6);
    for (const key of keys) {
      const failures = this.current(key, now) ?? { since: now, attempts: new Set<number>() };
      if (failures.attempts.size < this.settings.maxFailures) failures.attempts.add(fingerprint);
      // Re-inserted so the Map's first key is always the one that failed least recently.
      this.tracked.delete(key);
      this.tracked.set(key, failures);
      if (this.tracked.size > this.settings.maxTracked) {
        const oldest = this.tracked.keys().next();
        if (!oldest.done) this.tracked.delete(oldest.value);
      }
    }
  }

  private current(key: string, now: number): Failures | undefined {
    const failures = this.tracked.get(key);
    if (failures && now - failures.since >= this.settings.windowMs) {
      this.tracked.delete(key);
      return undefined;
    }
    return failures;
  }

  private clock(): number {
    return (this.settings.now ?? Date.now)();
  }
}

/** A directory that refuses a client address once it has tried too many wrong tokens. */
export function limitedDirectory(directory: AgentDirectory, failures: FailureLimit): AgentDirectory {
  return {
    async identify(token, from) {
      const keys = [failures.clientOf(from)];
      failures.refuseIfSpent(keys);
      const agent = await directory.identify(token, from);
      if (!agent) failures.failed(keys, token);
      return agent;
    },
  };
}

/**
 * Where a request came from. With `trustProxyHops` 0, the TCP peer: X-Forwarded-For is not read,
 * as anyone can write it. With N > 0 (TRUST_PROXY_HOPS, N reverse proxies in front), the address
 * the N-th proxy from this server saw: each proxy appends its peer to the right of the header, so
 * that entry is the N-th from the right, and everything left of it is whatever the client wrote.
 * A request that passed fewer proxies gives the leftmost entry (as Express's `trust proxy` does),
 * one without the header the peer. A port some proxies add ("203.0.113.7:51234", "[2001:db8::1]:443")
 * is dropped; an entry that is no address at all is not believed either, and the peer stands.
 * This holds only if the proxies are the one way in: a client reaching the port directly writes
 * the whole header (README "Agent accounts and sign-in").
 */
export function clientAddress(req: Pick<Request, 'socket' | 'headers'>, trustProxyHops: number): string {
  const peer = req.socket?.remoteAddress ?? 'unknown';
  if (trustProxyHops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  // Node joins repeated headers with ", " already for this one; an array only comes from a caller.
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return peer;
  return addressIn(entries[Math.max(0, entries.length - trustProxyHops)]!) ?? peer;
}

/** The IP address of one X-Forwarded-For entry, without the port a proxy may have added. */
function addressIn(entry: string): string | undefined {
  if (isIP(entry)) return entry;
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(entry);
  if (bracketed && isIPv6(bracketed[1]!)) return bracketed[1];
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  if (withPort && isIPv4(withPort[1]!)) return withPort[1];
  return undefined;
}

/** The first four groups of an IPv6 address, its "::" written out. */
function ipv6Prefix(address: string): string {
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':');
}

const minutesOf = (seconds: number): string => (seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);
