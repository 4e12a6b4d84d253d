import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type restify from 'restify';

import type { TurnGate } from './turnGate.js';

/** How long the last responses get to leave before their connections are cut. */
const FLUSH_MS = 1000;
const FLUSH_POLL_MS = 20;

/**
 * Graceful stop (SIGTERM from an orchestrator, Ctrl-C): /readyz turns 503 and new activities get
 * 503 (the channel retries them on another instance), the listening socket closes, the turns in
 * flight get up to `graceMs` to finish and deliver their replies, and the remaining connections are
 * closed once their responses have left. Keep-alive connections would otherwise hold close() open
 * for their idle timeout, and Direct Line WebSockets for ever.
 */
export async function shutDown(server: restify.Server, turns: Pick<TurnGate, 'drain'>, graceMs: number, logger: Logger): Promise<void> {
  const draining = turns.drain(graceMs);
  let closed = false;
  server.close(() => {
    closed = true;
  });
  const finished = await draining;
  if (finished) logger.info('turns in flight finished; stopping');
  else logger.warn({ graceMs }, 'turns still running at the end of the grace period; stopping anyway');
  // A connection is idle once its response has been written out, so this closes each as it finishes.
  for (const deadline = Date.now() + FLUSH_MS; !closed && Date.now() < deadline; await delay(FLUSH_POLL_MS)) {
    server.server.closeIdleConnections();
  }
  server.server.closeAllConnections();
}
