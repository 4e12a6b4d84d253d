import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';

/**
 * The parts of @azure/core-rest-pipeline's request, response and policy that the retry policy
 * uses, restated so channels/ need not depend on the connector's HTTP stack directly.
 */
export interface PipelineRequestLike {
  url: string;
  timeout: number;
  abortSignal?: { readonly aborted: boolean };
}
export interface PipelineResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | undefined };
}
export interface PipelinePolicyLike {
  readonly name: string;
  sendRequest(request: PipelineRequestLike, next: (request: PipelineRequestLike) => Promise<PipelineResponseLike>): Promise<PipelineResponseLike>;
}

interface RetryOptions {
  /** Tries per request, the first included. */
  readonly attempts: number;
  /** One try is aborted after this long. */
  readonly timeoutMs: number;
  /** Wait before the first retry; doubled for each further one, then randomised. */
  readonly backoffMs: number;
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/**
 * A Retry-After longer than this is not waited for: the turn holds the channel's HTTP request
 * open while it retries, and channels give up on a bot after about 15 s.
 */
export const MAX_RETRY_AFTER_MS = 10_000;

/** Node's and the pipeline's codes for a connection that failed before any answer came back. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'REQUEST_SEND_ERROR']);

/** 501 and 505 say the connector will never do it; other 5xx, 408 and 429 may pass on a retry. */
const isRetriableStatus = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);

/**
 * Bounded retries for calls to the Bot Connector, replacing the pipeline's default policy, which
 * waits as long as any Retry-After asks, backs off from 1 s up to 64 s and has no timeout. Each
 * try gets a timeout; 408, 429, 5xx, timeouts and dropped connections are retried with randomised
 * exponential backoff (a Retry-After up to MAX_RETRY_AFTER_MS replaces it). When the tries run
 * out, the last answer or error goes back to the caller. A retried POST that had in fact arrived
 * is delivered twice: the connector offers no idempotency key, and a duplicate beats a lost reply.
 */
export function connectorRetryPolicy(options: RetryOptions): PipelinePolicyLike {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const backoff = (retry: number): number => Math.round(options.backoffMs * 2 ** (retry - 1) * (0.5 + random() / 2));

  return {
    name: 'connectorRetryPolicy',
    async sendRequest(request, next) {
      for (let attempt = 1; ; attempt += 1) {
        request.timeout = options.timeoutMs;
        const outcome = await next(request).then(
          (response): Outcome => ({ response, retry: isRetriableStatus(response.status) }),
          (error: unknown): Outcome => ({ error, retry: isTransient(error, request) }),
        );
        const retryAfter = outcome.response ? retryAfterMs(outcome.response) : undefined;
        const final = !outcome.retry || attempt >= options.attempts || (retryAfter ?? 0) > MAX_RETRY_AFTER_MS;
        if (final) {
          if (outcome.response) return outcome.response;
          throw outcome.error;
        }
        const waitMs = retryAfter ?? backoff(attempt);
        options.logger.warn(
          { attempt, status: outcome.response?.status, errorCode: codeOf(outcome.error), waitMs, path: new URL(request.url).pathname },
          'connector call failed; retrying',
        );
        await sleep(waitMs);
      }
    },
  };
}

interface Outcome {
  readonly response?: PipelineResponseLike;
  readonly error?: unknown;
  readonly retry: boolean;
}

function isTransient(error: unknown, request: PipelineRequestLike): boolean {
  // An abort the caller asked for is final; one without a caller's signal is this policy's timeout.
  if ((error as Error | null)?.name === 'AbortError') return !request.abortSignal?.aborted;
  return TRANSIENT_CODES.has(codeOf(error) ?? '');
}

function codeOf(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : (error as Error | null)?.name;
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(response: PipelineResponseLike, now: number = Date.now()): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
