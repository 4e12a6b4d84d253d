import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { connectorRetryPolicy, MAX_RETRY_AFTER_MS, type PipelineRequestLike, type PipelineResponseLike } from '../../src/channels/connectorRetry.js';

const response = (status: number, headers: Record<string, string> = {}): PipelineResponseLike => ({
  status,
  headers: { get: (name) => headers[name.toLowerCase()] },
});

const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const abortError = () => Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });

/** The policy over a scripted connector: each try takes the next outcome; waits are recorded, not slept. */
function run(outcomes: (PipelineResponseLike | Error)[], options: { attempts?: number; backoffMs?: number; abortSignal?: { aborted: boolean } } = {}) {
  const waits: number[] = [];
  const timeouts: number[] = [];
  const policy = connectorRetryPolicy({
    attempts: options.attempts ?? 3,
    timeoutMs: 2500,
    backoffMs: options.backoffMs ?? 100,
    logger: createLogger('silent'),
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 1,
  });
  const request: PipelineRequestLike = { url: 'https://connector.test/v3/conversations/c/activities/a', timeout: 0, ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) };
  let tries = 0;
  const result = policy.sendRequest(request, async (sent) => {
    timeouts.push(sent.timeout);
    const outcome = outcomes[Math.min(tries, outcomes.length - 1)];
    tries += 1;
    if (outcome instanceof Error) throw outcome;
    return outcome as PipelineResponseLike;
  });
  return { result, waits, timeouts, tries: () => tries };
}

describe('connector retry policy', () => {
  it('returns the first success without waiting', async () => {
    const call = run([response(201)]);
    expect((await call.result).status).toBe(201);
    expect(call.tries()).toBe(1);
    expect(call.waits).toEqual([]);
  });

  it('gives every try the timeout', async () => {
    const call = run([response(500), response(200)]);
    await call.result;
    expect(call.timeouts).toEqual([2500, 2500]);
  });

  it('retries 500 with exponential backoff and returns the success', async () => {
    const call = run([response(500), response(502), response(200)]);
    expect((await call.result).status).toBe(200);
    expect(call.waits).toEqual([100, 200]);
  });

  it('randomises each wait between half and all of the backoff', async () => {
    const waits: number[] = [];
    const policy = connectorRetryPolicy({ attempts: 2, timeoutMs: 1000, backoffMs: 100, logger: createLogger('silent'), sleep: async (ms) => void waits.push(ms), random: () => 0 });
    await policy.sendRequest({ url: 'https://connector.test/', timeout: 0 }, async () => response(503));
    expect(waits).toEqual([50]);
  });

  it('stops after the configured number of tries and returns the last failure', async () => {
    const call = run([response(500)], { attempts: 3 });
    expect((await call.result).status).toBe(500);
    expect(call.tries()).toBe(3);
    expect(call.waits).toHaveLength(2);
  });

  it('waits as long as a Retry-After in seconds asks', async () => {
    const call = run([response(429, { 'retry-after': '3' }), response(200)]);
    expect((await call.result).status).toBe(200);
    expect(call.waits).toEqual([3000]);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 5000).toUTCString();
    const call = run([response(503, { 'retry-after': at }), response(200)]);
    await call.result;
    expect(call.waits[0]).toBeGreaterThan(3000);
    expect(call.waits[0]).toBeLessThanOrEqual(5000);
  });

  it('gives up at once when Retry-After asks for more than the longest wait', async () => {
    const call = run([response(429, { 'retry-after': String(MAX_RETRY_AFTER_MS / 1000 + 1) }), response(200)]);
    expect((await call.result).status).toBe(429);
    expect(call.tries()).toBe(1);
  });

  it('retries 429 without Retry-After with the backoff', async () => {
    const call = run([response(429), response(200)]);
    expect((await call.result).status).toBe(200);
    expect(call.waits).toEqual([100]);
  });

  it.each([400, 401, 403, 404, 501])('does not retry %i', async (status) => {
    const call = run([response(status), response(200)]);
    expect((await call.result).status).toBe(status);
    expect(call.tries()).toBe(1);
  });

  it('retries a try that timed out', async () => {
    const call = run([abortError(), response(200)]);
    expect((await call.result).status).toBe(200);
    expect(call.tries()).toBe(2);
  });

  it('does not retry when the caller aborted', async () => {
    const call = run([abortError(), response(200)], { abortSignal: { aborted: true } });
    await expect(call.result).rejects.toThrow(/aborted/);
    expect(call.tries()).toBe(1);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'REQUEST_SEND_ERROR'])('retries a connection that failed with %s', async (code) => {
    const call = run([networkError(code), response(200)]);
    expect((await call.result).status).toBe(200);
  });

  it('throws the last connection error when the tries run out', async () => {
    const call = run([networkError('ECONNREFUSED')], { attempts: 2 });
    await expect(call.result).rejects.toThrow(/ECONNREFUSED/);
    expect(call.tries()).toBe(2);
  });

  it('does not retry an error that is not about the connection', async () => {
    const call = run([new TypeError('bad body'), response(200)]);
    await expect(call.result).rejects.toThrow(/bad body/);
    expect(call.tries()).toBe(1);
  });
});
