import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InsightEvent } from '../src/insights/events.js';
import { InsightRecorder } from '../src/insights/recorder.js';
import { createLogger } from '../src/logger.js';
import { openSqliteStorage } from '../src/storage/sqlite/openSqliteStorage.js';

/**
 * npx tsx bench/recorderCost.ts
 *
 * The direct cost of recording a turn's events into the file store (SQLite): 32 turns finish per
 * pass of the event loop, as under the load of `npm run bench`, each with three events. The time
 * of the same number of bare event-loop passes is taken off, leaving the recorder and its commit.
 * (In the bot the commit is shared with the turn's state write, so this counts it in full.)
 */
const TURNS = 20_000;
const PER_PASS = 32;
const folder = mkdtempSync(path.join(tmpdir(), 'recorder-cost-'));
const storage = openSqliteStorage(path.join(folder, 'bot.sqlite'));
const recorder = new InsightRecorder(storage.events, createLogger('silent'));
const events: InsightEvent[] = [
  { kind: 'asked', topic: 'cannot_restore' },
  { kind: 'reached', tree: 'cannot_restore', node: 'intro', open: true },
  { kind: 'unplaced', why: 'in_tree', text: 'what does the error code 4013 mean', tree: 'cannot_restore', node: 'intro' },
];
/** The recorder's batch goes out in one pass, its group commit in the next. */
const twoPasses = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
};

for (let round = 1; round <= 5; round += 1) {
  const started = performance.now();
  for (let turn = 0; turn < TURNS; turn += PER_PASS) {
    for (let index = 0; index < PER_PASS; index += 1) recorder.record(`webchat|c${index}`, events, new Date());
    await twoPasses();
  }
  const recorded = performance.now() - started;
  const idleStart = performance.now();
  for (let turn = 0; turn < TURNS; turn += PER_PASS) await twoPasses();
  const idle = performance.now() - idleStart;
  console.log(`round ${round}: ${(((recorded - idle) * 1000) / TURNS).toFixed(1)} µs per turn`);
}
await storage.close();
rmSync(folder, { recursive: true, force: true });
