import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { KeptConversations, type Subscriber } from '../../src/directline/conversations.js';
import { BotDelivery } from '../../src/directline/delivery.js';
import { DirectLineService, type DirectLineLimits, type TokenGrant } from '../../src/directline/service.js';
import type { ActivityJson } from '../../src/directline/activities.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';

const TTL_SECONDS = 1800;
const RESUME_SECONDS = 7 * 86_400;
const LIMITS: DirectLineLimits = {
  tokenTtlSeconds: TTL_SECONDS,
  resumeSeconds: RESUME_SECONDS,
  maxMessageChars: 2000,
  maxConversations: 100,
  maxPending: 100,
  maxConversationBytes: 262_144,
  maxTotalBytes: 8_388_608,
  maxStreams: 3,
  maxUploadBytes: 5_242_880,
};

const opened: StorageBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()));
});

/** The service on a real (in-memory SQLite) store, with a bot that records what reaches it and answers nothing. */
function directLine(limits: Partial<DirectLineLimits> = {}, storage: StorageBackend = openSqliteStorage(IN_MEMORY)) {
  if (!opened.includes(storage)) opened.push(storage);
  const clock = { now: 1_000_000 };
  const reached: ActivityJson[] = [];
  const logger = pino({ level: 'silent' });
  const now = () => clock.now;
  const kept = new KeptConversations({ store: storage.directLine, limits: { ...LIMITS, ...limits }, logger, now, redact: (text) => text });
  const service = new DirectLineService({
    bot: { process: async (activity) => void reached.push(activity) },
    kept,
    limits: { ...LIMITS, ...limits },
    logger,
    now,
  });
  const delivery = new BotDelivery(kept, logger, now);
  /** What the page and Web Chat do first: a token, then starting the conversation. */
  const open = async () => {
    const created = service.createConversation();
    const grant = await service.grantOf(`Bearer ${created.token}`);
    await service.start(grant);
    return { ...created, grant };
  };
  return { service, delivery, reached, open, storage, clock };
}

const say = (service: DirectLineService, grant: TokenGrant, text: string) => service.post(grant, { type: 'message', text, from: { id: grant.userId } });
const textsOf = (activities: readonly ActivityJson[]) => activities.filter((activity) => activity.type === 'message').map((activity) => activity.text);

