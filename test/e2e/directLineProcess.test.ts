import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { tempDir } from '../support/processes.js';

/**
 * The embedded Direct Line in the real process (src/main.ts through tsx): what only a process can
 * show, that a request does not end it, that a restart resumes a web chat, and how much memory
 * hostile traffic can make it hold.
 */
const root = path.join(import.meta.dirname, '..', '..');

interface Running {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly url: string;
  readonly cwd: string;
}

const running: Running[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const { child, cwd } of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startProcess(env: Record<string, string> = {}): Promise<Running> {
  const cwd = tempDir('dl-bot-');
  const child = spawn(
    process.execPath,
    ['--disable-warning=DEP0111', '--import', pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, path.join(root, 'src', 'main.ts')],
    { cwd, env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', STORAGE: 'memory', CONTENT_DIR: root, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /"port":(\d+)[^\n]*"msg":"support bot listening"/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the bot exited with ${code} before listening:\n${output}`)));
  });
  child.stdout.resume();
  child.stderr.resume();
  const started = { child, url: `http://127.0.0.1:${port}`, cwd };
  running.push(started);
  return started;
}

async function stop({ child }: Running): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

interface Session {
  token: string;
  conversationId: string;
  userId: string;
  streamUrl: string;
}

const directLine = (url: string, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> =>
  fetch(`${url}/v3/directline${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function startConversation(url: string): Promise<Session> {
  const session = (await (await fetch(`${url}/api/directline/token`, { method: 'POST' })).json()) as Session;
  const response = await directLine(url, session.token, 'POST', '/conversations', { user: { id: session.userId } });
  expect(response.status).toBe(201);
  return { ...session, ...((await response.json()) as Session) };
}

const say = (url: string, session: Session, body: unknown) => directLine(url, session.token, 'POST', `/conversations/${session.conversationId}/activities`, body);
const poll = async (url: string, session: Session, watermark = '') =>
  (await (await directLine(url, session.token, 'GET', `/conversations/${session.conversationId}/activities?watermark=${watermark}`)).json()) as { activities: { type: string; text?: string; id: string }[]; watermark: string };

/** Resolves with the first bytes the server answers to a raw request. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (data) => {
      resolve(data.toString('latin1'));
      socket.destroy();
    });
    socket.once('end', () => resolve(''));
    socket.write(request);
  });
}

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

describe('the embedded Direct Line in the real process', () => {
  it('answers a WebSocket upgrade to //[ with 404 and goes on serving /healthz', { timeout: 60_000 }, async () => {
    const bot = await startProcess();
    const port = Number(new URL(bot.url).port);
    const answer = await rawRequest(port, 'GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(bot.child.exitCode).toBeNull();
  });

  it('resumes a web chat after a restart on the file store: same token, history and watermark', { timeout: 90_000 }, async () => {
    const dataDir = tempDir('dl-data-');
    dirs.push(dataDir);
    const env = { STORAGE: 'file', DATA_DIR: dataDir };
    const first = await startProcess(env);
    const session = await startConversation(first.url);
    expect((await say(first.url, session, { type: 'message', text: 'my restore is taking forever' })).status).toBe(200);
    const before = await poll(first.url, session);
    expect(before.activities.map((activity) => activity.text ?? '').join('\n')).toMatch(/per gigabyte/);
    await stop(first);

    const second = await startProcess(env);
    const reconnect = await directLine(second.url, session.token, 'GET', `/conversations/${session.conversationId}?watermark=${before.watermark}`);
    expect(reconnect.status).toBe(200);
    const after = await poll(second.url, session);
    expect(after).toEqual(before);
    expect((await say(second.url, session, { type: 'message', text: 'thanks' })).status).toBe(200);
    const next = await poll(second.url, session, before.watermark);
    expect(next.activities[0]).toMatchObject({ text: 'thanks', id: `${session.conversationId}|${String(Number(before.watermark) + 1).padStart(7, '0')}` });
  });

  it('keeps RSS growth under 200 MB through bounded hostile traffic', { timeout: 120_000 }, async () => {
    const bot = await startProcess();
    const pid = bot.child.pid as number;
    const warm = await startConversation(bot.url);
    await say(bot.url, warm, { type: 'message', text: 'my restore is taking forever' });
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
    try {
      // 40 conversations × 16 refused posts (200 kB of junk channelData, or 7,000 members), and 3 real messages of MAX_MESSAGE_CHARS each.
      const conversations = await Promise.all(Array.from({ length: 40 }, () => startConversation(bot.url)));
      const junk = { type: 'message', text: 'hi', channelData: { junk: 'x'.repeat(200_000) } };
      const update = { type: 'conversationUpdate', membersAdded: Array.from({ length: 7000 }, (_, index) => ({ id: `member-${index}` })) };
      await Promise.all(
        conversations.map(async (session) => {
          for (let index = 0; index < 16; index += 1) expect((await say(bot.url, session, index % 2 ? junk : update)).status).toBe(400);
          for (let index = 0; index < 3; index += 1) expect((await say(bot.url, session, { type: 'message', text: `${index} ${'y'.repeat(1990)}` })).status).toBe(200);
        }),
      );
      // One token opens 300 streams; the service keeps three.
      const streams = await Promise.all(
        Array.from({ length: 300 }, () => {
          const ws = new WebSocket(conversations[0]!.streamUrl);
          ws.on('error', () => undefined);
          return new Promise<WebSocket>((resolve) => ws.once('open', () => resolve(ws)).once('error', () => resolve(ws)));
        }),
      );
      // Ten readers that stop reading, while their conversations get long messages.
      const paused: Socket[] = [];
      for (const session of conversations.slice(1, 11)) {
        const url = new URL(session.streamUrl);
        const socket = connect(Number(url.port), url.hostname);
        socket.on('error', () => undefined);
        socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`);
        await once(socket, 'data');
        socket.pause();
        paused.push(socket);
      }
      await Promise.all(
        conversations.slice(1, 11).map(async (session) => {
          for (let index = 0; index < 10; index += 1) await say(bot.url, session, { type: 'message', text: `${index} ${'z'.repeat(1990)}` });
        }),
      );
      // 5,000 token requests.
      for (let batch = 0; batch < 50; batch += 1) {
        await Promise.all(Array.from({ length: 100 }, async () => expect((await fetch(`${bot.url}/api/directline/token`, { method: 'POST' })).status).toBe(200)));
      }
      for (const ws of streams) ws.terminate();
      for (const socket of paused) socket.destroy();
    } finally {
      clearInterval(sampler);
    }
    const after = rssOf(pid);
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    expect(peak - baseline, `RSS baseline ${mb(baseline)} MB, peak ${mb(peak)} MB, after ${mb(after)} MB`).toBeLessThan(200 * 1048576);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await say(bot.url, warm, { type: 'message', text: 'thanks' })).status).toBe(200);
  });
});
