import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStorage } from '../src/storage/sqlite/openSqliteStorage.js';

/**
 * npx tsx bench/eventPrune.ts
 *
 * The first prune after an upgrade: 500,000 events a turn's size (half a year of a busy bot), 90%
 * of them past retention. One DELETE holds the event loop (every turn) for its whole length; the
 * event log's prune deletes in slices through the group commit. Reported: total time and the
 * longest the event loop went without running a 1 ms timer.
 */
const EVENTS = 500_000;
const body = JSON.stringify([{ kind: 'asked', topic: 'restore_stuck' }, { kind: 'answered', topic: 'restore_stuck' }]);
const start = Date.UTC(2025, 0, 1);
const cutOff = new Date(start + EVENTS * 30_000 * 0.9).toISOString();

async function filled(): Promise<{ folder: string; file: string }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'event-prune-'));
  const file = path.join(folder, 'bot.sqlite');
  const storage = openSqliteStorage(file);
  for (let from = 0; from < EVENTS; from += 50_000) {
    await storage.events.append(Array.from({ length: 50_000 }, (_, index) => ({ at: new Date(start + (from + index) * 30_000).toISOString(), conversation: `webchat|c${index % 5000}`, body })));
  }
  await storage.close();
  return { folder, file };
}

/** Runs `work` with a 1 ms timer ticking beside it; the longest gap between ticks is the longest stall. */
async function timed(work: () => Promise<number>): Promise<{ removed: number; totalMs: number; longestStallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const began = performance.now();
  last = began;
  const removed = await work();
  const totalMs = performance.now() - began;
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(tick);
  return { removed, totalMs: Math.round(totalMs), longestStallMs: Math.round(Math.max(longest, performance.now() - last)) };
}

const one = await filled();
const db = new Database(one.file);
console.log('one DELETE', await timed(async () => db.prepare('DELETE FROM insight_event WHERE at < ?').run(cutOff).changes));
db.close();
rmSync(one.folder, { recursive: true, force: true });

const sliced = await filled();
const storage = openSqliteStorage(sliced.file);
console.log('EventLog.prune (slices)', await timed(() => storage.events.prune(cutOff)));
await storage.close();
rmSync(sliced.folder, { recursive: true, force: true });
