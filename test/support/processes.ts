import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SentActivity } from './botServer.js';

const projectRoot = path.join(import.meta.dirname, '..', '..');
/**
 * A bound, not a speed target: a bot process compiles src/ through tsx as it starts, which took
 * over 20 s when the whole suite ran beside other work on a 2-core machine.
 */
const STARTUP_TIMEOUT_MS = 60_000;

/**
 * Azurite's published development account (https://learn.microsoft.com/azure/storage/common/storage-use-azurite):
 * the same name and key in every Azurite install, not a secret.
 */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export const tempDir = (prefix: string): string => mkdtempSync(path.join(tmpdir(), prefix));

/** Resolves with the first capture of `pattern` in the child's stdout; rejects if it exits or is too slow first. */
function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        cleanUp();
        resolve(match[1] ?? '');
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanUp();
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${output}`));
    };
    const timer = setTimeout(() => {
      cleanUp();
      reject(new Error(`${what} did not start in ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const cleanUp = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

export interface Azurite {
  readonly connectionString: string;
  stop(): Promise<void>;
}

/**
 * The real Azure Storage emulator (npm `azurite`), blob service only, on a free port with its
 * data in a temp dir. --skipApiVersionCheck: @azure/storage-blob sends a newer storage
 * API version than Azurite 3.35 accepts by default.
 */
export async function startAzurite(): Promise<Azurite> {
  const location = tempDir('azurite-');
  const child = spawn(
    path.join(projectRoot, 'node_modules', '.bin', 'azurite-blob'),
    ['--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--skipApiVersionCheck', '--silent', '--disableTelemetry', '--loose'],
    { cwd: location, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const endpoint = await waitForLine(child, /successfully listens on (http:\/\/\S+)/, 'Azurite');
  child.stdout?.resume();
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${endpoint}/${DEV_ACCOUNT};`,
    stop: async () => {
      await stopChild(child);
      rmSync(location, { recursive: true, force: true });
    },
  };
}

/** A Bot Connector call as a stand-in records it: POST …/v3/conversations/{id}/activities[/{replyToId}]. */
export function sentActivity(serviceUrl: string, path: string, body: unknown): SentActivity {
  const match = /\/v3\/conversations\/([^/]+)\/activities\/?([^/]*)$/.exec(path);
  return { serviceUrl, conversationId: decodeURIComponent(match?.[1] ?? ''), replyToId: decodeURIComponent(match?.[2] ?? ''), body: body as Record<string, any> };
}

export interface FakeConnector {
  readonly serviceUrl: string;
  /** Every activity a bot process sent, in arrival order. */
  readonly sent: SentActivity[];
  /** Resolves when the next activity arrives. */
  nextPost(): Promise<void>;
  /**
   * While holding, activities are read but never answered (recorded in `held`, not `sent`): a
   * connector that has not taken them yet, as when the bot dies while sending.
   */
  holding: boolean;
  readonly held: SentActivity[];
  close(): Promise<void>;
}

/** A Bot Connector stand-in for bot processes (nock cannot reach into another process): records each POST. */
export async function startConnector(): Promise<FakeConnector> {
  const sent: SentActivity[] = [];
  const held: SentActivity[] = [];
  const posts = new EventEmitter();
  const connector = { holding: false };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (connector.holding) {
        held.push(sentActivity(serviceUrl, req.url ?? '', JSON.parse(body || '{}')));
        posts.emit('held');
        return;
      }
      sent.push(sentActivity(serviceUrl, req.url ?? '', JSON.parse(body || '{}')));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sent-${sent.length}` }));
      posts.emit('post');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(connector, {
    serviceUrl,
    sent,
    held,
    nextPost: async () => {
      await once(posts, connector.holding ? 'held' : 'post');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export interface BotProcess {
  /** Where the process listens (http://127.0.0.1:<port>). */
  readonly url: string;
  post(body: unknown): Promise<Response>;
  /** SIGTERM by default; SIGKILL to die without any chance to flush or close. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `src/main.ts` as its own process, as a deployment runs it (through tsx, so no build step). It runs
 * in a temp dir so a developer's .env cannot leak in; content is read from the project.
 */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const cwd = tempDir('bot-');
  const child = spawn(
    process.execPath,
    ['--disable-warning=DEP0111', '--import', pathToFileURL(path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, path.join(projectRoot, 'src', 'main.ts')],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CONTENT_DIR: projectRoot, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const port = await waitForLine(child, /"port":(\d+)[^\n]*"msg":"support bot listening"/, 'bot process');
  // Keep draining the turn logs: a full pipe would block the child's writes.
  child.stdout?.resume();
  child.stderr?.resume();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    post: (body) => fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    stop: async (signal) => {
      await stopChild(child, signal);
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}
