import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PresenceBoard } from '../../src/handoff/presence.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';

let storage: StorageBackend;
let clock: Date;
let board: PresenceBoard;
const later = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

beforeEach(() => {
  storage = openSqliteStorage(IN_MEMORY);
  clock = new Date('2026-12-01T10:00:00Z');
  board = new PresenceBoard({ records: storage.presence, offlineAfterMs: 60_000, now: () => clock });
});
afterEach(async () => {
  await storage.close();
});

describe('agents online', () => {
  it('counts an agent online from their heartbeat until a minute without one', async () => {
    await board.beat('Dana', 'available');
    later(59);
    expect(await board.online()).toEqual([{ name: 'Dana', status: 'available', lastSeenAt: '2026-12-01T10:00:00.000Z' }]);
    expect(await board.anyoneAvailable()).toBe(true);
    later(2);
    expect(await board.online()).toEqual([]);
    expect(await board.anyoneAvailable()).toBe(false);
  });

  it('lists an away agent as online but promises nobody to customers', async () => {
    await board.beat('Dana', 'away');
    expect(await board.online()).toEqual([expect.objectContaining({ name: 'Dana', status: 'away' })]);
    expect(await board.anyoneAvailable()).toBe(false);
  });

  it('takes an agent offline at once when their console says goodbye', async () => {
    await board.beat('Dana', 'available');
    await board.beat('Dana', 'offline');
    expect(await board.online()).toEqual([]);
  });

  it('keeps one record per agent, whatever the number of heartbeats, sorted by name', async () => {
    for (let beat = 0; beat < 50; beat += 1) {
      await board.beat('Lee', 'available');
      await board.beat('Ana', 'away');
      later(20);
    }
    expect(await storage.presence.list()).toHaveLength(2);
    expect((await board.online()).map((agent) => agent.name)).toEqual(['Ana', 'Lee']);
  });

  it('ignores records it did not write rather than failing the customer who asked for a person', async () => {
    await storage.presence.put('odd', { name: 'odd', status: 'dancing', lastSeenAt: 'yesterday' });
    await board.beat('Dana', 'available');
    expect((await board.online()).map((agent) => agent.name)).toEqual(['Dana']);
  });
});
