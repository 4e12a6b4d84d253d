import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The moment `days` before `now`: what is older goes. */
export const retentionCutOff = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

/**
 * Runs a store's pruning once at start-up and then every hour. A failure is logged with its code
 * and retried at the next hour rather than stopping the process: what is kept too long is a
 * smaller harm than a bot that is down.
 */
export class HourlyPrune {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly prune: () => Promise<unknown>,
    private readonly failure: { readonly logger: Logger; readonly code: ErrorCode; readonly message: string },
  ) {}

  start(): void {
    const { logger, code, message } = this.failure;
    const runLogged = () => this.prune().catch((error: unknown) => logger.error({ code, err: error }, message));
    void runLogged();
    // unref: a pending prune must not keep a stopping process alive.
    this.timer = setInterval(runLogged, HOUR_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
