import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_URL, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * Bot Framework channel tokens checked offline: nock serves the OpenID metadata and a JWKS holding
 * a key made here, and Azure AD's token endpoint for the bot's own outbound calls. botbuilder
 * caches the metadata per process (vitest runs each test file in its own), and the key ids are
 * random so no other file's keys can match.
 */
const APP_ID = '00000000-0000-0000-0000-0000000000aa';
const APP_PASSWORD = 'not-a-real-secret';
const METADATA_HOST = 'https://login.botframework.com';
const JWKS = `${METADATA_HOST}/v1/.well-known/keys`;
const ISSUER = 'https://api.botframework.com';
const OUTBOUND_TOKEN = 'fake-outbound-access-token';

const trusted = { kid: `test-${randomUUID()}`, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) };
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface TokenOptions {
  key?: KeyObject;
  kid?: string;
  audience?: string;
  issuer?: string;
  serviceUrl?: string;
  expiresIn?: number;
}

function token(options: TokenOptions = {}): string {
  return jwt.sign({ serviceurl: options.serviceUrl ?? SERVICE_URL }, options.key ?? trusted.privateKey, {
    algorithm: 'RS256',
    keyid: options.kid ?? trusted.kid,
    audience: options.audience ?? APP_ID,
    issuer: options.issuer ?? ISSUER,
    expiresIn: options.expiresIn ?? 3600,
  });
}

function mockIdentityProviders() {
  nock(METADATA_HOST).persist().get('/v1/.well-known/openidconfiguration').reply(200, { issuer: ISSUER, jwks_uri: JWKS, id_token_signing_alg_values_supported: ['RS256'] });
  nock(METADATA_HOST)
    .persist()
    .get('/v1/.well-known/keys')
    .reply(200, { keys: [{ kty: 'RSA', use: 'sig', kid: trusted.kid, ...trusted.publicKey.export({ format: 'jwk' }) }] });
  // msal-node knows login.microsoftonline.com's metadata and goes straight to the token endpoint.
  nock('https://login.microsoftonline.com')
    .persist()
    .post('/botframework.com/oauth2/v2.0/token')
    .query(true)
    .reply(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: OUTBOUND_TOKEN });
}

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: APP_PASSWORD });
  mockIdentityProviders();
});
afterAll(async () => {
  await bot.close();
});

let sequence = 0;
const message = () => {
  const id = `auth-${++sequence}`;
  return { type: 'message', id: `${id}-m1`, channelId: 'webchat', serviceUrl: SERVICE_URL, conversation: { id }, from: { id: 'u' }, recipient: { id: 'b' }, text: 'my restore is slow' };
};

describe('with MicrosoftAppId set', () => {
  it('answers a request carrying a valid channel token with 200 and replies with its own token', async () => {
    const mark = bot.sent.length;
    const response = await bot.post(message(), { authorization: `Bearer ${token()}` });
    expect(response.status).toBe(200);
    const replies = bot.sent.slice(mark);
    expect(textOf(replies)).toMatch(/per gigabyte/);
    expect(replies.map((reply) => reply.authorization)).toEqual(replies.map(() => `Bearer ${OUTBOUND_TOKEN}`));
  });

  it.each<[string, () => Record<string, string>]>([
    ['no token', () => ({})],
    ['a token that is not a JWT', () => ({ authorization: 'Bearer not.a.jwt' })],
    ['a token without the Bearer scheme', () => ({ authorization: token() })],
    ['a token signed by another key under the trusted key id', () => ({ authorization: `Bearer ${token({ key: stranger.privateKey })}` })],
    ['a token signed by an unknown key', () => ({ authorization: `Bearer ${token({ key: stranger.privateKey, kid: `other-${randomUUID()}` })}` })],
    ['an expired token', () => ({ authorization: `Bearer ${token({ expiresIn: -3600 })}` })],
    ['a token for another bot', () => ({ authorization: `Bearer ${token({ audience: '00000000-0000-0000-0000-0000000000bb' })}` })],
    ['a token from another issuer', () => ({ authorization: `Bearer ${token({ issuer: 'https://attacker.example' })}` })],
    ['a token for another serviceUrl', () => ({ authorization: `Bearer ${token({ serviceUrl: 'https://elsewhere.example' })}` })],
  ])('refuses %s with 401 and a short JSON error, and sends nothing', async (_name, headers) => {
    const mark = bot.sent.length;
    const response = await bot.post(message(), headers());
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'ERR_AUTH_TOKEN', message: 'missing or invalid Bot Framework token' } });
    expect(body).not.toContain(APP_PASSWORD);
    expect(bot.sent.length).toBe(mark);
  });
});