describe('the embedded Direct Line service', () => {
  it('tells the bot once that the bot and the customer joined, when the conversation starts', async () => {
    const { service, reached, open } = directLine();
    const { grant, userId } = await open();
    await service.start(grant);
    expect(reached).toHaveLength(1);
    expect(reached[0]).toMatchObject({ type: 'conversationUpdate', channelId: 'webchat', membersAdded: [{}, { id: userId }] });
  });

  it('decides who the customer is and which conversation it is, whatever the client claims', async () => {
    const { service, reached, open } = await directLine();
    const { grant, userId, conversationId } = await open();
    await service.post(grant, { type: 'message', text: 'hi', from: { id: 'someone-else', name: 'Sam', role: 'bot' }, serviceUrl: 'http://attacker.test', conversation: { id: 'other' }, id: 'mine' });
    expect(reached[1]).toMatchObject({ from: { id: userId, name: 'Sam', role: 'user' }, conversation: { id: conversationId } });
    expect(reached[1]).not.toHaveProperty('serviceUrl');
    expect(reached[1]!.id).not.toBe('mine');
  });

  it('drops fields Web Chat does not send instead of keeping them', async () => {
    const { service, open } = directLine();
    const { grant, conversationId } = await open();
    await service.post(grant, { type: 'message', text: 'hi', entities: [{ type: 'x', blob: 'y'.repeat(10_000) }], relatesTo: { serviceUrl: 'http://x' }, custom: 'z' });
    const [echo] = (await service.read(conversationId, 0)).activities;
    expect(Object.keys(echo!).sort()).toEqual(['channelId', 'conversation', 'from', 'id', 'recipient', 'text', 'timestamp', 'type']);
  });

  it.each([
    ['a conversationUpdate (the service makes its own)', { type: 'conversationUpdate', membersAdded: Array.from({ length: 7000 }, (_, index) => ({ id: `m${index}` })) }],
    ['a handoff.status event (hubs only)', { type: 'event', name: 'handoff.status', value: { state: 'accepted' } }],
    ['an invoke', { type: 'invoke', name: 'adaptiveCard/action' }],
    ['text over MAX_MESSAGE_CHARS', { type: 'message', text: 'x'.repeat(2001) }],
    ['channelData over 2 kB', { type: 'message', text: 'hi', channelData: { clientActivityID: 'a', junk: 'x'.repeat(3000) } }],
    ['a card value over 2 kB', { type: 'message', value: { choice: 'x'.repeat(3000) } }],
    ['attachments (no upload route yet)', { type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'data:image/png;base64,AAAA' }] }],
  ])('refuses %s with 400 ERR_DIRECTLINE_ACTIVITY, keeping nothing', async (_name, body) => {
    const { service, reached, open } = directLine();
    const { grant, conversationId } = await open();
    await expect(service.post(grant, body)).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_ACTIVITY' });
    expect(reached).toHaveLength(1);
    expect((await service.read(conversationId, 0)).activities).toEqual([]);
  });

  it('takes a typing indicator without keeping it or running a turn', async () => {
    const { service, reached, open } = directLine();
    const { grant, conversationId } = await open();
    await expect(service.post(grant, { type: 'typing' })).resolves.toMatchObject({ id: expect.any(String) });
    expect(reached).toHaveLength(1);
    expect((await service.read(conversationId, 0)).activities).toEqual([]);
  });

  it('shows the bot typing right after a customer message, before the bot has answered', async () => {
    const { service, open } = directLine();
    const { grant, conversationId } = await open();
    const { id } = await say(service, grant, 'my restore is slow');
    const [message, typing] = (await service.read(conversationId, 0)).activities;
    expect(message).toMatchObject({ id, type: 'message' });
    expect(typing).toMatchObject({ type: 'typing', from: { role: 'bot' } });
  });

  it('never shows the customer a handoff.initiate, a trace or any other event from the bot', async () => {
    const { service, delivery, open } = directLine();
    const { conversationId } = await open();
    const relatesTo = { serviceUrl: 'urn:embedded-directline', conversation: { id: conversationId } };
    expect(await delivery.deliver(conversationId, { type: 'event', name: 'handoff.initiate', value: { reason: 'customer_asked', scores: [0.9] }, relatesTo })).toBeUndefined();
    expect(await delivery.deliver(conversationId, { type: 'trace', label: 'TurnError', value: 'ERR_TURN_FAILED' })).toBeUndefined();
    await delivery.deliver(conversationId, { type: 'message', text: 'hello', serviceUrl: 'urn:embedded-directline', relatesTo, channelData: { internal: true }, from: { id: 'x', role: 'user' } });
    const { activities } = await service.read(conversationId, 0);
    expect(activities).toHaveLength(1);
    expect(activities[0]).toMatchObject({ type: 'message', text: 'hello', from: { role: 'bot' } });
    expect(JSON.stringify(activities)).not.toMatch(/serviceUrl|relatesTo|handoff|internal/);
  });

  it('keeps the newest activities within the bytes a conversation may keep, while watermarks keep counting', async () => {
    const { service, delivery, open } = directLine({ maxConversationBytes: 16_384 });
    const { conversationId } = await open();
    for (let index = 1; index <= 20; index += 1) await delivery.deliver(conversationId, { type: 'message', text: `${index} ${'x'.repeat(2000)}` });
    const { activities, watermark } = await service.read(conversationId, 0);
    expect(watermark).toBe('20');
    expect(activities.length).toBeLessThan(20);
    expect(JSON.stringify(activities).length).toBeLessThanOrEqual(16_384);
    expect(String(activities.at(-1)!.text)).toMatch(/^20 /);
    expect((await service.read(conversationId, 19)).activities.map((activity) => String(activity.text).split(' ')[0])).toEqual(['20']);
  });

  it('forgets the least recently active conversation once all of them keep more than the total', async () => {
    const { service, delivery, open } = directLine({ maxConversationBytes: 16_384, maxTotalBytes: 65_536 });
    const first = await open();
    const others = [];
    for (let index = 0; index < 6; index += 1) {
      const other = await open();
      others.push(other);
      for (let line = 0; line < 6; line += 1) await delivery.deliver(other.conversationId, { type: 'message', text: 'x'.repeat(2000) });
    }
    await expect(service.read(first.conversationId, 0)).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_NOT_FOUND' });
    await expect(service.read(others.at(-1)!.conversationId, 0)).resolves.toMatchObject({ watermark: '6' });
  });

  it('keeps a started conversation through a flood of 20,000 token requests', async () => {
    const { service, open } = directLine({ maxPending: 1000 });
    const live = await open();
    const firstOfFlood = service.createConversation();
    for (let index = 1; index < 20_000; index += 1) service.createConversation();
    expect((await say(service, live.grant, 'still here?')).id).toEqual(expect.any(String));
    await expect(service.grantOf(`Bearer ${firstOfFlood.token}`)).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_UNAUTHORIZED' });
  });

  it('rotates a token on refresh: the new one works and the old one stops at once', async () => {
    const { service, open, clock } = directLine();
    const { grant, token, conversationId } = await open();
    clock.now += (TTL_SECONDS * 1000) / 2;
    const refreshed = await service.refresh(grant);
    expect(refreshed.token).not.toBe(token);
    await expect(service.authorize(conversationId, `Bearer ${token}`)).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_UNAUTHORIZED' });
    clock.now += (TTL_SECONDS * 1000) * 0.9;
    await expect(service.authorize(conversationId, `Bearer ${refreshed.token}`)).resolves.toMatchObject({ conversationId });
  });

  it('hands out tokens with 32 random bytes of secret, and refuses one altered by a character', async () => {
    const { service } = directLine();
    const { token } = service.createConversation();
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token.split('.')[1]!, 'base64url').length).toBeGreaterThanOrEqual(32);
    const altered = token.slice(0, -1) + (token.at(-1) === 'A' ? 'B' : 'A');
    await expect(service.grantOf(`Bearer ${altered}`)).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_UNAUTHORIZED' });
    await expect(service.grantOf(`Bearer ${token}`)).resolves.toBeDefined();
  });

  it.each([[''], ['no-dot'], ['.'], ['a.b.c'], ['selector.'], ['%00.x'], ['x'.repeat(500)]])('refuses the malformed token %j', async (token) => {
    const { service } = directLine();
    service.createConversation();
    // "Bearer " alone carries no token at all; the others carry one that cannot be real.
    await expect(service.grantOf(`Bearer ${token}`)).rejects.toMatchObject({ code: token ? 'ERR_DIRECTLINE_UNAUTHORIZED' : 'ERR_DIRECTLINE_TOKEN_MISSING' });
  });

  it('keeps a few streams per conversation, closing the oldest when another opens', async () => {
    const { service, delivery, open } = directLine({ maxStreams: 2 });
    const { grant, conversationId } = await open();
    const closed: number[] = [];
    const pushed: number[] = [];
    const stream = (index: number): Subscriber => ({ push: () => pushed.push(index), close: () => closed.push(index) });
    for (let index = 0; index < 5; index += 1) await service.subscribe(grant, 0, stream(index));
    expect(closed).toEqual([0, 1, 2]);
    await delivery.deliver(conversationId, { type: 'message', text: 'hello' });
    expect(pushed.sort()).toEqual([3, 4]);
  });

  it('resumes a conversation from the store after a restart: same token, history and watermark', async () => {
    const before = directLine();
    const { grant, token, conversationId } = await before.open();
    await say(before.service, grant, 'my restore is slow');
    await before.delivery.deliver(conversationId, { type: 'message', text: 'It can take hours.' });
    const after = directLine({}, before.storage);
    after.clock.now = before.clock.now;
    const resumed = await after.service.authorize(conversationId, `Bearer ${token}`);
    const { activities, watermark } = await after.service.read(conversationId, 0);
    expect(watermark).toBe('3');
    expect(textsOf(activities)).toEqual(['my restore is slow', 'It can take hours.']);
    await say(after.service, resumed, 'thanks');
    expect((await after.service.read(conversationId, 3)).activities.map((activity) => activity.id)).toEqual([`${conversationId}|0000004`, `${conversationId}|0000005`]);
  });
});

