import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import nock from 'nock';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentOnline, jsonOf, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * Pictures sent in Teams, through POST /api/messages with real Bot Framework tokens (checked
 * offline against a key made here, as test/e2e/authentication.test.ts does). nock is Teams: the
 * connector serving inline images under the serviceUrl (they need the bot's own token), and a
 * SharePoint host serving a file's pre-authorised download URL (no token).
 */
const APP_ID = '00000000-0000-0000-0000-0000000000cc';
const METADATA_HOST = 'https://login.botframework.com';
const ISSUER = 'https://api.botframework.com';
const OUTBOUND_TOKEN = 'fake-bot-access-token';
const AGENT = 'agent-token-for-tests-0123456789';
const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const TEAMS = 'https://smba.trafficmanager.net';
const SERVICE_URL = `${TEAMS}/amer/${TENANT}/`;
const SHAREPOINT = 'https://contoso-my.sharepoint.com';
const MAX_BYTES = 65_536;

const key = { kid: `teams-${randomUUID()}`, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) };
const channelToken = () => jwt.sign({ serviceurl: SERVICE_URL }, key.privateKey, { algorithm: 'RS256', keyid: key.kid, audience: APP_ID, issuer: ISSUER, expiresIn: 3600 });

const personalMessage = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'teams', 'personal-message.json'), 'utf8')) as Record<string, any>;

function png(): Buffer {
  const image = new PNG({ width: 16, height: 9 });
  image.data.fill(0xc0);
  return PNG.sync.write(image);
}
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0xff, 0xd9]);

let bot: RunningBot;
let sequence = 0;
beforeAll(async () => {
  bot = await startBot({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', AGENT_TOKENS: `Dana=${AGENT}`, UPLOAD_MAX_BYTES: String(MAX_BYTES), CONNECTOR_TIMEOUT_MS: '300', CONNECTOR_ATTEMPTS: '1' }, { serviceUrls: [SERVICE_URL] });
  nock(METADATA_HOST).persist().get('/v1/.well-known/openidconfiguration').reply(200, { issuer: ISSUER, jwks_uri: `${METADATA_HOST}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
  nock(METADATA_HOST)
    .persist()
    .get('/v1/.well-known/keys')
    .reply(200, { keys: [{ kty: 'RSA', use: 'sig', kid: key.kid, ...key.publicKey.export({ format: 'jwk' }) }] });
  nock('https://login.microsoftonline.com')
    .persist()
    .post('/botframework.com/oauth2/v2.0/token')
    .query(true)
    .reply(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: OUTBOUND_TOKEN });
});
afterAll(async () => {
  await bot.close();
});

/** A personal-chat conversation of its own, already queued for a person, so the agent API lists its lines. */
async function queuedChat() {
  const conversationId = `a:teams-attachments-${++sequence}`;
  const send = async (changes: Record<string, unknown>) => {
    const mark = bot.sent.length;
    const response = await bot.post({ ...personalMessage, id: `m-${sequence}-${randomUUID()}`, conversation: { ...personalMessage.conversation, id: conversationId }, ...changes }, { authorization: `Bearer ${channelToken()}` });
    expect(response.status).toBe(200);
    return textOf(bot.sent.slice(mark));
  };
  // Dana's console is open, so the customer is queued (not offered to leave a message).
  await agentOnline(bot, AGENT);
  await send({ text: 'talk to a person please', attachments: [] });
  const lines = async () => (await jsonOf(await fetch(`${bot.url}/api/agent/conversations/${encodeURIComponent(`msteams|${conversationId}`)}`, { headers: { authorization: `Bearer ${AGENT}` } }))).lines as any[];
  return { send, lines };
}

const htmlCopy = { contentType: 'text/html', content: '<div><img src="x"></div>' };

describe('a picture sent in Teams', () => {
  it('downloads an inline image with the bot’s own token and keeps it for the agent', async () => {
    const picture = png();
    const served = nock(TEAMS).get(`/amer/${TENANT}/v3/attachments/0-weu-d1-abc/views/original`).matchHeader('authorization', `Bearer ${OUTBOUND_TOKEN}`).reply(200, picture, { 'content-type': 'image/png' });
    const chat = await queuedChat();
    await chat.send({ text: '', attachments: [{ contentType: 'image/*', contentUrl: `${SERVICE_URL}v3/attachments/0-weu-d1-abc/views/original` }, htmlCopy] });
    expect(served.isDone()).toBe(true);
    const line = (await chat.lines()).find((entry) => entry.attachments);
    expect(line.attachments).toEqual([{ id: expect.any(String), name: 'screenshot', contentType: 'image/png', bytes: picture.length }]);
    const fetched = await fetch(`${bot.url}/api/agent/attachments/${line.attachments[0].id}`, { headers: { authorization: `Bearer ${AGENT}` } });
    expect(Buffer.from(await fetched.arrayBuffer()).equals(picture)).toBe(true);
  });

  it('downloads a file from its download URL without the bot’s token', async () => {
    const served = nock(SHAREPOINT)
      .get('/personal/ada/_layouts/15/download.aspx')
      .query(true)
      .matchHeader('authorization', (value) => value === undefined)
      .reply(200, JPEG);
    const chat = await queuedChat();
    await chat.send({
      text: '',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          contentUrl: `${SHAREPOINT}/personal/ada/Documents/Microsoft Teams Chat Files/IMG_0042.jpg`,
          name: 'IMG_0042.jpg',
          content: { downloadUrl: `${SHAREPOINT}/personal/ada/_layouts/15/download.aspx?UniqueId=1f2e&Translate=false&tempauth=abc`, uniqueId: '1f2e', fileType: 'jpg' },
        },
      ],
    });
    expect(served.isDone()).toBe(true);
    expect((await chat.lines()).find((entry) => entry.attachments)?.attachments).toEqual([{ id: expect.any(String), name: 'IMG_0042.jpg', contentType: 'image/jpeg', bytes: JPEG.length }]);
  });

  it('never sends the bot’s token to a host that is not Microsoft’s', async () => {
    const served = nock('https://images.attacker.example')
      .get('/x.png')
      .matchHeader('authorization', (value) => value === undefined)
      .reply(200, png());
    const chat = await queuedChat();
    await chat.send({ text: '', attachments: [{ contentType: 'image/png', contentUrl: 'https://images.attacker.example/x.png' }] });
    expect(served.isDone()).toBe(true);
  });

  it('refuses politely, keeping nothing, a file that is not a picture, one over the limit and one that does not arrive in time', async () => {
    nock(TEAMS).get(`/amer/${TENANT}/v3/attachments/pdf/views/original`).reply(200, Buffer.from('%PDF-1.7\n'));
    nock(TEAMS).get(`/amer/${TENANT}/v3/attachments/big/views/original`).reply(200, Buffer.concat([png(), Buffer.alloc(MAX_BYTES)]));
    nock(TEAMS).get(`/amer/${TENANT}/v3/attachments/slow/views/original`).delay(5_000).reply(200, png());
    const chat = await queuedChat();
    for (const name of ['pdf', 'big', 'slow']) {
      const said = await chat.send({ text: '', attachments: [{ contentType: 'image/png', contentUrl: `${SERVICE_URL}v3/attachments/${name}/views/original` }] });
      expect(said).toMatch(/couldn't take that file: I can only accept a picture \(a PNG, JPEG or HEIC screenshot\) of up to 0.1 MB/);
    }
    expect((await chat.lines()).some((entry) => entry.attachments)).toBe(false);
  });
});
