import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { openBlobStorage } from '../../src/storage/blob/openBlobStorage.js';
import { agentOnline, caseId, conversation, jsonOf, startBot, textOf, type RunningBot } from '../support/botServer.js';
import { startAzurite, type Azurite } from '../support/processes.js';

/**
 * Two instances of a scaled-out deployment on one Azurite store (STORAGE=blob): an agent's
 * presence and the queue are in the store, so what one instance knows the other acts on.
 */
const tokenOf = (agent: string): string => `scale-presence-token-of-${agent}-0123456789`;
const containers = { BLOB_CONTAINER: 'presence-state', BLOB_TRANSCRIPT_CONTAINER: 'presence-transcripts' };
let azurite: Azurite;
let a: RunningBot;
let b: RunningBot;
const stores: StorageBackend[] = [];

/** B's customers talk through their own fake connector, so what reaches them is recorded in one place whichever instance sends it. */
const B_CONNECTOR = 'https://connector-b.test';

async function instance(serviceUrls: readonly string[] = []): Promise<RunningBot> {
  const storage = await openBlobStorage({ connectionString: azurite.connectionString, stateContainer: containers.BLOB_CONTAINER, transcriptContainer: containers.BLOB_TRANSCRIPT_CONTAINER });
  stores.push(storage);
  return startBot({ STORAGE: 'blob', BLOB_CONNECTION_STRING: azurite.connectionString, ...containers, AGENT_TOKENS: `Dana=${tokenOf('Dana')}` }, { storage, serviceUrls });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  azurite = await startAzurite();
  a = await instance();
  b = await instance([B_CONNECTOR]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  for (const storage of stores) await storage.close();
  await azurite?.stop();
  nock.enableNetConnect();
});

const agentApi = (bot: RunningBot, route: string, body?: unknown) =>
  fetch(`${bot.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${tokenOf('Dana')}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('presence shared by two instances on one blob store', () => {
  it('queues a customer on B because an agent is online on A, and the agent on A lists and accepts them', async () => {
    await agentOnline(a, tokenOf('Dana'));
    expect((await jsonOf(await agentApi(b, '/api/agent/online'))).agents).toEqual([expect.objectContaining({ name: 'Dana', status: 'available' })]);

    const customer = conversation(b, { serviceUrl: B_CONNECTOR });
    const { replies } = await customer.say('I want to talk to a person');
    expect(textOf(replies)).toMatch(/number 1 in the queue/);
    expect(textOf(replies)).not.toMatch(/leave them a message/);

    const { conversations } = await jsonOf(await agentApi(a, '/api/agent/queue'));
    expect(conversations).toContainEqual(expect.objectContaining({ conversationId: customer.id, status: 'queued' }));
    const mark = b.sent.length;
    expect((await agentApi(a, `/api/agent/conversations/${caseId(customer.id)}/accept`, {})).status).toBe(200);
    expect(textOf(b.sent.slice(mark).filter((activity) => activity.conversationId === customer.id))).toMatch(/Dana from the support team has joined/);
  });

  it("offers B's customer to leave a message once the agent on A has closed the console", async () => {
    await agentOnline(a, tokenOf('Dana'), 'offline');
    const customer = conversation(b, { serviceUrl: B_CONNECTOR });
    expect(textOf((await customer.say('I want to talk to a person')).replies)).toMatch(/nobody from the support team is online/i);
    expect(textOf((await customer.say('Please call me back about my restore')).replies)).toMatch(/your message is with the support team/i);
    const { conversations } = await jsonOf(await agentApi(a, '/api/agent/queue'));
    expect(conversations).toContainEqual(expect.objectContaining({ conversationId: customer.id, leftMessage: expect.objectContaining({ text: 'Please call me back about my restore' }) }));
  });
});
