import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import { DirectLineError } from '../errors.js';

/**
 * Wraps a route handler: a refused request becomes a short JSON error with the status its client
 * expects, and anything unexpected a 500 without internals (the log keeps the stack).
 */
export const jsonRoute =
  (logger: Logger) =>
  (handler: (req: Request, res: Response) => Promise<void>) =>
  async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof DirectLineError) {
        if (error.status >= 500) logger.error({ err: error, code: error.code, path: req.path() }, 'request failed');
        else logger.info({ status: error.status, code: error.code, path: req.path() }, 'request refused');
        res.send(error.status, { error: { code: error.code, message: error.message } });
        return;
      }
      logger.error({ err: error, code: 'ERR_TURN_FAILED', path: req.path() }, 'request failed');
      if (!res.headersSent) res.send(500, { error: { code: 'ERR_TURN_FAILED', message: 'internal error' } });
    }
  };
