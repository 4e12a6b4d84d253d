import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlobStorage } from '../../src/storage/blob/openBlobStorage.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { conversation, textOf, type BotEndpoint } from '../support/botServer.js';
import { startAzurite, startBotProcess, startConnector, type Azurite, type BotProcess, type FakeConnector } from '../support/processes.js';

/** Two bot processes on one Azurite store, as two instances of a scaled-out deployment. */
let azurite: Azurite;
let connector: FakeConnector;
let instances: BotProcess[] = [];
let store: StorageBackend;
const containers = { BLOB_CONTAINER: 'scale-state', BLOB_TRANSCRIPT_CONTAINER: 'scale-transcripts' };

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  [azurite, connector] = await Promise.all([startAzurite(), startConnector()]);
  const env = { STORAGE: 'blob', BLOB_CONNECTION_STRING: azurite.connectionString, ...containers };
  instances = await Promise.all([startBotProcess(env), startBotProcess(env)]);
  store = await openBlobStorage({ connectionString: azurite.connectionString, stateContainer: containers.BLOB_CONTAINER, transcriptContainer: containers.BLOB_TRANSCRIPT_CONTAINER });
});
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await store?.close();
  await connector?.close();
  await azurite?.stop();
  nock.enableNetConnect();
});

/** Sends each activity to the next instance in turn, as a load balancer without sticky sessions would. */
function alternating(): BotEndpoint {
  let next = 0;
  return { post: (body) => (instances[next++ % instances.length] as BotProcess).post(body), sent: connector.sent };
}

describe('two instances on one blob store', () => {
  it("advances a tree correctly when a conversation's messages alternate between the instances", async () => {
    const chat = conversation(alternating(), { serviceUrl: connector.serviceUrl });
    const steps: [string, RegExp][] = [
      ['my iphone says Cannot Restore Backup', /three most recent/],
      ['no', /Wi-Fi/],
      ["didn't work", /storage|space/i],
      ['the second one', /restart/i],
      ['still failing', /update/i],
      ['nope', /support team/i],
    ];
    for (const [text, expected] of steps) expect(textOf((await chat.say(text)).replies), `after "${text}"`).toMatch(expected);
  });

  it('loses no update and sends each reply once when a burst on one conversation hits both instances together', async () => {
    const chat = conversation(alternating(), { serviceUrl: connector.serviceUrl });
    const said = Array.from({ length: 20 }, (_, index) => `hello number ${index}`);
    const responses = await Promise.all(said.map((text) => chat.say(text)));
    expect(responses.map((response) => response.status)).toEqual(said.map(() => 200));

    const lines = await store.transcripts.read({ channelId: 'webchat', conversationId: chat.id });
    // Each turn numbered its lines after the state the previous turn saved: a lost update would repeat a number.
    expect(lines.map((entry) => entry.seq)).toEqual(lines.map((_, index) => index));
    expect(lines.filter((entry) => entry.from === 'customer').map((entry) => entry.text).sort()).toEqual([...said].sort());
    const sentMessages = connector.sent.filter((activity) => activity.conversationId === chat.id && activity.body.type === 'message');
    expect(sentMessages).toHaveLength(lines.filter((entry) => entry.from === 'bot').length);
  });
});
