import type { Logger } from 'pino';
import type { Server } from 'restify';
import { AppError } from '../errors.js';
import { asAgent, type AgentDirectory } from './agentAuth.js';
import { jsonRoute } from './errors.js';

/** A kept picture as the route serves it (src/storage/uploadStore.ts keeps them). */
interface KeptPicture {
  readonly name: string;
  /** Decided from the bytes when the picture was kept (PNG, JPEG, HEIC/HEIF), never what a client declared. */
  readonly contentType: string;
  readonly data: Buffer;
}

export interface AgentAttachmentsOptions {
  readonly agents: AgentDirectory;
  readonly pictures: { get(id: string): Promise<KeptPicture | undefined> };
  readonly logger: Logger;
}

/** Ids the upload store hands out; anything else is unknown without asking the store. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{22,32}$/;
/** What a browser can draw in an <img>; HEIC/HEIF it cannot, so those are downloads. */
const SHOWN_INLINE = new Set(['image/png', 'image/jpeg']);

/**
 * GET /api/agent/attachments/:id: a picture a customer sent, for agents only (their bearer
 * token; a customer's Direct Line token is not an agent token). Served as the type its bytes
 * are, with nosniff and a sandboxing CSP, so that even a file that fooled the checks could never
 * run as a page on this origin; never cached by shared caches.
 */
export function mountAgentAttachments(server: Server, options: AgentAttachmentsOptions): void {
  const route = jsonRoute(options.logger);
  server.get(
    '/api/agent/attachments/:id',
    route(
      asAgent(options.agents, async (req, res) => {
        const id = String(req.params.id);
        const picture = UPLOAD_ID.test(id) ? await options.pictures.get(id) : undefined;
        if (!picture) throw new AppError('ERR_NOT_FOUND', 'no such attachment');
        const disposition = SHOWN_INLINE.has(picture.contentType) ? 'inline' : 'attachment';
        res.writeHead(200, {
          'content-type': picture.contentType,
          'content-length': picture.data.length,
          'content-disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(picture.name)}`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
          'cross-origin-resource-policy': 'same-origin',
          'cache-control': 'private, no-store',
          'referrer-policy': 'no-referrer',
        });
        res.end(picture.data);
      }),
    ),
  );
}
