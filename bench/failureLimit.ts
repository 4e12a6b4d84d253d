import { FailureLimit } from '../src/server/agentAuth.js';

/**
 * node --expose-gc --import tsx bench/failureLimit.ts
 *
 * An attacker rotating through 200,000 addresses, 10 different wrong tokens each, against the
 * default limits (10 failures, 10,000 addresses remembered): the heap the limit keeps once full,
 * and the cost of one failure (its SHA-256 fingerprint and the map's upkeep).
 */
const ADDRESSES = 200_000;
const GUESSES = 10;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
gc();
const before = process.memoryUsage().heapUsed;
const limit = new FailureLimit({ maxFailures: GUESSES, windowMs: 900_000, maxTracked: 10_000 });
const began = performance.now();
for (let address = 0; address < ADDRESSES; address += 1) {
  const key = `address:10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
  for (let guess = 0; guess < GUESSES; guess += 1) limit.failed([key], `guess-${address}-${guess}`);
}
const ms = performance.now() - began;
gc();
const heldMb = (process.memoryUsage().heapUsed - before) / 1e6;
// Still in use here, so the collector cannot have taken it before the heap was measured.
limit.refuseIfSpent(['address:192.0.2.1']);
console.log({ failures: ADDRESSES * GUESSES, microsecondsPerFailure: ((ms * 1000) / (ADDRESSES * GUESSES)).toFixed(2), heldMb: heldMb.toFixed(1) });
