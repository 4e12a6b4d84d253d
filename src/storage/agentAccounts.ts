import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { AgentAccountRecord, AgentCredentialRecord, AgentStore } from './agentStore.js';

/** How a person who signed in at the identity provider is known: ids first (the one to pin first), then addresses. */
export interface SignInIdentity {
  readonly subjects: readonly string[];
  /** Addresses the provider vouches for (a verified email, Entra ID's user principal name), lower-case. */
  readonly emails: readonly string[];
}

/** How an account can be tied to a provider identity (`npm run agents -- add <name> --email …`). */
export interface AgentLink {
  readonly email?: string;
  readonly subject?: string;
}

interface AgentListing extends AgentAccountRecord {
  readonly tokens: number;
  readonly sessions: number;
}

/**
 * 256 random bits, base64url: 43 characters. Tokens are bearer secrets, not passwords a person
 * chooses, so nothing can be guessed from a dictionary: one SHA-256 is enough to keep them (a slow,
 * salted hash only defends low-entropy secrets), and it lets a check look the digest up directly.
 */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** A name customers read in the chat: letters (any script), digits, spaces and . ' ’ - _, up to 40. */
const NAME_SHAPE = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}.'’_-]| (?! ))*$/u;
const MAX_NAME_CHARS = 40;
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,63}$/;
const SUBJECT_SHAPE = /^[\x21-\x7e]{1,255}$/;
/** Sessions an agent may hold at once (browsers, devices); signing in again drops the oldest beyond it. */
const MAX_SESSIONS = 10;
/** "Last seen" is written at most this often per agent, so checks stay reads. */
const SEEN_RESOLUTION_MS = 60 * 60 * 1000;

/**
 * Agent accounts over the configured store. Every check reads the store (no cache), so a removed
 * agent or a rotated token stops working at once on every instance sharing it.
 */
export class AgentAccounts {
  constructor(
    private readonly store: AgentStore,
    private readonly options: { readonly sessionMs: number; readonly now?: () => number },
  ) {}

  /** Creates an account and its first token, which is returned once and kept only as a digest. */
  async add(name: string, link: AgentLink = {}): Promise<{ readonly account: AgentAccountRecord; readonly token: string }> {
    const shown = agentName(name);
    const account: AgentAccountRecord = { name: shown, createdAt: this.stamp(), ...checkedLink(link) };
    await this.refuseSharedLink(keyOf(shown), account);
    if (!(await this.store.create(keyOf(shown), account))) throw new AppError('ERR_AGENT_EXISTS', `an agent named ${shown} already exists`);
    return { account, token: await this.mint(keyOf(shown), 'token') };
  }

  /** Every account with how many tokens and live sessions it has; never a token. */
  async list(): Promise<AgentListing[]> {
    const now = this.clock();
    return Promise.all(
      (await this.store.list()).map(async (account) => {
        const credentials = (await this.store.credentialsOf(keyOf(account.name))).filter((credential) => !expired(credential, now));
        return { ...account, tokens: credentials.filter((c) => c.kind === 'token').length, sessions: credentials.filter((c) => c.kind === 'session').length };
      }),
    );
  }

  /** Whether anyone could answer a left message: one read of at most one account, whatever the team's size. */
  any(): Promise<boolean> {
    return reading(() => this.store.any());
  }

  /** Removes the account first, so its tokens and sessions fail from that moment even if deleting them is cut short. */
  async remove(name: string): Promise<AgentAccountRecord> {
    const key = keyOf(agentName(name));
    const account = await this.store.get(key);
    if (!account || !(await this.store.remove(key))) throw unknownAgent(name);
    await this.store.removeCredentials((await this.store.credentialsOf(key)).map((credential) => credential.digest));
    return account;
  }

  /** A new token; the agent's previous tokens stop working (their console sessions stay until they expire). */
  async rotate(name: string): Promise<{ readonly account: AgentAccountRecord; readonly token: string }> {
    const key = keyOf(agentName(name));
    const account = await this.store.get(key);
    if (!account) throw unknownAgent(name);
    const old = (await this.store.credentialsOf(key)).filter((credential) => credential.kind === 'token');
    const token = await this.mint(key, 'token');
    await this.store.removeCredentials(old.map((credential) => credential.digest));
    return { account, token };
  }

  /** Ties an account to a provider identity. A new address unpins the old subject, so its owner pins it at their next sign-in. */
  async link(name: string, link: AgentLink): Promise<AgentAccountRecord> {
    const key = keyOf(agentName(name));
    const account = await this.store.get(key);
    if (!account) throw unknownAgent(name);
    const { email: _email, subject: _subject, ...rest } = account;
    const changed: AgentAccountRecord = {
      ...rest,
      ...(link.email === undefined && account.email ? { email: account.email } : {}),
      ...(link.email === undefined && link.subject === undefined && account.subject ? { subject: account.subject } : {}),
      ...checkedLink(link),
    };
    await this.refuseSharedLink(key, changed);
    if (!(await this.store.update(key, changed))) throw unknownAgent(name);
    return changed;
  }

  /** One person, one agent: a sign-in must never have two accounts to choose from. */
  private async refuseSharedLink(key: string, account: AgentLink): Promise<void> {
    if (account.email === undefined && account.subject === undefined) return;
    const other = (await this.store.list()).find(
      (candidate) => keyOf(candidate.name) !== key && ((account.email !== undefined && candidate.email === account.email) || (account.subject !== undefined && candidate.subject === account.subject)),
    );
    if (other) throw new AppError('ERR_AGENT_LINK', `${other.name} is already linked to that sign-in; one person signs in as one agent`);
  }

