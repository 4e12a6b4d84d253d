import { ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { PipelinePolicyLike } from './connectorRetry.js';

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
export type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

interface PipelineLike {
  removePolicy(options: { phase: 'Retry' }): unknown;
  addPolicy(policy: PipelinePolicyLike, options: { phase: 'Retry' }): void;
}

/**
 * Bot Framework authentication whose connector clients (replies in a turn, proactive sends) use
 * the given retry policy instead of the HTTP pipeline's default one.
 */
export class RetryingAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly retryPolicy: PipelinePolicyLike,
  ) {
    super(settings);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.retrying(result.connectorFactory) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.retrying(super.createConnectorFactory(claimsIdentity));
  }

  private retrying(factory: ConnectorFactory): ConnectorFactory {
    return { create: async (serviceUrl, audience) => withPolicy(await factory.create(serviceUrl, audience), this.retryPolicy) };
  }
}

/**
 * botbuilder's ConnectorFactoryImpl overwrites the client options' requestPolicyFactories and has
 * no retry options, so the policy is swapped on the pipeline of the core-client ServiceClient that
 * botbuilder-stdlib's ServiceClientContext keeps in its `client` field. botbuilder is archived at
 * 4.23, so that field will not move; if it did, every turn would fail here with this message.
 */
function withPolicy(connector: ConnectorClient, policy: PipelinePolicyLike): ConnectorClient {
  const pipeline = (connector as unknown as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
  if (!pipeline) throw new Error('the connector client has no core-client pipeline to put the retry policy on');
  pipeline.removePolicy({ phase: 'Retry' });
  pipeline.addPolicy(policy, { phase: 'Retry' });
  return connector;
}
