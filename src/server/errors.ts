import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import { AppError, RetryLaterError, httpStatusOf, type ErrorCode } from '../errors.js';
import { firstLine } from '../text.js';

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

/**
 * The one place an error becomes an HTTP answer: a coded error gets its code's status and its
 * own short message; anything else is a 500 that names no internals (the log keeps the stack).
 */
export function errorResponse(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const status = httpStatusOf(error);
  if (error instanceof AppError && status !== 500) return { status, body: { error: { code: error.code, message: firstLine(error.message) } }, headers: headersOf(error) };
  return { status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error' } }, headers: {} };
}

/** What a client needs beside the body: when it may try again (RFC 9110 §10.2.3, delay in seconds). */
const headersOf = (error: AppError): Record<string, string> =>
  error instanceof RetryLaterError ? { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) } : {};

export function sendError(req: Request, res: Response, error: unknown, logger: Logger): void {
  const { status, body, headers } = errorResponse(error);
  if (status >= 500) logger.error({ err: error, code: error instanceof AppError ? error.code : 'ERR_INTERNAL', path: req.path() }, 'request failed');
  else logger.info({ status, code: body.error.code, path: req.path() }, 'request refused');
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(headers)) res.header(name, value);
  res.send(status, body);
}

/** Wraps a route handler so that whatever it throws is answered by sendError. */
export const jsonRoute =
  (logger: Logger) =>
  (handler: (req: Request, res: Response) => Promise<void> | void) =>
  async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      sendError(req, res, error, logger);
    }
  };

/** restify's own refusals (no route, body too large, bad JSON…), in the project's codes. */
const RESTIFY_CODES: Record<string, ErrorCode> = {
  ResourceNotFound: 'ERR_NOT_FOUND',
  MethodNotAllowed: 'ERR_NOT_FOUND',
  PayloadTooLarge: 'ERR_REQUEST_TOO_LARGE',
  RequestEntityTooLarge: 'ERR_REQUEST_TOO_LARGE',
  UnsupportedMediaType: 'ERR_REQUEST_MEDIA_TYPE',
  InvalidContent: 'ERR_REQUEST_INVALID',
  BadRequest: 'ERR_REQUEST_INVALID',
  RequestTimeout: 'ERR_REQUEST_INVALID',
};

export interface RestifyError {
  statusCode?: number;
  message?: string;
  name?: string;
  body?: { code?: string };
  toJSON?: () => unknown;
}

/** Rewrites a restify error's body in place (restify then sends it): short, coded, no internals. */
export function renderRestifyError(req: Request, error: RestifyError, logger: Logger): void {
  const status = error.statusCode ?? 500;
  const code: ErrorCode = status >= 500 ? 'ERR_INTERNAL' : (RESTIFY_CODES[error.body?.code ?? ''] ?? RESTIFY_CODES[error.name ?? ''] ?? 'ERR_REQUEST_INVALID');
  const body: ErrorBody = { error: { code, message: status >= 500 ? 'internal error' : firstLine(error.message) } };
  logger.warn({ status, path: req.path(), code }, 'request rejected');
  error.toJSON = () => body;
}