describe('resuming a web chat after its token expired', () => {
  const DAY_MS = 86_400_000;
  const secretOf = (key: string) => key.split('.')[1] as string;

  it('trades the resume key for a fresh token of the same conversation, as the same customer, with its history', async () => {
    const { service, delivery, open, clock } = directLine();
    const { grant, token, conversationId, userId, resumeKey } = await open();
    await say(service, grant, 'I left a message');
    clock.now += 2 * DAY_MS;
    await delivery.deliver(conversationId, { type: 'message', text: 'Here is your answer.', channelData: { speaker: 'Dana' } });
    await expect(service.grantOf(`Bearer ${token}`)).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_UNAUTHORIZED' });
    const resumed = await service.resume(resumeKey!);
    expect(resumed).toMatchObject({ conversationId, userId, expiresIn: TTL_SECONDS });
    const again = await service.authorize(conversationId, `Bearer ${resumed.token}`);
    expect(textsOf(await service.read(again.conversationId, 0).then((set) => set.activities))).toEqual(['I left a message', 'Here is your answer.']);
  });

  it('lets a key work once: the one handed back replaces it', async () => {
    const { service, open, clock } = directLine();
    const { resumeKey } = await open();
    clock.now += DAY_MS;
    const first = await service.resume(resumeKey!);
    expect(first.resumeKey).not.toBe(resumeKey);
    await expect(service.resume(resumeKey!)).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_RESUME' });
    await expect(service.resume(first.resumeKey!)).resolves.toMatchObject({ conversationId: first.conversationId });
  });

  it('gives one of two simultaneous uses of a key a token, and refuses the other', async () => {
    const { service, open, clock } = directLine();
    const { resumeKey } = await open();
    clock.now += DAY_MS;
    const outcomes = await Promise.allSettled([service.resume(resumeKey!), service.resume(resumeKey!)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses an altered key, an expired key and a key for no conversation with the same answer', async () => {
    const { service, open, clock } = directLine();
    const { resumeKey, conversationId } = await open();
    const altered = resumeKey!.slice(0, -1) + (resumeKey!.at(-1) === 'A' ? 'B' : 'A');
    const unknown = `${'Q'.repeat(22)}.${secretOf(resumeKey!)}`;
    const refusals = await Promise.all(['', 'no-dot', altered, unknown, `${conversationId}.x`].map((key) => service.resume(key).catch((error: unknown) => error)));
    clock.now += RESUME_SECONDS * 1000;
    refusals.push(await service.resume(resumeKey!).catch((error: unknown) => error));
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: 'ERR_DIRECTLINE_RESUME', message: 'this chat can no longer be resumed; start a new one' });
  });

  it('counts the key\'s days from the last refresh, keeping the key the page holds', async () => {
    const { service, open, clock } = directLine();
    const { grant, resumeKey } = await open();
    clock.now += RESUME_SECONDS * 1000 - DAY_MS;
    await service.refresh({ ...grant, expiresAt: clock.now + 1 });
    clock.now += 2 * DAY_MS;
    await expect(service.resume(resumeKey!)).resolves.toMatchObject({ conversationId: grant.conversationId });
  });

  it('keeps a conversation whose token expired until its key expires, then forgets it in the store too', async () => {
    const { service, delivery, open, clock, storage } = directLine();
    const { conversationId } = await open();
    clock.now += TTL_SECONDS * 1000 + 60_000;
    service.createConversation();
    await expect(delivery.deliver(conversationId, { type: 'message', text: 'An agent answers the next day.' })).resolves.toBeDefined();
    clock.now += RESUME_SECONDS * 1000;
    service.createConversation();
    await expect.poll(() => storage.directLine.load(conversationId)).toBeUndefined();
  });

  it('keeps only the key\'s hash in the store', async () => {
    const { open, storage } = directLine();
    const { resumeKey, conversationId } = await open();
    const kept = JSON.stringify(await storage.directLine.load(conversationId));
    expect(kept).not.toContain(secretOf(resumeKey!));
    expect(kept).toContain(createHash('sha256').update(secretOf(resumeKey!)).digest('hex'));
  });

  it('takes the key after a restart, from the store', async () => {
    const before = directLine();
    const { resumeKey, conversationId } = await before.open();
    const after = directLine({}, before.storage);
    after.clock.now = before.clock.now + TTL_SECONDS * 1000;
    await expect(after.service.resume(resumeKey!)).resolves.toMatchObject({ conversationId });
  });

  it('hands out no key when resuming is off, and refuses any key then', async () => {
    const { service, open, clock } = directLine({ resumeSeconds: 0 });
    const opened = await open();
    expect(opened).not.toHaveProperty('resumeKey');
    clock.now += TTL_SECONDS * 1000;
    await expect(service.resume(`${opened.conversationId}.${secretOf(opened.token)}`)).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_RESUME' });
  });
});

