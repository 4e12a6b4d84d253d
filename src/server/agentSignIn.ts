import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { AppError, httpStatusOf } from '../errors.js';
import { bearerToken, firstLine } from '../text.js';
import type { FailureLimit } from './agentAuth.js';
import { consoleFiles } from './consoleFiles.js';
import { errorResponse, jsonRoute } from './errors.js';

/** How a person who signed in at the provider is known: ids first (the one an account pins first), then vouched-for addresses. */
export interface SignInIdentity {
  readonly subjects: readonly string[];
  readonly emails: readonly string[];
}

/** The accounts side of a sign-in (src/storage/agentAccounts.ts): a console session for a linked person, or undefined. */
export interface SignInAccounts {
  signIn(identity: SignInIdentity): Promise<{ readonly name: string; readonly token: string } | undefined>;
  /** Ends the console session a token is; anything else is left as it is. */
  signOut(token: string): Promise<void>;
}

/** The OpenID Connect client: Microsoft Entra ID's issuer is https://login.microsoftonline.com/<tenant id>/v2.0. */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  /** Entra ID web apps have one; PKCE is used with or without it. */
  readonly clientSecret?: string;
  /** Where browsers reach this server; the redirect URI is PUBLIC_BASE_URL/agent/sign-in/callback. */
  readonly publicBaseUrl: string;
}

export interface AgentSignInOptions {
  /** Without it the console offers token sign-in only. */
  readonly oidc?: OidcSettings;
  readonly accounts: SignInAccounts;
  /** Failed sign-ins per client address and per person named, shared with the agent routes' wrong tokens. */
  readonly failures: FailureLimit;
  readonly logger: Logger;
  readonly now?: () => number;
}

const CALLBACK_PATH = '/agent/sign-in/callback';
/**
 * The sign-in in progress (state, nonce, PKCE verifier) waits in the browser's own cookie, not in
 * this server: the callback may land on another instance, and nobody can fill our memory or store
 * by starting sign-ins. The values are secret only from other sites, which never see the cookie
 * (HttpOnly, SameSite=Lax, this path only); the provider binds the code to the verifier.
 */
const COOKIE = 'agent_sign_in';
const PENDING_MS = 10 * 60 * 1000;
/** Entra ID's codes run to about 1.5 kB; anything far longer is not an answer from it. */
const MAX_CALLBACK_URL_CHARS = 8192;
const MAX_COOKIE_CHARS = 1024;
/** Seconds for each call to the provider (discovery, token, keys). */
const PROVIDER_TIMEOUT_SECONDS = 10;
const pendingShape = z.object({ state: z.string().max(128), nonce: z.string().max(128), verifier: z.string().max(128), at: z.number() });
type Pending = z.infer<typeof pendingShape>;


