import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, LEVEL } from '../support/logs.js';
import { conversation, startBot, type RunningBot } from '../support/botServer.js';

/**
 * The Bot Connector misbehaving: conversations here use their own serviceUrl, where each test
 * scripts the connector's answers with nock. Waits are short (CONNECTOR_BACKOFF_MS=1) so the
 * retries are real but quick.
 */
const FLAKY = 'https://flaky-connector.test';
const TIMEOUT_MS = 300;
const ACTIVITIES = /^\/v3\/conversations\/[^/]+\/activities(\/.*)?$/;

const logs = captureLogs();
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ CONNECTOR_BACKOFF_MS: '1', CONNECTOR_TIMEOUT_MS: String(TIMEOUT_MS), CONNECTOR_ATTEMPTS: '3' }, { logger: logs.logger });
});
afterEach(() => {
  nock.abortPendingRequests();
});
afterAll(async () => {
  await bot.close();
});

/** Scripts the connector: one interceptor per answer, in order; returns the texts of the calls that reached it. */
function connector(...answers: { status: number; headers?: Record<string, string>; delayMs?: number }[]) {
  const calls: string[] = [];
  for (const answer of answers) {
    const interceptor = nock(FLAKY).post(ACTIVITIES);
    (answer.delayMs ? interceptor.delay(answer.delayMs) : interceptor).reply(function (_uri, body) {
      calls.push(String((body as { text?: string }).text ?? ''));
      return [answer.status, answer.status < 300 ? { id: 'ok' } : { error: { code: 'ServiceError' } }, answer.headers ?? {}];
    });
  }
  return calls;
}

const flakyChat = () => conversation(bot, { extra: { serviceUrl: FLAKY } });

describe('a connector that fails', () => {
  it('delivers the reply once when the connector answers 500 twice, then 200', async () => {
    const calls = connector({ status: 500 }, { status: 500 }, { status: 200 });
    const response = await flakyChat().say('my restore is taking forever');
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(new Set(calls).size).toBe(1);
    expect(calls[0]).toMatch(/per gigabyte/);
    expect(nock.pendingMocks().filter((mock) => mock.includes('flaky'))).toEqual([]);
  });

  it('waits as long as a 429 Retry-After asks before retrying', async () => {
    const calls = connector({ status: 429, headers: { 'Retry-After': '1' } }, { status: 200 });
    const started = Date.now();
    const response = await flakyChat().say('my restore is taking forever');
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('aborts a call that takes longer than CONNECTOR_TIMEOUT_MS and retries it', async () => {
    const calls = connector({ status: 200, delayMs: 5_000 }, { status: 200 });
    const started = Date.now();
    const response = await flakyChat().say('my restore is taking forever');
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up after CONNECTOR_ATTEMPTS tries, logs ERR_CONNECTOR_SEND with the ids, and keeps serving', async () => {
    const calls = connector({ status: 500 }, { status: 500 }, { status: 500 });
    const chat = flakyChat();
    const mark = logs.lines.length;
    const failed = await chat.say('my iphone says Cannot Restore Backup');
    expect(failed.status).toBe(200);
    expect(calls).toHaveLength(3);
    const errors = logs.lines.slice(mark).filter((line) => line.level >= LEVEL.error);
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_CONNECTOR_SEND', conversationId: chat.id, activityId: failed.activityId, status: 500 })]);
    expect(logs.lines.slice(mark).filter((line) => line.msg === 'connector call failed; retrying')).toHaveLength(2);

    // The turn's state was saved before the send failed: the conversation goes on from it.
    const next = connector({ status: 200 });
    const after = await chat.say('no');
    expect(after.status).toBe(200);
    expect(next.join('\n')).toMatch(/Wi-Fi/);
  });

  it('gives up when the connection is refused every time, without failing the turn', async () => {
    nock(FLAKY).post(ACTIVITIES).times(3).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const mark = logs.lines.length;
    const response = await flakyChat().say('my restore is taking forever');
    expect(response.status).toBe(200);
    const logged = logs.lines.slice(mark);
    expect(logged.filter((line) => line.msg === 'connector call failed; retrying').map((line) => line.errorCode)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(logged.filter((line) => line.level >= LEVEL.error).map((line) => line.code)).toEqual(['ERR_CONNECTOR_SEND']);
    expect(nock.pendingMocks().filter((mock) => mock.includes('flaky'))).toEqual([]);
  });
});
