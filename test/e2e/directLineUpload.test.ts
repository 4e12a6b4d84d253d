import { request } from 'node:http';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseId, jsonOf, startBot, type RunningBot } from '../support/botServer.js';

/** Web Chat's upload button on the embedded Direct Line, through the real server, as botframework-directlinejs sends it. */
const AGENT = 'agent-token-for-tests-0123456789';
const MAX_BYTES = 65_536;
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ AGENT_TOKENS: `Dana=${AGENT}`, UPLOAD_MAX_BYTES: String(MAX_BYTES) });
});
afterAll(async () => {
  await bot.close();
});

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(0x80);
  return PNG.sync.write(image);
}

/** A 2×2 JPEG-looking data: URL, as Web Chat's uploadThumbnail makes one (only its first bytes matter here). */
const THUMBNAIL = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]).toString('base64')}`;

interface WebChatFile {
  readonly name: string;
  readonly contentType: string;
  readonly data: Buffer;
  readonly thumbnailUrl?: string;
}

async function startChat() {
  const session = await jsonOf(await fetch(`${bot.url}/api/directline/token`, { method: 'POST' }));
  const auth = { authorization: `Bearer ${session.token}` };
  await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
  return { ...session, auth } as { token: string; conversationId: string; userId: string; auth: Record<string, string> };
}

/**
 * The body botframework-directlinejs 0.15 builds in postMessageWithAttachments: an `activity`
 * part (a Blob of type application/vnd.microsoft.activity, the attachments without contentUrl)
 * and a `file` part per attachment named by the file's name, posted to /upload?userId=<from.id>
 * with the token and no Content-Type of its own (the browser's multipart boundary).
 */
function upload(chat: { conversationId: string; userId: string; auth: Record<string, string> }, files: readonly WebChatFile[], options: { text?: string; userId?: string; auth?: Record<string, string> } = {}) {
  const activity = {
    type: 'message',
    from: { id: chat.userId, name: 'You', role: 'user' },
    ...(options.text ? { text: options.text } : {}),
    attachments: files.map((file) => ({ contentType: file.contentType, name: file.name, ...(file.thumbnailUrl ? { thumbnailUrl: file.thumbnailUrl } : {}) })),
    channelData: { attachmentSizes: files.map((file) => file.data.length), clientActivityID: `client-${Math.random()}` },
    locale: 'en-US',
  };
  const form = new FormData();
  form.append('activity', new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }));
  for (const file of files) form.append('file', new Blob([file.data], { type: file.contentType }), file.name);
  return fetch(`${bot.url}/v3/directline/conversations/${chat.conversationId}/upload?userId=${encodeURIComponent(options.userId ?? chat.userId)}`, {
    method: 'POST',
    headers: { ...(options.auth ?? chat.auth), 'x-ms-bot-agent': 'DirectLine/3.0 (directlinejs 0.15.5)' },
    body: form,
  });
}

const activitiesOf = async (chat: { conversationId: string; auth: Record<string, string> }) =>
  (await jsonOf(await fetch(`${bot.url}/v3/directline/conversations/${chat.conversationId}/activities`, { headers: chat.auth }))).activities as any[];
const botTexts = (activities: any[]) => activities.filter((activity) => activity.type === 'message' && activity.from.role === 'bot').map((activity) => String(activity.text));
const agentGet = (path: string, headers: Record<string, string> = { authorization: `Bearer ${AGENT}` }) => fetch(`${bot.url}${path}`, { headers });

describe('a screenshot sent with Web Chat’s upload button', () => {
  it('is kept, shown back to the customer with the thumbnail their page drew, and served to the agent with its real type', async () => {
    const chat = await startChat();
    await fetch(`${bot.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
      method: 'POST',
      headers: { ...chat.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'can I talk to a human please' }),
    });
    const picture = png(40, 30);
    // Declared as a JPEG on purpose: the type served is what the bytes are.
    const sent = await upload(chat, [{ name: 'alert.jpg', contentType: 'image/jpeg', data: picture, thumbnailUrl: THUMBNAIL }]);
    expect(sent.status).toBe(200);
    const { id } = await jsonOf(sent);

    const activities = await activitiesOf(chat);
    const echo = activities.find((activity) => activity.id === id);
    expect(echo.attachments).toEqual([{ contentType: 'image/png', name: 'alert.jpg', thumbnailUrl: THUMBNAIL }]);
    expect(echo.from).toMatchObject({ id: chat.userId, role: 'user' });

    const view = await jsonOf(await agentGet(`/api/agent/conversations/${caseId(chat.conversationId)}`));
    const line = view.lines.find((entry: any) => entry.attachments);
    expect(line).toMatchObject({ from: 'customer', attachments: [{ name: 'alert.jpg', contentType: 'image/png', bytes: picture.length }] });
    const served = await agentGet(`/api/agent/attachments/${line.attachments[0].id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);
  });

  it('is acknowledged when no walk-through asked for it, and never shown back without a thumbnail of its own', async () => {
    const chat = await startChat();
    const sent = await upload(chat, [{ name: 'IMG_0001.PNG', contentType: 'image/png', data: png(8, 8), thumbnailUrl: 'data:text/html;base64,PHNjcmlwdD4=' }]);
    expect(sent.status).toBe(200);
    const activities = await activitiesOf(chat);
    expect(activities.find((activity) => activity.attachments)?.attachments).toEqual([{ contentType: 'application/octet-stream', name: 'IMG_0001.PNG' }]);
    expect(botTexts(activities).at(-1)).toMatch(/kept your picture for the support team/);
  });

  it('refuses a file that only claims to be a picture, politely and without keeping it', async () => {
    const chat = await startChat();
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect((await upload(chat, [{ name: 'alert.png', contentType: 'image/png', data: html }])).status).toBe(200);
    expect(botTexts(await activitiesOf(chat)).at(-1)).toMatch(/couldn't take that file: I can only accept a picture .* of up to 0.1 MB/);
  });

  it('refuses a picture over UPLOAD_MAX_BYTES, politely', async () => {
    const chat = await startChat();
    const big = Buffer.concat([png(4, 4), Buffer.alloc(MAX_BYTES)]);
    expect((await upload(chat, [{ name: 'huge.png', contentType: 'image/png', data: big }])).status).toBe(200);
    expect(botTexts(await activitiesOf(chat)).at(-1)).toMatch(/couldn't take that file/);
  });

  it('refuses an upload without a token (401), with a token of another conversation or user (403), or that is not multipart (415)', async () => {
    const chat = await startChat();
    const other = await startChat();
    const file = [{ name: 'a.png', contentType: 'image/png', data: png(2, 2) }];
    expect((await upload(chat, file, { auth: {} })).status).toBe(401);
    expect((await upload(chat, file, { auth: other.auth })).status).toBe(403);
    expect((await upload(chat, file, { userId: other.userId })).status).toBe(403);
    const json = await fetch(`${bot.url}/v3/directline/conversations/${chat.conversationId}/upload`, { method: 'POST', headers: { ...chat.auth, 'content-type': 'application/json' }, body: '{"type":"message"}' });
    expect(json.status).toBe(415);
    expect(await activitiesOf(chat)).not.toContainEqual(expect.objectContaining({ attachments: expect.anything() }));
  });

  it('refuses more files than Web Chat sends at once, and a body over what the limits allow, before keeping anything', async () => {
    const chat = await startChat();
    const five = Array.from({ length: 5 }, (_, index) => ({ name: `s${index}.png`, contentType: 'image/png', data: png(2, 2) }));
    expect((await upload(chat, five)).status).toBe(400);
    // Declared larger than four files at the limit can be: refused from the headers, before the body is read.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${bot.url}/v3/directline/conversations/${chat.conversationId}/upload`);
      const req = request(url, { method: 'POST', headers: { ...chat.auth, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(100 * MAX_BYTES) } }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('--x\r\n');
    });
    expect(status).toBe(413);
  });
});

