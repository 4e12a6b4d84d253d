import { AppError } from '../errors.js';

/**
 * Admits turns until shutdown begins, then refuses new ones (503, the channel retries elsewhere)
 * and lets the shutdown wait for the ones in flight. Every way into the bot passes through it:
 * /api/messages and the embedded Direct Line.
 */
export class TurnGate {
  private readonly inFlight = new Set<Promise<unknown>>();
  private draining = false;

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.draining) return Promise.reject(new AppError('ERR_SHUTTING_DOWN', 'the bot is restarting; try again'));
    const running = work();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  /** False once shutdown has begun: /readyz then answers 503 so no new traffic is sent here. */
  isOpen(): boolean {
    return !this.draining;
  }

  /** Stops admitting turns and waits for those in flight, at most `graceMs`; true when they all finished. */
  async drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const finished = Promise.allSettled([...this.inFlight]).then(() => true as const);
    try {
      return await Promise.race([finished, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
