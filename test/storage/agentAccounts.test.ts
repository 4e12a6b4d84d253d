import { describe, expect, it } from 'vitest';
import { AgentAccounts } from '../../src/storage/agentAccounts.js';
import { storeKinds, type StoreKind } from '../support/storeKinds.js';

const HOUR = 3600 * 1000;
/** Two handles on one store, as two instances of the bot (or the CLI beside a server) have; the in-memory store has only one. */
const stores = storeKinds('agents', ['file', 'blob']);

/** Accounts on two handles of one fresh store, with one clock the test moves. */
async function twoInstances(kind: StoreKind) {
  const place = stores.place(kind);
  const clock = { now: Date.parse('2026-12-01T09:00:00Z') };
  const open = async () => new AgentAccounts((await place.connect()).agents, { sessionMs: 12 * HOUR, now: () => clock.now });
  return { a: await open(), b: await open(), clock, place };
}

describe.each(stores.kinds)('agent accounts in the %s store', (kind) => {
  it("identifies an added agent by their token on another instance, and keeps only the token's digest", async () => {
    const { a, b, place } = await twoInstances(kind);
    const { token, account } = await a.add('Dana');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(account.name).toBe('Dana');
    expect(await b.identify(token)).toBe('Dana');

    const store = (await place.connect()).agents;
    const kept = JSON.stringify([await store.list(), await store.credentialsOf('dana')]);
    expect(kept).not.toContain(token);
    expect(kept).toContain('"kind":"token"');
  });

  it('says whether any account exists, as another instance adds and removes the only one', async () => {
    const { a, b } = await twoInstances(kind);
    expect(await b.any()).toBe(false);
    await a.add('Noor');
    expect(await b.any()).toBe(true);
    await a.remove('Noor');
    expect(await b.any()).toBe(false);
  });

  it('refuses a second agent of the same name, whatever its case, even when two instances add it at once', async () => {
    const { a, b } = await twoInstances(kind);
    const results = await Promise.allSettled([a.add('Lee'), b.add('LEE')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'ERR_AGENT_EXISTS' } });
    await expect(a.add(' lee ')).rejects.toMatchObject({ code: 'ERR_AGENT_EXISTS', message: expect.stringMatching(/already exists/) });
    expect((await b.list()).map((account) => account.name)).toHaveLength(1);
  });

  it("stops a removed agent's token and console session at once on every instance", async () => {
    const { a, b } = await twoInstances(kind);
    const { token } = await a.add('Bo', { email: 'bo@contoso.com' });
    const session = await a.signIn({ subjects: ['bo-subject'], emails: ['bo@contoso.com'] });
    expect(await b.identify(session!.token)).toBe('Bo');

    expect((await b.remove('bo')).name).toBe('Bo');
    expect(await a.identify(token)).toBeUndefined();
    expect(await a.identify(session!.token)).toBeUndefined();
    await expect(a.remove('Bo')).rejects.toMatchObject({ code: 'ERR_AGENT_UNKNOWN' });
  });

  it('never brings back a removed agent when an update (last seen, a link) comes after the removal', async () => {
    const { a, b, place } = await twoInstances(kind);
    await a.add('Kim');
    const store = (await place.connect()).agents;
    const before = await store.get('kim');
    await b.remove('Kim');
    expect(await store.update('kim', { ...before!, lastSeenAt: new Date().toISOString() })).toBe(false);
    expect(await store.get('kim')).toBeUndefined();
  });

  it('makes the previous token fail and the new one work when a token is rotated', async () => {
    const { a, b } = await twoInstances(kind);
    const { token: first } = await a.add('Ana María');
    const { account, token: second } = await b.rotate('ana maría');
    expect(account.name).toBe('Ana María');
    expect(await a.identify(first)).toBeUndefined();
    expect(await a.identify(second)).toBe('Ana María');
  });

  it("signs out a console session but never an agent's own token", async () => {
    const { a, b } = await twoInstances(kind);
    const { token } = await a.add('Uma', { subject: 'uma-id' });
    const session = (await a.signIn({ subjects: ['uma-id'], emails: [] }))!.token;
    await b.signOut(session);
    await b.signOut(token);
    expect(await a.identify(session)).toBeUndefined();
    expect(await a.identify(token)).toBe('Uma');
  });

  it('lists names, dates and sign-in links, and never a token', async () => {
    const { a, b } = await twoInstances(kind);
    const { token } = await a.add('Noor', { email: 'Noor@Contoso.com' });
    await a.add('Sam');
    const listed = await b.list();
    expect(listed.map((account) => [account.name, account.email, account.tokens])).toEqual(
      expect.arrayContaining([
        ['Noor', 'noor@contoso.com', 1],
        ['Sam', undefined, 1],
      ]),
    );
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it('pins the first person who signs in by address, so another person later given that address is refused', async () => {
    const { a, b } = await twoInstances(kind);
    await a.add('Alice', { email: 'alice@contoso.com' });
    const first = await b.signIn({ subjects: ['oid-of-alice', 'sub-of-alice'], emails: ['alice@contoso.com'] });
    expect(first).toMatchObject({ name: 'Alice', expiresAt: '2026-12-01T21:00:00.000Z' });
    expect(await a.identify(first!.token)).toBe('Alice');

    expect(await a.signIn({ subjects: ['oid-of-someone-else'], emails: ['alice@contoso.com'] })).toBeUndefined();
    expect(await a.signIn({ subjects: ['oid-of-alice'], emails: ['alice@new-name.example'] })).toMatchObject({ name: 'Alice' });
    expect((await a.list())[0]).toMatchObject({ subject: 'oid-of-alice', lastSeenAt: '2026-12-01T09:00:00.000Z' });
  });

  it('gives no session to a person no account is linked to', async () => {
    const { a } = await twoInstances(kind);
    await a.add('Pat');
    expect(await a.signIn({ subjects: ['someone'], emails: ['someone@contoso.com'] })).toBeUndefined();
    expect(await a.signIn({ subjects: [], emails: [] })).toBeUndefined();
  });

  it('refuses a console session once AGENT_SESSION_HOURS have passed, and keeps at most ten per agent', async () => {
    const { a, b, clock } = await twoInstances(kind);
    await a.add('Rui', { subject: 'rui-id' });
    const sessions = [];
    for (let index = 0; index < 12; index += 1) {
      sessions.push((await a.signIn({ subjects: ['rui-id'], emails: [] }))!.token);
      clock.now += 1000;
    }
    expect(await b.identify(sessions[0]!)).toBeUndefined();
    expect(await b.identify(sessions[11]!)).toBe('Rui');
    expect((await b.list())[0]).toMatchObject({ sessions: 10 });

    clock.now += 12 * HOUR;
    expect(await b.identify(sessions[11]!)).toBeUndefined();
  });
});

describe('agent names and sign-in links', () => {
  it('accepts names in any script with single spaces, apostrophes and hyphens', async () => {
    const { a } = await twoInstances('file');
    for (const name of ['Zoë', "Seán O'Brien", 'Lee-2', '李明', 'Ana María']) expect((await a.add(name)).account.name).toBe(name);
  });

  it('refuses empty, long, markup, control characters and double spaces, saying what a name may hold', async () => {
    const { a } = await twoInstances('file');
    for (const name of ['', '   ', 'x'.repeat(41), '<script>', 'tab\there', 'two  spaces', '-dash-first', 'new\nline', 'zero\u200bwidth']) {
      await expect(a.add(name), JSON.stringify(name)).rejects.toMatchObject({ code: 'ERR_AGENT_NAME', message: expect.stringMatching(/1-40 letters, digits/) });
    }
    expect(await a.list()).toEqual([]);
  });

  it('refuses to link one sign-in to two agents', async () => {
    const { a } = await twoInstances('file');
    await a.add('Gil', { email: 'gil@contoso.com', subject: 'gil-id' });
    await expect(a.add('Gil Two', { email: 'GIL@contoso.com' })).rejects.toMatchObject({ code: 'ERR_AGENT_LINK', message: expect.stringMatching(/Gil is already linked/) });
    await a.add('Hana');
    await expect(a.link('Hana', { subject: 'gil-id' })).rejects.toMatchObject({ code: 'ERR_AGENT_LINK' });
    expect((await a.link('Gil', { email: 'gil@contoso.com' })).email).toBe('gil@contoso.com');
  });

  it('refuses a malformed sign-in address or subject', async () => {
    const { a } = await twoInstances('file');
    await expect(a.add('Val', { email: 'not-an-address' })).rejects.toMatchObject({ code: 'ERR_AGENT_LINK' });
    await expect(a.add('Val', { subject: 'has space' })).rejects.toMatchObject({ code: 'ERR_AGENT_LINK' });
    expect(await a.list()).toEqual([]);
  });

  it('answers a failing store with ERR_STORAGE_UNAVAILABLE, so a console request gets 503 rather than 500', async () => {
    const place = stores.place('file');
    const backend = await place.connect();
    const accounts = new AgentAccounts(backend.agents, { sessionMs: HOUR });
    const { token } = await accounts.add('Ivo', { email: 'ivo@contoso.com' });
    await stores.closeEarly(backend);
    await expect(accounts.identify(token)).rejects.toMatchObject({ code: 'ERR_STORAGE_UNAVAILABLE' });
    await expect(accounts.signIn({ subjects: ['ivo'], emails: ['ivo@contoso.com'] })).rejects.toMatchObject({ code: 'ERR_STORAGE_UNAVAILABLE' });
  });

  it('identifies nobody from a token that is not of its shape, without looking it up', async () => {
    const { a } = await twoInstances('file');
    for (const token of ['', 'short', 'x'.repeat(10_000), `${'A'.repeat(42)}!`]) expect(await a.identify(token)).toBeUndefined();
  });
});
