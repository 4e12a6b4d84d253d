import { rmSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversation, textOf, type BotEndpoint } from '../support/botServer.js';
import { startBotProcess, startConnector, tempDir, type BotProcess, type FakeConnector } from '../support/processes.js';

let connector: FakeConnector;
let server: BotProcess | undefined;
const dataDir = tempDir('crash-replay-');
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  connector = await startConnector();
});
afterAll(async () => {
  await server?.stop();
  await connector.close();
  rmSync(dataDir, { recursive: true, force: true });
  nock.enableNetConnect();
});

describe('a crash between saving a turn and sending its replies', () => {
  it("answers the channel's retry of the same activity with the replies the dead process saved", async () => {
    const env = { STORAGE: 'file', DATA_DIR: dataDir };
    server = await startBotProcess(env);
    const endpoint: BotEndpoint = { post: (body) => (server as BotProcess).post(body), sent: connector.sent };
    const chat = conversation(endpoint, { serviceUrl: connector.serviceUrl });
    const activity = { type: 'message', id: `${chat.id}-slow`, channelId: 'webchat', serviceUrl: connector.serviceUrl, conversation: { id: chat.id }, from: chat.user, recipient: { id: 'bot-id' }, text: 'my restore is taking forever' };

    // The state is saved before the replies go out; the connector takes the reply but never
    // answers, and the process is killed while it waits: saved, not delivered.
    connector.holding = true;
    const reachedConnector = connector.nextPost();
    const first = server.post(activity).catch(() => undefined);
    await reachedConnector;
    await server.stop('SIGKILL');
    await first;
    connector.holding = false;
    expect(connector.sent.filter((sent) => sent.conversationId === chat.id)).toHaveLength(0);

    server = await startBotProcess(env);
    const retry = await server.post(activity);
    expect(retry.status).toBe(200);
    const replies = connector.sent.filter((sent) => sent.conversationId === chat.id);
    expect(textOf(replies)).toMatch(/per gigabyte/);

    // The retry did not run the turn a second time: the conversation moves on from where it was.
    const next = await chat.say('yes');
    expect(textOf(next.replies)).toMatch(/countr|region/i);
  }, 90_000);
});
