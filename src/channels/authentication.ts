import { AsyncLocalStorage } from 'node:async_hooks';
import { ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { PipelinePolicyLike } from './connectorRetry.js';

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;
export type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

interface PipelineLike {
  removePolicy(options: { phase: 'Retry' }): unknown;
  addPolicy(policy: PipelinePolicyLike, options: { phase: 'Retry' }): void;
}

/**
 * Clients kept per cache. A channel has a handful of serviceUrls (Teams one per region) and the
 * bot one app id; the bound only matters when unauthenticated requests name their own serviceUrl.
 */
const MAX_CLIENTS = 100;

/**
 * Bot Framework authentication whose connector clients (replies in a turn, proactive sends) use
 * the given retry policy instead of the HTTP pipeline's default one, and whose clients are reused.
 * botbuilder builds a connector client and a user-token client, each with a whole HTTP pipeline,
 * for every turn: under load that was about an eighth of the CPU time of a turn (npm run bench).
 * Neither holds per-conversation state (botbuilder's older BotFrameworkAdapter cached connector
 * clients per serviceUrl too), and their credentials renew their own tokens.
 */
export class BotAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly retryPolicy: PipelinePolicyLike,
  ) {
    super(settings);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    quietTokenChecks();
    const result = await checkingToken.run(true, () => super.authenticateRequest(activity, authHeader));
    return result.connectorFactory ? { ...result, connectorFactory: this.retrying(result.connectorFactory) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.retrying(super.createConnectorFactory(claimsIdentity));
  }

  /** The client depends only on the app id, which botbuilder reads from the audience claim, else appid. */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
    return reuse(this.userTokenClients, appId, () => super.createUserTokenClient(claimsIdentity));
  }

  private retrying(factory: ConnectorFactory): ConnectorFactory {
    return {
      create: (serviceUrl, audience) =>
        reuse(this.connectorClients, `${audience ?? ''} ${serviceUrl}`, async () => withPolicy(await factory.create(serviceUrl, audience), this.retryPolicy)),
    };
  }
}

/**
 * botframework-connector's JwtTokenExtractor calls console.error for every expired or wrongly
 * signed token (the whole error, or the list of public keys): unstructured output outside the log
 * that anyone can trigger at will by posting bad tokens. The caller logs the refusal with its code
 * and reason, so inside a token check (and only there, by async context) those lines are dropped.
 */
const checkingToken = new AsyncLocalStorage<true>();
let quieted = false;
function quietTokenChecks(): void {
  if (quieted) return;
  quieted = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (!checkingToken.getStore()) original(...args);
  };
}

/** The cached client for `key`, or a new one (a failed creation is not kept); the oldest goes first when full. */
function reuse<T>(cache: Map<string, Promise<T>>, key: string, create: () => Promise<T>): Promise<T> {
  const known = cache.get(key);
  if (known) return known;
  const created = create();
  created.catch(() => cache.delete(key));
  if (cache.size >= MAX_CLIENTS) cache.delete(cache.keys().next().value ?? '');
  cache.set(key, created);
  return created;
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
