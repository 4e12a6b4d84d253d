import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import { jsonRoute } from './errors.js';

/** public/agent/ sits at the project root, two levels above both src/server and dist/server. */
export const CONSOLE_PAGES = new URL('../../public/agent/', import.meta.url);

/** Every file of the agent console's pages (pages, scripts, styles) goes out with these. */
export const SECURITY_HEADERS = {
  // Scripts and styles are the console's own files: nothing inline runs or styles the page, so
  // markup smuggled into a transcript could neither execute nor restyle the console. Customers'
  // pictures are fetched with the agent's token and shown from blob: URLs.
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The one way the console's mounts serve a file: read once at start-up (a missing file stops
 * start-up, not a request), typed by its extension, with the console's security headers.
 * `file` is a name in public/agent/ or a full path (a browser build in node_modules).
 */
export function consoleFiles(server: Server, logger: Logger): (route: string, file: string) => void {
  const route = jsonRoute(logger);
  return (at, file) => {
    const bytes = readFileSync(path.isAbsolute(file) ? file : new URL(file, CONSOLE_PAGES));
    const type = TYPES[path.extname(file)];
    if (!type) throw new TypeError(`no content type for ${file}`);
    server.get(
      at,
      route(async (_req, res) => {
        res.writeHead(200, { 'content-type': type, 'content-length': bytes.length, ...SECURITY_HEADERS });
        res.end(bytes);
      }),
    );
  };
}
