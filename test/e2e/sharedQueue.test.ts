import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { agentOnline, caseId, conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';
import { tempDir } from '../support/processes.js';


/** Two servers on one file store, as two instances on one machine or one server before and after a restart. */
const tokenOf = (agent: string): string => `agent-token-of-${agent}-0123456789`;
let dir: string;
const stores: StorageBackend[] = [];
const bots: RunningBot[] = [];

async function instance(): Promise<RunningBot> {
  const storage = openSqliteStorage(path.join(dir, 'bot.sqlite'));
  stores.push(storage);
  const bot = await startBot({ AGENT_TOKENS: ['Dana', 'Ana', 'Bo'].map((agent) => `${agent}=${tokenOf(agent)}`).join(',') }, { storage });
  bots.push(bot);
  // An agent's console is open (the heartbeat is in the shared store): customers are queued.
  await agentOnline(bot, tokenOf('Dana'));
  return bot;
}

beforeAll(() => {
  dir = tempDir('shared-queue-');
});
afterAll(async () => {
  for (const bot of bots) await bot.close();
  for (const storage of stores) await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The console's API as the agent named in the test's body would call it: with that agent's own token. */
const agentApi = (bot: RunningBot, route: string, body?: unknown) =>
  fetch(`${bot.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${tokenOf((body as { agent?: string } | undefined)?.agent ?? 'Dana')}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('the agent queue on a shared store', () => {
  it('still lists a waiting customer after the server that queued them is gone, and another takes the chat', async () => {
    const before = await instance();
    const customer = conversation(before);
    await customer.say('my iphone says Cannot Restore Backup');
    await customer.say('I want to talk to a person');
    await before.close();
    bots.splice(bots.indexOf(before), 1);

    const after = await instance();
    const queue = (await (await agentApi(after, '/api/agent/queue')).json()) as { conversations: { conversationId: string; status: string; topic?: string; lastLine?: { text: string } }[] };
    expect(queue.conversations).toContainEqual(expect.objectContaining({ conversationId: customer.id, status: 'queued', topic: 'cannot_restore' }));

    const mark = after.sent.length;
    const accepted = await agentApi(after, `/api/agent/conversations/${caseId(customer.id)}/accept`, { agent: 'Dana' });
    expect(accepted.status).toBe(200);
    const view = (await accepted.json()) as { lines: { from: string; text: string }[] };
    expect(view.lines.map((line) => line.text)).toContain('I want to talk to a person');
    expect(textOf(after.sent.slice(mark).filter((activity) => activity.conversationId === customer.id))).toMatch(/Dana from the support team has joined/);
  });

  it('lets exactly one of two agents on two instances accept the same customer', async () => {
    const [left, right] = [await instance(), await instance()];
    const customer = conversation(left);
    await customer.say('get me a human');
    const answers = await Promise.all([
      agentApi(left, `/api/agent/conversations/${caseId(customer.id)}/accept`, { agent: 'Ana' }),
      agentApi(right, `/api/agent/conversations/${caseId(customer.id)}/accept`, { agent: 'Bo' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers[0]?.status === 200 ? 'Ana' : 'Bo';
    const seen = (await (await agentApi(right, `/api/agent/conversations/${caseId(customer.id)}`)).json()) as { status: string; agent: string };
    expect(seen).toMatchObject({ status: 'accepted', agent: winner });
  });
});