  /** The name of the agent a token or console session belongs to, or undefined. */
  async identify(token: string): Promise<string | undefined> {
    // Only our own shape is looked up: random junk costs no store read.
    if (!TOKEN_SHAPE.test(token)) return undefined;
    return reading(async () => {
      const credential = await this.store.credential(digestOf(token));
      if (!credential || expired(credential, this.clock())) return undefined;
      const account = await this.store.get(credential.agent);
      if (!account) return undefined;
      await this.seen(credential.agent, account);
      return account.name;
    });
  }

  /**
   * A console session for whoever signed in at the provider, if an account is linked to them: by a
   * pinned subject, or else by address on an account not pinned yet, which is then pinned to them
   * (so another person later given that address cannot take the account over).
   */
  signIn(identity: SignInIdentity): Promise<{ readonly name: string; readonly token: string; readonly expiresAt: string } | undefined> {
    return reading(() => this.signInNow(identity));
  }

  private async signInNow(identity: SignInIdentity): Promise<{ readonly name: string; readonly token: string; readonly expiresAt: string } | undefined> {
    const accounts = await this.store.list();
    const pinned = accounts.find((account) => account.subject !== undefined && identity.subjects.includes(account.subject));
    const byAddress = pinned ? undefined : accounts.find((account) => account.subject === undefined && account.email !== undefined && identity.emails.includes(account.email));
    const account = pinned ?? byAddress;
    const pin = identity.subjects[0];
    if (!account || pin === undefined) return undefined;
    const key = keyOf(account.name);
    if (!(await this.store.update(key, { ...account, subject: account.subject ?? pin, lastSeenAt: this.stamp() }))) return undefined;
    const expiresAt = new Date(this.clock() + this.options.sessionMs).toISOString();
    const token = await this.mint(key, 'session', expiresAt);
    await this.pruneSessions(key);
    return { name: account.name, token, expiresAt };
  }

  /** Ends a console session (a shared computer); a token from `npm run agents` is left alone, as only rotate replaces it. */
  async signOut(token: string): Promise<void> {
    if (!TOKEN_SHAPE.test(token)) return;
    await reading(async () => {
      const credential = await this.store.credential(digestOf(token));
      if (credential?.kind === 'session') await this.store.removeCredentials([credential.digest]);
    });
  }

  private async mint(key: string, kind: AgentCredentialRecord['kind'], expiresAt?: string): Promise<string> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    await this.store.putCredential({ digest: digestOf(token), agent: key, kind, createdAt: this.stamp(), ...(expiresAt ? { expiresAt } : {}) });
    return token;
  }

  /** Expired sessions go, and beyond MAX_SESSIONS the oldest: signing in again and again cannot grow the store. */
  private async pruneSessions(key: string): Promise<void> {
    const now = this.clock();
    const sessions = (await this.store.credentialsOf(key)).filter((credential) => credential.kind === 'session');
    const live = sessions.filter((credential) => !expired(credential, now)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const dropped = [...sessions.filter((credential) => expired(credential, now)), ...live.slice(MAX_SESSIONS)];
    if (dropped.length > 0) await this.store.removeCredentials(dropped.map((credential) => credential.digest));
  }

  private async seen(key: string, account: AgentAccountRecord): Promise<void> {
    const last = account.lastSeenAt ? Date.parse(account.lastSeenAt) : 0;
    if (this.clock() - last >= SEEN_RESOLUTION_MS) await this.store.update(key, { ...account, lastSeenAt: this.stamp() });
  }

  private clock(): number {
    return (this.options.now ?? Date.now)();
  }

  private stamp(): string {
    return new Date(this.clock()).toISOString();
  }
}

/** A valid agent name as given (NFC, trimmed), or ERR_AGENT_NAME saying what is allowed. */
export function agentName(name: string): string {
  const shown = name.normalize('NFC').trim();
  if (shown.length === 0 || shown.length > MAX_NAME_CHARS || !NAME_SHAPE.test(shown)) {
    throw new AppError('ERR_AGENT_NAME', `agent name ${JSON.stringify(name.slice(0, 60))}: use 1-${MAX_NAME_CHARS} letters, digits, single spaces and . ' - _, starting with a letter or digit`);
  }
  return shown;
}

/** A store that fails is the store's trouble (503, and the agent can retry), not a bug in the request (500). */
async function reading<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('ERR_STORAGE_UNAVAILABLE', 'agent accounts could not be read or written', { cause: error });
  }
}

/** Names are one agent whatever their case: "dana" cannot be added beside "Dana". */
const keyOf = (name: string): string => name.toLowerCase();
const digestOf = (token: string): string => createHash('sha256').update(token).digest('hex');
const expired = (credential: AgentCredentialRecord, now: number): boolean => credential.expiresAt !== undefined && Date.parse(credential.expiresAt) <= now;
const unknownAgent = (name: string): AppError => new AppError('ERR_AGENT_UNKNOWN', `no agent named ${JSON.stringify(name.slice(0, 60))}`);

function checkedLink(link: AgentLink): AgentLink {
  const email = link.email?.trim().toLowerCase();
  if (email !== undefined && !EMAIL_SHAPE.test(email)) throw new AppError('ERR_AGENT_LINK', `--email ${JSON.stringify(link.email?.slice(0, 60))} is not an address like alice@contoso.com`);
  const subject = link.subject?.trim();
  if (subject !== undefined && !SUBJECT_SHAPE.test(subject)) throw new AppError('ERR_AGENT_LINK', '--subject must be the 1-255 printable characters of the id (Entra ID: the object id)');
  return { ...(email ? { email } : {}), ...(subject ? { subject } : {}) };
}
