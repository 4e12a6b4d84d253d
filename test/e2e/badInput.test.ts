import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversation, SERVICE_URL, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * Malformed and hostile requests to POST /api/messages. Each gets a 4xx with a short JSON error,
 * or a 200 and a clear reply from the bot; none crashes the server or shows a stack trace.
 */
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot.close();
});

let sequence = 0;
/** A well-formed customer message in a fresh conversation; `changes` replace or (as undefined) remove fields. */
function activity(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `bad-${++sequence}`;
  const base: Record<string, unknown> = {
    type: 'message',
    id: `${id}-m1`,
    channelId: 'webchat',
    serviceUrl: SERVICE_URL,
    conversation: { id },
    from: { id: `user-${id}` },
    recipient: { id: 'bot-id' },
    text: 'my restore is taking forever',
  };
  return Object.fromEntries(Object.entries({ ...base, ...changes }).filter(([, value]) => value !== undefined));
}

const postRaw = (body: string, contentType?: string) =>
  fetch(`${bot.url}/api/messages`, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });

const STACK_TRACE = /\n\s+at |\.js:\d+|\.ts:\d+/;

/** A refusal: the status, a JSON body of `{ error: { code, message } }` and nothing internal. */
async function expectRefusal(response: Response, status: number) {
  expect(response.status).toBe(status);
  const text = await response.text();
  expect(text.length).toBeLessThan(400);
  expect(text).not.toMatch(STACK_TRACE);
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
}

describe('requests that are refused', () => {
  it.each<[string, () => Promise<Response>, number]>([
    ['invalid JSON', () => postRaw('{"type": "message",', 'application/json'), 400],
    ['JSON followed by garbage', () => postRaw('{"type":"message"} trailing', 'application/json'), 400],
    ['an empty JSON body', () => postRaw('', 'application/json'), 400],
    ['a JSON array', () => bot.post([activity()]), 400],
    ['JSON null', () => bot.post('null'), 400],
    ['a JSON string', () => bot.post('"hello"'), 400],
    ['a JSON number', () => bot.post('42'), 400],
    ['an activity as text/plain', () => postRaw(JSON.stringify(activity()), 'text/plain'), 415],
    ['a form-encoded body', () => postRaw('type=message&text=hello', 'application/x-www-form-urlencoded'), 415],
    ['a multipart body', () => postRaw('--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello\r\n--x--\r\n', 'multipart/form-data; boundary=x'), 415],
    ['a body without a content type', () => postRaw(JSON.stringify(activity())), 415],
    ['a body over the size limit', () => bot.post(activity({ text: 'restore '.repeat(40_000) })), 413],
    ['no type', () => bot.post(activity({ type: undefined })), 400],
    ['a type that is not a string', () => bot.post(activity({ type: 7 })), 400],
    ['no channelId', () => bot.post(activity({ channelId: undefined })), 400],
    ['no conversation', () => bot.post(activity({ conversation: undefined })), 400],
    ['a conversation without an id', () => bot.post(activity({ conversation: { name: 'x' } })), 400],
    ['a conversation id of 5,000 characters', () => bot.post(activity({ conversation: { id: 'c'.repeat(5000) } })), 400],
    ['no serviceUrl', () => bot.post(activity({ serviceUrl: undefined })), 400],
    ['a file: serviceUrl', () => bot.post(activity({ serviceUrl: 'file:///etc/passwd' })), 400],
    ['a javascript: serviceUrl', () => bot.post(activity({ serviceUrl: 'javascript:alert(1)' })), 400],
    ['an ftp: serviceUrl', () => bot.post(activity({ serviceUrl: 'ftp://connector.test/' })), 400],
    ['a serviceUrl that is not a URL', () => bot.post(activity({ serviceUrl: 'connector' })), 400],
    ['text that is not a string', () => bot.post(activity({ text: { $gt: '' } })), 400],
    ['attachments that are not a list', () => bot.post(activity({ attachments: 'file.png' })), 400],
    ['entities that are not a list', () => bot.post(activity({ entities: { type: 'mention' } })), 400],
    ['membersAdded that is not a list', () => bot.post(activity({ type: 'conversationUpdate', membersAdded: { id: 'u' } })), 400],
    ['a from without an id', () => bot.post(activity({ from: { name: 'Mallory' } })), 400],
  ])('refuses %s', async (_name, send, status) => {
    const mark = bot.sent.length;
    await expectRefusal(await send(), status);
    expect(bot.sent.length).toBe(mark);
  });

  it('writes nothing to the temp folder for a multipart upload', async () => {
    const uploads = () => readdirSync(tmpdir()).filter((name) => name.startsWith('upload_'));
    const before = uploads();
    const body = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n' + 'A'.repeat(100_000) + '\r\n--x--\r\n';
    await expectRefusal(await postRaw(body, 'multipart/form-data; boundary=x'), 415);
    expect(uploads()).toEqual(before);
  });

  it('answers GET /api/messages with 405', async () => {
    await expectRefusal(await fetch(`${bot.url}/api/messages`), 405);
  });
});

