import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ProviderAccount } from 'oidc-provider';

export interface LocalProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (oidc-provider 8) on an ephemeral port, with one confidential
 * client that must use PKCE, and its development login and consent pages: any login name signs in
 * as the person `people` describes under it (others get an unverified address).
 */
export async function startOidcProvider(redirectUri: string, people: Record<string, Record<string, unknown>>): Promise<LocalProvider> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'agent-console';
  const clientSecret = 'agent-console-secret-0123456789abcdef';
  const quiet = silenceDevelopmentNotices();
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post' }],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_context: unknown, id: string): Promise<ProviderAccount> => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(people[id] ?? { email: `${id}@elsewhere.test`, email_verified: false }) }),
    }),
    features: { devInteractions: { enabled: true } },
    // The scopes' claims in the ID token itself, as Entra ID sends them (the default keeps them for /userinfo).
    conformIdTokenClaims: false,
    cookies: { keys: ['local-provider-cookie-key-0123456789'] },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: async () => {
      quiet.restore();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The provider announces on the console that its development keys, store and login pages are in
 * use, which is the point of a test provider; every other line still gets through.
 */
function silenceDevelopmentNotices(): { restore(): void } {
  const { warn, info } = console;
  const keep = (original: (...args: unknown[]) => void) => (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider ')) return;
    original(...args);
  };
  console.warn = keep(warn);
  console.info = keep(info);
  return {
    restore: () => {
      console.warn = warn;
      console.info = info;
    },
  };
}