const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Console sign-in with an OpenID Connect provider (authorization code + PKCE, through
 * openid-client, which checks state, nonce, the ID token's signature, issuer and audience). The
 * person must be linked to an agent account; they get a console session, handed to the page in the
 * URL fragment, which browsers never send to a server or in a Referer.
 */
export function mountAgentSignIn(server: Server, options: AgentSignInOptions): void {
  const { logger, failures } = options;
  const now = options.now ?? Date.now;
  const settings = options.oidc;
  consoleFiles(server, logger)('/agent/sign-in.js', 'sign-in.js');
  server.get(
    '/api/agent/sign-in-methods',
    jsonRoute(logger)(async (_req, res) => {
      res.header('cache-control', 'no-store');
      res.send(200, { methods: settings ? [{ id: 'microsoft', label: 'Sign in with Microsoft', url: '/agent/sign-in' }] : [] });
    }),
  );
  // Whatever was presented, the answer is the same: nothing tells a caller whether a token was live.
  server.post(
    '/api/agent/sign-out',
    jsonRoute(logger)(async (req, res) => {
      const presented = bearerToken(req.headers.authorization);
      if (presented) await options.accounts.signOut(presented);
      res.send(204);
    }),
  );
  if (!settings) return;

  const redirectUri = `${settings.publicBaseUrl}${CALLBACK_PATH}`;
  const secureCookie = settings.publicBaseUrl.startsWith('https://');
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    // Discovered on first use, not at start-up: the bot starts while the provider is unreachable,
    // and a failed discovery is tried again at the next sign-in.
    discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // Config allows http:// only to this machine (a provider under test).
        ...(settings.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw providerError(error);
      });
    return discovered;
  };
  const page = pageRoute(logger);

  server.get(
    '/agent/sign-in',
    page(async (req, res) => {
      // Every sign-in from an address that has failed too often stops here, before the provider.
      failures.refuseIfSpent([failures.clientOf(req)]);
      const config = await configuration();
      const pending: Pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), at: now() };
      const authorize = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      res.writeHead(302, { location: authorize.href, 'set-cookie': cookie(Buffer.from(JSON.stringify(pending)).toString('base64url'), PENDING_MS / 1000, secureCookie), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end();
    }),
  );

  server.get(
    CALLBACK_PATH,
    page(async (req, res) => {
      const client = failures.clientOf(req);
      failures.refuseIfSpent([client]);
      const named: string[] = [];
      try {
        await complete(req, res, named);
      } catch (error) {
        // The provider's trouble (502) is nobody's failed attempt; a refused answer or an unlinked person is.
        if (error instanceof AppError && (error.code === 'ERR_AGENT_SIGN_IN' || error.code === 'ERR_AGENT_NOT_LINKED')) {
          failures.failed([client, ...named], req.url ?? '');
        }
        throw error;
      }
    }),
  );

  /** The provider's answer: a console session for a linked person, who is also listed in `named` once known. */
  const complete = async (req: Request, res: Response, named: string[]): Promise<void> => {
    const url = req.url ?? '';
    if (url.length > MAX_CALLBACK_URL_CHARS) throw signInError('the answer from the sign-in page is too long to be one');
    const pending = pendingOf(req.headers.cookie);
    // A minute of slack for instances whose clocks differ: the callback may land on another one.
    if (!pending || now() - pending.at > PENDING_MS || pending.at > now() + 60_000) {
      throw signInError('this sign-in was not started in this browser, or took more than 10 minutes');
    }
    const config = await configuration();
    let claims: oidc.IDToken | undefined;
    try {
      // The answer's parameters on the registered redirect URI, which openid-client sends on as
      // redirect_uri: right even when a proxy serves this server under a path of PUBLIC_BASE_URL.
      const answer = new URL(redirectUri);
      answer.search = new URL(url, 'http://answer.invalid').search;
      const tokens = await oidc.authorizationCodeGrant(config, answer, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw grantError(error);
    }
    if (!claims) throw signInError('the provider sent no ID token');
    const identity = identityOf(claims, settings.issuer);
    const who = identity.emails[0] ?? identity.subjects[0];
    if (who !== undefined) {
      named.push(`account:${who}`);
      failures.refuseIfSpent(named);
    }
    const session = await options.accounts.signIn(identity);
    if (!session) {
      throw new AppError('ERR_AGENT_NOT_LINKED', `${who ?? 'this account'} is not linked to an agent account. Ask whoever runs the bot to link it: npm run agents -- link <your name> --email <your address>`);
    }
    logger.info({ agent: session.name }, 'agent signed in with the identity provider');
    res.writeHead(302, { location: `/agent#session=${session.token}`, 'set-cookie': cookie('', 0, secureCookie), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
  };
}

/**
 * Who signed in: Entra ID's object id (`oid`, what admins see in the portal) before `sub`; the
 * email only when the provider says it verified it, and Entra ID's user principal name
 * (`preferred_username`), which only the tenant's admins set. Elsewhere `preferred_username` may be
 * chosen by the user, so it is not trusted.
 */
function identityOf(claims: oidc.IDToken, issuer: string): SignInIdentity {
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= 255 ? value : undefined);
  const entra = new URL(issuer).hostname === 'login.microsoftonline.com';
  const subjects = [text(claims.oid), text(claims.sub)].filter((value): value is string => value !== undefined);
  const emails = [claims.email_verified === true ? text(claims.email) : undefined, entra ? text(claims.preferred_username) : undefined]
    .filter((value): value is string => value !== undefined && value.includes('@'))
    .map((value) => value.toLowerCase());
  return { subjects, emails };
}

function pendingOf(header: string | undefined): Pending | undefined {
  const value = (header ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  if (!value || value.length > MAX_COOKIE_CHARS) return undefined;
  try {
    const parsed = pendingShape.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const cookie = (value: string, maxAgeSeconds: number, secure: boolean): string =>
  `${COOKIE}=${value}; Path=/agent/sign-in; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;

const signInError = (why: string, cause?: unknown): AppError => new AppError('ERR_AGENT_SIGN_IN', `Sign-in did not complete: ${why}.`, { cause });

/** The provider not answering (network, timeout, a 5xx) is its trouble; anything else is this sign-in's. */
function providerError(error: unknown): AppError {
  return new AppError('ERR_AGENT_PROVIDER', `The sign-in service did not answer (${firstLine(error)}). Try again in a minute, or sign in with your agent token.`, { cause: error });
}

function grantError(error: unknown): AppError {
  if (error instanceof oidc.AuthorizationResponseError) return signInError(`the provider answered ${error.error}${error.error_description ? ` (${firstLine(error.error_description)})` : ''}`, error);
  if (error instanceof oidc.ResponseBodyError) return signInError(`the provider refused the code: ${error.error}`, error);
  const code = (error as { code?: unknown }).code;
  if (error instanceof TypeError || code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT' || code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') return providerError(error);
  return signInError(firstLine(error), error);
}

/** Routes a person's browser lands on: a failure is a short page saying what happened and what to do, never JSON. */
function pageRoute(logger: Logger) {
  return (handler: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await handler(req, res);
      } catch (error) {
        const status = httpStatusOf(error);
        const code = error instanceof AppError ? error.code : 'ERR_INTERNAL';
        if (status >= 500) logger.error({ err: error, code, path: req.path() }, 'agent sign-in failed');
        else logger.info({ status, code, reason: firstLine(error), path: req.path() }, 'agent sign-in refused');
        if (res.headersSent) return;
        const message = status === 500 ? 'Something went wrong on our side; the log has the details.' : firstLine(error);
        res.writeHead(status, { ...PAGE_HEADERS, ...errorResponse(error).headers });
        res.end(failurePage(message, code));
      }
    };
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const failurePage = (message: string, code: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in not completed · Agent console</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1d1d1f}code{font-size:.85em;color:#6e6e73}a{color:#0066cc}</style></head>
<body><h1>Sign-in not completed</h1><p>${escapeHtml(message)}</p><p><code>${escapeHtml(code)}</code></p>
<p><a href="/agent/sign-in">Try again</a> · <a href="/agent">Back to the console</a></p></body></html>
`;
