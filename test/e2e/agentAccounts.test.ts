import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { agentOnline, caseId, conversation, jsonOf, startBot, type RunningBot } from '../support/botServer.js';
import { lastLine, runAgentsCli } from '../support/agentsCli.js';
import { tempDir } from '../support/processes.js';

/** An agent configured in the environment beside the accounts the CLI adds to the store. */
const ENV_AGENT_TOKEN = 'token-of-ana-from-the-environment';

let dir: string;
let storage: StorageBackend;
let bot: RunningBot;

const agents = (...args: string[]) => runAgentsCli(dir, { STORAGE: 'file', DATA_DIR: path.join(dir, 'data'), AGENT_TOKENS: `Ana=${ENV_AGENT_TOKEN}` }, ...args);
const asAgent = (token: string, route: string, body?: unknown) =>
  fetch(`${bot.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  dir = tempDir('agents-cli-');
  storage = openSqliteStorage(path.join(dir, 'data', 'bot.sqlite'));
  bot = await startBot({ AGENT_TOKENS: `Ana=${ENV_AGENT_TOKEN}` }, { storage });
});
afterAll(async () => {
  await bot?.close();
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each CLI run compiles src/ through tsx as it starts: seconds apiece on a loaded machine. */
const CLI_TIMEOUT = { timeout: 90_000 };

describe('npm run agents beside a running server', CLI_TIMEOUT, () => {
  it('adds an agent whose token, printed alone on the last line, opens the console without a restart', async () => {
    const added = await agents('add', 'Dana', '--email', 'dana@contoso.com');
    expect(added.code).toBe(0);
    const token = lastLine(added.stdout);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.stdout).toMatch(/Added agent Dana \(sign-in: dana@contoso\.com\)/);

    const me = await asAgent(token, '/api/agent/me');
    expect(me.status).toBe(200);
    expect(await jsonOf(me)).toEqual({ name: 'Dana' });
  });

  it('refuses a name that is taken, in the store or in AGENT_TOKENS, with a clear message and a non-zero exit', async () => {
    expect((await agents('add', 'Lee')).code).toBe(0);
    const again = await agents('add', 'lee');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/an agent named lee already exists \[ERR_AGENT_EXISTS\]/);
    expect(again.stdout).toBe('');

    const configured = await agents('add', 'ANA');
    expect(configured.code).toBe(1);
    expect(configured.stderr).toMatch(/already an agent in AGENT_TOKENS/);
  });

  it('refuses a name with markup or control characters, and wrong usage with the usage text', async () => {
    const bad = await agents('add', '<b>Boss</b>');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\[ERR_AGENT_NAME\]/);
    const usage = await agents('promote', 'Dana');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command "promote"[\s\S]*npm run agents -- add <name>/);
  });

  it('lists the accounts and the AGENT_TOKENS names, never a token', async () => {
    const { stdout: added } = await agents('add', 'Noor');
    const listed = await agents('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^Noor\tadded \d{4}-\d\d-\d\d\tnever seen\t0 session\(s\)$/m);
    expect(listed.stdout).toMatch(/Also from AGENT_TOKENS in this environment: Ana/);
    expect(listed.stdout).not.toContain(lastLine(added));
    expect(listed.stdout).not.toContain(ENV_AGENT_TOKEN);
  });

  it("refuses a removed agent's token at the server's very next request", async () => {
    const token = lastLine((await agents('add', 'Sam')).stdout);
    expect((await asAgent(token, '/api/agent/queue')).status).toBe(200);
    const removed = await agents('remove', 'sam');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/Removed agent Sam/);
    const refused = await asAgent(token, '/api/agent/queue');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await agents('remove', 'Ana')).stderr).toMatch(/comes from AGENT_TOKENS/);
  });

  it('rotates a token: the new one works and the old one no longer does', async () => {
    const first = lastLine((await agents('add', 'Rui')).stdout);
    const rotated = await agents('rotate', 'Rui');
    expect(rotated.code).toBe(0);
    const second = lastLine(rotated.stdout);
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await asAgent(first, '/api/agent/me')).status).toBe(401);
    expect(await jsonOf(await asAgent(second, '/api/agent/me'))).toEqual({ name: 'Rui' });
  });
});

describe('the console with agents from the store and the environment', CLI_TIMEOUT, () => {
  it("acts as the token's owner whatever name a body gives, for an account as for AGENT_TOKENS", async () => {
    const bo = lastLine((await agents('add', 'Bo')).stdout);
    // Bo's console is open, so the customer is queued (not offered to leave a message).
    await agentOnline(bot, bo);
    const chat = conversation(bot);
    await chat.say('I want to talk to a person');
    const accepted = await asAgent(bo, `/api/agent/conversations/${caseId(chat.id)}/accept`, { agent: 'Ana' });
    expect(accepted.status).toBe(200);
    expect(await jsonOf(accepted)).toMatchObject({ status: 'accepted', agent: 'Bo' });
    const asBo = await asAgent(ENV_AGENT_TOKEN, `/api/agent/conversations/${caseId(chat.id)}/messages`, { agent: 'Bo', text: 'I am Bo, honest' });
    expect(asBo.status).toBe(409);
  });
});

describe('a server with no agents configured at all', () => {
  it('serves the console page and refuses its API to any token, so a first agent can be added while it runs', async () => {
    const bare = await startBot();
    try {
      expect((await fetch(`${bare.url}/agent`)).status).toBe(200);
      for (const token of ['anything-at-all-here', 'A'.repeat(43)]) {
        const response = await fetch(`${bare.url}/api/agent/queue`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(401);
        expect((await jsonOf(response)).error.code).toBe('ERR_AGENT_UNAUTHORIZED');
      }
    } finally {
      await bare.close();
    }
  });
});
