import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';

/** The page's answer from POST /api/directline/token, whichever Direct Line it talks to. */
export interface WebChatSession {
  readonly token: string;
  readonly conversationId: string;
  readonly expires_in: number;
  readonly userId: string;
  /** The Direct Line base URL Web Chat talks to; a path on this server in embedded mode. */
  readonly domain: string;
}

export interface AzureDirectLine {
  readonly secret: string;
  readonly domain: string;
}

const AZURE_TIMEOUT_MS = 10_000;

/**
 * Exchanges the Direct Line secret for a token bound to one new conversation and one user id, so
 * the secret never reaches the browser. Ids starting with `dl_` are the ones Direct Line lets a
 * token pin (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-authentication).
 */
export async function azureSession(azure: AzureDirectLine, logger: Logger): Promise<WebChatSession> {
  const userId = `dl_${randomBytes(12).toString('base64url')}`;
  let response: globalThis.Response;
  try {
    response = await fetch(`${azure.domain}/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${azure.secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(AZURE_TIMEOUT_MS),
    });
  } catch (error) {
    throw new AppError('ERR_DIRECTLINE_UPSTREAM', 'the chat service is unreachable', { cause: error });
  }
  const body = (await response.json().catch(() => null)) as { token?: unknown; conversationId?: unknown; expires_in?: unknown } | null;
  if (!response.ok || typeof body?.token !== 'string' || typeof body.conversationId !== 'string') {
    logger.error({ status: response.status, code: 'ERR_DIRECTLINE_UPSTREAM' }, 'Direct Line token exchange failed');
    throw new AppError('ERR_DIRECTLINE_UPSTREAM', 'the chat service did not start a conversation');
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 0;
  return { token: body.token, conversationId: body.conversationId, expires_in: expiresIn, userId, domain: azure.domain };
}