describe('uploads at once', () => {
  it('reads at most eight at a time and answers the next one 503 without keeping it', async () => {
    const chat = await startChat();
    const url = new URL(`${bot.url}/v3/directline/conversations/${chat.conversationId}/upload`);
    // Eight uploads whose bodies have not finished arriving hold their places.
    const slow = Array.from({ length: 8 }, () => {
      const req = request(url, { method: 'POST', headers: { ...chat.auth, 'content-type': 'multipart/form-data; boundary=x', 'content-length': '100000' } });
      req.on('error', () => undefined);
      req.write('--x\r\n');
      return req;
    });
    try {
      let status = 0;
      // The slow ones reach the handler in their own time on a loaded machine; the ninth is refused once all eight are read.
      for (let tries = 0; tries < 50 && status !== 503; tries += 1) {
        status = (await upload(chat, [{ name: 'a.png', contentType: 'image/png', data: png(2, 2) }])).status;
        if (status !== 503) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(503);
    } finally {
      for (const req of slow) req.destroy();
    }
  });
});

describe('a malformed upload', () => {
  it('is refused with 400 when its multipart body is broken or has no activity part, and nothing reaches the bot', async () => {
    const chat = await startChat();
    const post = (body: string, type = 'multipart/form-data; boundary=b') =>
      fetch(`${bot.url}/v3/directline/conversations/${chat.conversationId}/upload`, { method: 'POST', headers: { ...chat.auth, 'content-type': type }, body });
    expect((await post('--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc')).status).toBe(400);
    expect((await post('--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc\r\n--b--\r\n')).status).toBe(400);
    expect((await post('--b\r\nContent-Disposition: form-data; name="activity"\r\n\r\n{not json\r\n--b--\r\n')).status).toBe(400);
    expect((await post('--b\r\nContent-Disposition: form-data; name="activity"\r\n\r\n{"type":"typing"}\r\n--b--\r\n')).status).toBe(400);
    expect(botTexts(await activitiesOf(chat)).filter((text) => /picture|file/.test(text))).toEqual([]);
  });
});

describe('the agents’ attachment route', () => {
  it('serves nobody without an agent token: no token, a customer’s Direct Line token, an unknown id', async () => {
    const chat = await startChat();
    const anyId = 'A'.repeat(32);
    const none = await agentGet(`/api/agent/attachments/${anyId}`, {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await agentGet(`/api/agent/attachments/${anyId}`, chat.auth)).status).toBe(401);
    expect((await agentGet(`/api/agent/attachments/${anyId}`)).status).toBe(404);
    expect((await agentGet('/api/agent/attachments/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });
});
