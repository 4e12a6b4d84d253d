import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { BotAuthentication } from '../../src/channels/authentication.js';
import { connectorRetryPolicy } from '../../src/channels/connectorRetry.js';
import { createLogger } from '../../src/logger.js';

const policy = connectorRetryPolicy({ attempts: 3, timeoutMs: 1000, backoffMs: 10, logger: createLogger('silent') });
const activity = (serviceUrl: string) => ({ type: 'message', channelId: 'webchat', serviceUrl, conversation: { id: 'c' }, from: { id: 'u' }, text: 'hi' }) as Activity;

/** An unauthenticated request's result, as CloudAdapter gets it for a turn. */
async function turn(auth: BotAuthentication, serviceUrl = 'https://connector.test') {
  const result = await auth.authenticateRequest(activity(serviceUrl), '');
  const factory = result.connectorFactory;
  if (!factory) throw new Error('no connector factory');
  return { result, connector: () => factory.create(serviceUrl, result.audience) };
}

const policiesOf = (client: unknown): string[] =>
  (client as { client: { pipeline: { getOrderedPolicies(): { name: string }[] } } }).client.pipeline.getOrderedPolicies().map((entry) => entry.name);

describe('bot authentication', () => {
  it('puts the bounded retry policy in place of the pipeline default on connector clients', async () => {
    const client = await (await turn(new BotAuthentication({}, policy))).connector();
    expect(policiesOf(client)).toContain('connectorRetryPolicy');
    expect(policiesOf(client)).not.toContain('defaultRetryPolicy');
  });

  it('reuses the connector client of a serviceUrl from one turn to the next', async () => {
    const auth = new BotAuthentication({}, policy);
    const first = await (await turn(auth)).connector();
    expect(await (await turn(auth)).connector()).toBe(first);
    expect(await (await turn(auth, 'https://other-connector.test')).connector()).not.toBe(first);
  });

  it('reuses the user-token client of the app from one turn to the next', async () => {
    const auth = new BotAuthentication({}, policy);
    const { result } = await turn(auth);
    expect(await auth.createUserTokenClient(result.claimsIdentity)).toBe(await auth.createUserTokenClient((await turn(auth)).result.claimsIdentity));
  });

  it('gives proactive sends (continueConversation) the same connector clients', async () => {
    const auth = new BotAuthentication({}, policy);
    const { result, connector } = await turn(auth);
    const proactive = await auth.createConnectorFactory(result.claimsIdentity).create('https://connector.test', result.audience);
    expect(proactive).toBe(await connector());
  });
});
