import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventRetention, type EventRecord } from '../../src/storage/eventLog.js';
import { captureLogs } from '../support/logs.js';
import { storeKinds, type StoreKind } from '../support/storeKinds.js';

/** Pruning the event log on every backend STORAGE can name, and the hourly retention that drives it. */
const stores = storeKinds('retention');
const open = (kind: StoreKind) => stores.place(kind).connect();

const record = (minute: number, conversation: string, body: string): EventRecord => ({ at: new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString(), conversation, body });

describe.each(stores.kinds)('pruning the %s event log', (kind) => {
  it('deletes what is older than the cut-off and keeps everything from it on', async () => {
    const { events } = await open(kind);
    // One append at a time: on blob each is then a batch of its own.
    for (const [minute, body] of [[1, '1'], [29, '2'], [30, '3'], [59, '4']] as const) await events.append([record(minute, 'a', body)]);
    expect(await events.prune(record(30, '', '').at)).toBe(2);
    expect((await events.read()).map((item) => item.body)).toEqual(['3', '4']);
    expect(await events.prune(record(30, '', '').at)).toBe(0);
  });
});

describe('pruning a long event log', () => {
  it('deletes more old events than one slice of the file store holds', async () => {
    const { events } = await open('file');
    const old = Array.from({ length: 12_345 }, (_, index) => ({ at: new Date(Date.UTC(2025, 0, 1) + index * 1000).toISOString(), conversation: 'a', body: '[]' }));
    await events.append([...old, record(0, 'a', '["kept"]')]);
    expect(await events.prune(record(0, '', '').at)).toBe(12_345);
    expect((await events.read()).map((item) => item.body)).toEqual(['["kept"]']);
  });

  it('deletes more old batches than the blob store deletes at once, and leaves a batch holding any newer event', async () => {
    const { events } = await open('blob');
    for (let batch = 0; batch < 40; batch += 1) await events.append([{ at: new Date(Date.UTC(2025, 0, 1, 0, batch)).toISOString(), conversation: 'a', body: '[]' }]);
    await events.append([record(0, 'b', '["old, in a batch with a newer one"]'), record(40, 'b', '["newer"]')]);
    expect(await events.prune(record(30, '', '').at)).toBe(40);
    expect((await events.read()).map((item) => item.body)).toEqual(['["old, in a batch with a newer one"]', '["newer"]']);
  });
});

describe('event retention', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const DAY = 24 * 3600 * 1000;
  const logger = pino({ level: 'silent' });
  const at = (time: number, body: string): EventRecord => ({ at: new Date(time).toISOString(), conversation: 'a', body });

  it('prunes at start-up and again each hour, past INSIGHTS_RETENTION_DAYS, until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { events } = await open('memory');
    const clock = { now: Date.parse('2026-12-02T03:00:00Z') };
    await events.append([at(clock.now - 181 * DAY, 'too old'), at(clock.now - 179 * DAY - 1800_000, 'old soon'), at(clock.now - DAY, 'recent')]);
    const retention = new EventRetention({ events, days: 180, logger, now: () => new Date(clock.now) });

    retention.start();
    await vi.waitFor(async () => expect((await events.read()).map((item) => item.body)).toEqual(['old soon', 'recent']));
    clock.now += DAY;
    await vi.advanceTimersByTimeAsync(3600_000);
    await vi.waitFor(async () => expect((await events.read()).map((item) => item.body)).toEqual(['recent']));

    retention.stop();
    await events.append([at(clock.now - 200 * DAY, 'after stop')]);
    await vi.advanceTimersByTimeAsync(3 * 3600_000);
    expect((await events.read()).map((item) => item.body)).toEqual(['after stop', 'recent']);
  });

  it('logs a prune that fails with ERR_STORAGE_EVENTS and tries again the next hour', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const backend = await open('memory');
    await stores.closeEarly(backend);
    const { logger, lines } = captureLogs();
    const retention = new EventRetention({ events: backend.events, days: 30, logger });
    retention.start();
    await vi.waitFor(() => expect(lines.filter((line) => line.code === 'ERR_STORAGE_EVENTS')).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(3600_000);
    await vi.waitFor(() => expect(lines.filter((line) => line.code === 'ERR_STORAGE_EVENTS')).toHaveLength(2));
    retention.stop();
    expect(lines[0]?.msg).toMatch(/retention failed; retrying next hour/);
  });

  it('keeps every event when INSIGHTS_RETENTION_DAYS is 0', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { events } = await open('memory');
    await events.append([at(Date.parse('2016-01-01T00:00:00Z'), 'ten years old')]);
    const retention = new EventRetention({ events, days: 0, logger });
    retention.start();
    await vi.advanceTimersByTimeAsync(2 * 3600_000);
    retention.stop();
    expect((await events.read()).map((item) => item.body)).toEqual(['ten years old']);
  });
});