describe('an upload to the embedded Direct Line', () => {
  const PNG_BYTES = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
  const activityPart = (attachments: unknown[], text?: string) => JSON.stringify({ type: 'message', ...(text ? { text } : {}), attachments });

  it('hands the bot the bytes in process and keeps none of them in the history', async () => {
    const { service, reached, open } = directLine();
    const { grant } = await open();
    await service.postUpload(grant, grant.userId, { activity: activityPart([{ name: 'alert.png', contentType: 'image/png' }], 'here it is'), files: [{ name: 'alert.png', data: PNG_BYTES }] });
    const toBot = reached.at(-1) as ActivityJson & { attachments: { content: unknown }[] };
    expect(toBot.text).toBe('here it is');
    expect(Buffer.isBuffer(toBot.attachments[0]?.content)).toBe(true);
    const history = await service.read(grant.conversationId, 0);
    expect(JSON.stringify(history)).not.toContain(PNG_BYTES.toString('base64').slice(0, 12));
    expect(history.activities.find((activity) => activity.attachments)?.attachments).toEqual([{ contentType: 'application/octet-stream', name: 'alert.png' }]);
  });

  it('names in the echo a cleaned file name, never a path', async () => {
    const { service, open } = directLine();
    const { grant } = await open();
    await service.postUpload(grant, null, { activity: activityPart([]), files: [{ name: '../../secret/\u202Egnp.exe', data: PNG_BYTES }] });
    const history = await service.read(grant.conversationId, 0);
    expect(history.activities.find((activity) => activity.attachments)?.attachments).toEqual([{ contentType: 'application/octet-stream', name: 'gnp.exe' }]);
  });

  it('refuses an upload for another user of the token, and an activity part that is not a message', async () => {
    const { service, open } = directLine();
    const { grant } = await open();
    await expect(service.postUpload(grant, 'user-someone-else', { activity: activityPart([]), files: [] })).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_UNAUTHORIZED' });
    await expect(service.postUpload(grant, null, { activity: '{"type":"typing"}', files: [] })).rejects.toMatchObject({ code: 'ERR_DIRECTLINE_ACTIVITY' });
    await expect(service.postUpload(grant, null, { activity: 'not json', files: [] })).rejects.toMatchObject({ code: 'ERR_REQUEST_INVALID' });
  });
});
