import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startBot, type RunningBot } from '../support/botServer.js';

const SECRET = 'dl-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const AZURE = 'https://directline.botframework.com';

const getText = async (bot: RunningBot, path: string) => (await fetch(`${bot.url}${path}`)).text();
const requestToken = (bot: RunningBot) => fetch(`${bot.url}/api/directline/token`, { method: 'POST' });

describe('the Web Chat page', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('serves the page titled "Backup & Restore Help" with the widget, sized for phones', async () => {
    const response = await fetch(`${bot.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Backup &amp; Restore Help</title>');
    expect(html).toMatch(/<meta name="viewport" content="width=device-width/);
    expect(html).toContain('id="webchat"');
    expect(await getText(bot, '/webchat/chat.css')).toMatch(/@media \(max-width: 400px\)/);
  });

  it('loads nothing from another origin, so it works offline', async () => {
    const html = await getText(bot, '/');
    const css = await getText(bot, '/webchat/chat.css');
    const script = await getText(bot, '/webchat/chat.js');
    for (const text of [html, css, script]) expect(text).not.toMatch(/(src|href)=["']?(https?:)?\/\/|@import|url\(\s*["']?(https?:)?\/\//);
    const policy = (await fetch(`${bot.url}/`)).headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    // blob: is the customer's own picked file, which the Direct Line client reads before uploading it.
    expect(policy).toMatch(/connect-src 'self' blob:(;|$)/);
  });

  it('serves the Web Chat bundle from node_modules, compressed for browsers that accept gzip', async () => {
    const plain = await fetch(`${bot.url}/webchat/webchat.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/javascript/);
    const body = Buffer.from(await plain.arrayBuffer());
    expect(body.equals(readFileSync('node_modules/botframework-webchat/dist/webchat.js'))).toBe(true);

    const zipped = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      // fetch would decompress on the fly; node:http shows what travels on the wire.
      get(`${bot.url}/webchat/webchat.js`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ encoding: response.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.bytes.length).toBeLessThan(body.length / 2);
    expect(gunzipSync(zipped.bytes).equals(body)).toBe(true);
  });

  it('hands the page a token for a new conversation on the embedded Direct Line', async () => {
    const response = await requestToken(bot);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const session = await jsonOf(response);
    expect(session).toMatchObject({ domain: '/v3/directline', expires_in: 1800 });
    expect(session.token).toMatch(/^[\w-]+\.[\w-]{43,}$/);
    expect(session.conversationId).not.toBe((await jsonOf(await requestToken(bot))).conversationId);
  });
});

describe('the Web Chat page with DIRECT_LINE_SECRET (Azure Direct Line)', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ DIRECT_LINE_SECRET: SECRET });
  });
  afterEach(() => {
    nock.abortPendingRequests();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('exchanges the secret for a token bound to one conversation and one dl_ user', async () => {
    let sentUser: string | undefined;
    const azure = nock(AZURE, { reqheaders: { authorization: `Bearer ${SECRET}` } })
      .post('/v3/directline/tokens/generate', (body: { user?: { id?: string } }) => {
        sentUser = body.user?.id;
        return true;
      })
      .reply(200, { conversationId: 'azure-conversation', token: 'azure-token', expires_in: 3600 });
    const response = await requestToken(bot);
    expect(response.status).toBe(200);
    const session = await jsonOf(response);
    expect(azure.isDone()).toBe(true);
    expect(session).toEqual({ token: 'azure-token', conversationId: 'azure-conversation', expires_in: 3600, userId: sentUser, domain: `${AZURE}/v3/directline` });
    expect(sentUser).toMatch(/^dl_/);
  });

  it('never lets the secret reach the browser: not in the page, its assets or any token answer', async () => {
    nock(AZURE).post('/v3/directline/tokens/generate').reply(200, { conversationId: 'c', token: 't', expires_in: 3600 });
    nock(AZURE).post('/v3/directline/tokens/generate').reply(403, { error: { code: 'BadArgument', message: 'bad secret' } });
    const bodies = [
      await getText(bot, '/'),
      await getText(bot, '/webchat/chat.js'),
      await getText(bot, '/webchat/chat.css'),
      await (await requestToken(bot)).text(),
      await (await requestToken(bot)).text(),
    ];
    for (const body of bodies) expect(body).not.toContain(SECRET);
    const headers = [...(await fetch(`${bot.url}/`)).headers.values()].join('\n');
    expect(headers).not.toContain(SECRET);
    expect(headers).toContain('connect-src \'self\' blob: https://directline.botframework.com wss://directline.botframework.com');
  });

  it('answers 502 with a short error when Azure refuses the exchange', async () => {
    nock(AZURE).post('/v3/directline/tokens/generate').reply(403, { error: { code: 'BadArgument', message: 'Invalid secret' } });
    const response = await requestToken(bot);
    expect(response.status).toBe(502);
    expect((await jsonOf(response)).error.code).toBe('ERR_DIRECTLINE_UPSTREAM');
  });

  it('answers 502 when Azure cannot be reached', async () => {
    nock(AZURE).post('/v3/directline/tokens/generate').replyWithError('getaddrinfo ENOTFOUND directline.botframework.com');
    const response = await requestToken(bot);
    expect(response.status).toBe(502);
  });

  it('does not serve the embedded Direct Line, which would bypass Azure', async () => {
    const response = await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST' });
    expect(response.status).toBe(404);
  });
});