describe('hostile messages the bot answers', () => {
  it('asks for a shorter message when the text is 100,000 characters long', async () => {
    const mark = bot.sent.length;
    const response = await bot.post(activity({ text: 'a'.repeat(100_000) }));
    expect(response.status).toBe(200);
    expect(textOf(bot.sent.slice(mark))).toMatch(/long message/i);
  });

  it('reads a message with control characters in it as if they were not there', async () => {
    const { status, replies } = await conversation(bot).say('my re\u0000store is\u0007 taking\u001b forever\u007f');
    expect(status).toBe(200);
    expect(textOf(replies)).toMatch(/per gigabyte/);
  });

  it('reads a message hidden behind bidirectional overrides', async () => {
    const { replies } = await conversation(bot).say('\u202emy restore is taking forever\u202c');
    expect(textOf(replies)).toMatch(/per gigabyte/);
  });

  it('asks for words when a message holds only control characters', async () => {
    const { status, replies } = await conversation(bot).say('\u0000\u0001\u0002\u001f');
    expect(status).toBe(200);
    expect(textOf(replies)).toMatch(/text|what can i help/i);
  });

  it.each([
    ['a script tag', '<script>alert("pwned")</script>', /<script|alert\(/i],
    ['an image with an onerror handler', '<img src=x onerror=alert(1)> restore', /<img|onerror/i],
    ['a markdown link to javascript:', '[click me](javascript:alert(1))', /javascript:/i],
    ['a template expression', '{{7*7}} ${process.exit(1)} restore', /\{\{|\$\{|\b49\b/],
  ])('never echoes %s back', async (_name, text, forbidden) => {
    const { status, replies } = await conversation(bot).say(text);
    expect(status).toBe(200);
    expect(replies.length).toBeGreaterThan(0);
    // What the customer's client renders: text, cards and buttons (not the ids, which hold digits).
    const rendered = JSON.stringify(replies.map(({ body }) => [body.text, body.attachments, body.suggestedActions]));
    expect(rendered).not.toMatch(forbidden);
  });

  it('answers a message with unpaired surrogates', async () => {
    const { status, replies } = await conversation(bot).say('my restore \ud800 is taking \udfff forever');
    expect(status).toBe(200);
    expect(textOf(replies)).toMatch(/per gigabyte/);
  });

  it('answers a message whose timestamp is not a date', async () => {
    const { status, replies } = await conversation(bot).say('my restore is taking forever', { timestamp: 'yesterday-ish', localTimestamp: 42 });
    expect(status).toBe(200);
    expect(textOf(replies)).toMatch(/per gigabyte/);
  });

  it('answers a message whose value is nested 30,000 levels deep', async () => {
    const body = JSON.stringify(activity()).replace('"text"', `"value":${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)},"text"`);
    const mark = bot.sent.length;
    const response = await postRaw(body, 'application/json');
    expect(response.status).toBe(200);
    expect(textOf(bot.sent.slice(mark))).toMatch(/per gigabyte/);
  });

  it('leaves Object.prototype alone when the body carries __proto__', async () => {
    const body = JSON.stringify(activity()).replace('{', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
    const response = await postRaw(body, 'application/json');
    expect(response.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('acknowledges an unknown activity type with 200 and sends nothing', async () => {
    const mark = bot.sent.length;
    const response = await bot.post(activity({ type: 'somethingNew', text: undefined }));
    expect(response.status).toBe(200);
    expect(bot.sent.length).toBe(mark);
  });

  it('welcomes once when a conversationUpdate adds 5,000 members', async () => {
    const mark = bot.sent.length;
    const members = Array.from({ length: 5000 }, (_, index) => ({ id: `member-${index}` }));
    const response = await bot.post(activity({ type: 'conversationUpdate', text: undefined, membersAdded: members }));
    expect(response.status).toBe(200);
    expect(bot.sent.length - mark).toBe(1);
  });

  it('answers a replayed activity with 200 and nothing, and moves the tree on once', async () => {
    const chat = conversation(bot);
    await chat.say('my iphone says Cannot Restore Backup');
    const answer = activity({ conversation: { id: chat.id }, from: chat.user, id: `${chat.id}-answer`, text: 'no' });
    const mark = bot.sent.length;
    const first = await bot.post(answer);
    expect(first.status).toBe(200);
    expect(textOf(bot.sent.slice(mark))).toMatch(/Wi-Fi/);
    const afterFirst = bot.sent.length;
    const replay = await bot.post(answer);
    expect(replay.status).toBe(200);
    expect(bot.sent.length).toBe(afterFirst);

    const next = await chat.say("didn't work");
    expect(textOf(next.replies)).toMatch(/storage|space/i);
  });
});

it('still serves after all of the above', async () => {
  expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  const { replies } = await conversation(bot).say('my restore is taking forever');
  expect(textOf(replies)).toMatch(/per gigabyte/);
});
