import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { tempDir } from '../support/processes.js';

/**
 * The real process (src/main.ts through tsx, or the real `npm start`) with a real local connector, to check what only the
 * process can show: signals, the exit code, and that a turn in flight still gets its reply out.
 */
const root = path.join(import.meta.dirname, '..', '..');
const CONNECTOR_DELAY_MS = 1000;

interface Started {
  child: ChildProcessByStdio<null, Readable, Readable>;
  port: number;
  lines: Record<string, unknown>[];
}

let running: Started | undefined;
let connector: http.Server | undefined;
afterEach(() => {
  // The whole process group, so a server that its launcher (npm) left behind dies too.
  try {
    if (running?.child.pid) process.kill(-running.child.pid, 'SIGKILL');
  } catch {
    // Nothing of the group is left.
  }
  connector?.close();
  running = undefined;
  connector = undefined;
});

/** Starts the bot (src/main.ts through tsx unless another command is given) on a free port; resolves once it logs that it listens. */
async function startProcess(env: Record<string, string>, command: readonly string[] = [process.execPath, '--import', 'tsx', 'src/main.ts']): Promise<Started> {
  const child = spawn(command[0] ?? process.execPath, command.slice(1), {
    cwd: root,
    // Memory storage: a file store under ./data would remember the activity id of an earlier run and drop it as a replay.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', STORAGE: 'memory', MicrosoftAppId: '', MicrosoftAppPassword: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      // npm prints its own banner lines before the bot's JSON log lines.
      for (const text of complete.filter((line) => line.startsWith('{'))) {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (line.msg === 'support bot listening') resolve(line.port as number);
      }
    });
    child.once('exit', (code) => reject(new Error(`the bot exited with ${code} before listening`)));
  });
  return { child, port: await listening, lines };
}

/** A Bot Connector on loopback that takes CONNECTOR_DELAY_MS to accept each activity. */
async function slowConnector() {
  const received: string[] = [];
  const delivered: string[] = [];
  let first: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    first = resolve;
  });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const text = String((JSON.parse(body) as { text?: string }).text ?? '');
      received.push(text);
      first();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id":"r"}');
        delivered.push(text);
      }, CONNECTOR_DELAY_MS);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, delivered, reached };
}

describe('the bot process', () => {
  it('finishes the turn in flight on SIGTERM, delivers its reply, answers 200 and exits 0', async () => {
    const slow = await slowConnector();
    connector = slow.server;
    running = await startProcess({ SHUTDOWN_GRACE_MS: '5000' });
    const { child, port, lines } = running;

    const answer = fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'm1',
        channelId: 'emulator',
        serviceUrl: slow.serviceUrl,
        conversation: { id: 'shutdown-1' },
        from: { id: 'u1' },
        recipient: { id: 'bot' },
        text: 'my restore is taking forever',
      }),
    });
    await slow.reached;
    expect(slow.delivered).toEqual([]);
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');

    expect((await answer).status).toBe(200);
    expect(slow.delivered.join('\n')).toMatch(/per gigabyte/);
    expect(await exited).toEqual([0, null]);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down: finishing the turns in flight', 'turns in flight finished; stopping']));
  });

  it('passes the SIGTERM sent to `npm start` on to the bot, which shuts down and leaves nothing serving', async () => {
    // A stale dist/ is rebuilt by `npm start` first, which takes tens of seconds on a busy machine.
    running = await startProcess({ SHUTDOWN_GRACE_MS: '5000' }, ['npm', 'start']);
    const { child, port, lines } = running;
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');

    expect(await exited).toEqual([0, null]);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down: finishing the turns in flight', 'turns in flight finished; stopping']));
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 180_000);

  it('deletes insight events older than INSIGHTS_RETENTION_DAYS as it starts, and still stops at once on SIGTERM', async () => {
    const dataDir = tempDir('retention-process-');
    try {
      const day = 24 * 3600 * 1000;
      const before = openSqliteStorage(path.join(dataDir, 'bot.sqlite'));
      await before.events.append([
        { at: new Date(Date.now() - 40 * day).toISOString(), conversation: 'webchat|old', body: '[{"kind":"ended"}]' },
        { at: new Date(Date.now() - day).toISOString(), conversation: 'webchat|recent', body: '[{"kind":"ended"}]' },
      ]);
      await before.close();

      running = await startProcess({ STORAGE: 'file', DATA_DIR: dataDir, INSIGHTS_RETENTION_DAYS: '30', SHUTDOWN_GRACE_MS: '5000' });
      const { child, lines } = running;
      await expect.poll(() => lines.find((line) => line.msg === 'insight events past retention removed'), { timeout: 20_000 }).toMatchObject({ removed: 1 });
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      child.kill('SIGTERM');
      expect(await exited).toEqual([0, null]);

      const after = openSqliteStorage(path.join(dataDir, 'bot.sqlite'));
      expect((await after.events.read()).map((record) => record.conversation)).toEqual(['webchat|recent']);
      await after.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
