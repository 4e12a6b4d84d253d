/**
 * Agent accounts and their credentials as kept in the configured store, shared by every instance.
 * Accounts are keyed by their folded name (agentAccounts.ts decides the folding); credentials by
 * the SHA-256 digest of their token, so a token itself is never written anywhere.
 */
export interface AgentAccountRecord {
  /** The name as customers read it ("Dana from the support team has joined"). */
  readonly name: string;
  readonly createdAt: string;
  /** Lower-case address the agent signs in with at the identity provider. */
  readonly email?: string;
  /** The provider's stable id for the person (OpenID `sub`, or Entra ID's `oid`). */
  readonly subject?: string;
  /** Last provider sign-in or token use, to the hour. */
  readonly lastSeenAt?: string;
}

export interface AgentCredentialRecord {
  /** SHA-256 of the token, hex. */
  readonly digest: string;
  /** Key of the account it signs in. */
  readonly agent: string;
  /** A token from `npm run agents`, or a console session from a provider sign-in. */
  readonly kind: 'token' | 'session';
  readonly createdAt: string;
  /** Sessions expire; tokens last until rotated or the account is removed. */
  readonly expiresAt?: string;
}

export interface AgentStore {
  /** Adds an account unless one has that key; false when one has (atomically: two instances cannot both add it). */
  create(key: string, account: AgentAccountRecord): Promise<boolean>;
  get(key: string): Promise<AgentAccountRecord | undefined>;
  /** Replaces an existing account; false when it is gone (a removed account is never brought back). */
  update(key: string, account: AgentAccountRecord): Promise<boolean>;
  list(): Promise<AgentAccountRecord[]>;
  /** Whether any account exists, reading at most one (asked at every handoff when nobody is online). */
  any(): Promise<boolean>;
  /** False when there was no such account. */
  remove(key: string): Promise<boolean>;
  putCredential(credential: AgentCredentialRecord): Promise<void>;
  credential(digest: string): Promise<AgentCredentialRecord | undefined>;
  credentialsOf(key: string): Promise<AgentCredentialRecord[]>;
  removeCredentials(digests: readonly string[]): Promise<void>;
}
