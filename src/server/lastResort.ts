import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.js';

/**
 * The last resort, for an error that escaped every handler (each route, the WebSocket upgrade and
 * every timer catch their own). A rejected promise nobody awaited leaves no half-done work behind,
 * so it is logged and the server keeps serving. An uncaught exception may have left any object
 * half-changed, so the server stops taking turns, lets those in flight finish, and exits with 1 for
 * the process manager (systemd, a container runtime) to start a clean one.
 */
export function lastResort(logger: Logger, stop: (why: string) => void): void {
  const code: ErrorCode = 'ERR_PROCESS_UNCAUGHT';
  process.on('unhandledRejection', (reason: unknown) => {
    logger.error({ code, err: reason }, 'unhandled promise rejection; still serving');
  });
  process.on('uncaughtException', (error: Error) => {
    logger.fatal({ code, err: error }, 'uncaught exception; shutting down for a clean restart');
    stop('uncaughtException');
  });
}
