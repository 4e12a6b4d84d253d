import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * src/main.ts as its own process over a temp copy of kb/ and dialogs/: what only the process
 * wires, CONTENT_RELOAD starting the watch and SIGHUP reloading.
 */
const projectRoot = path.join(import.meta.dirname, '..', '..');

interface Started {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly lines: Record<string, unknown>[];
  readonly root: string;
}
let running: Started | undefined;

afterEach(() => {
  if (!running) return;
  running.child.kill('SIGKILL');
  rmSync(running.root, { recursive: true, force: true });
  running = undefined;
});

async function startProcess(env: Record<string, string>): Promise<Started> {
  const root = mkdtempSync(path.join(tmpdir(), 'reload-process-'));
  for (const folder of ['kb', 'dialogs']) cpSync(path.join(projectRoot, folder), path.join(root, folder), { recursive: true });
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', STORAGE: 'memory', CONTENT_DIR: root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  running = { child, lines, root };
  let buffered = '';
  child.stderr.resume();
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const text of complete.filter((line) => line.startsWith('{'))) lines.push(JSON.parse(text) as Record<string, unknown>);
  });
  await until(() => lines.some((line) => line.msg === 'support bot listening'), 'the bot listening', 60_000);
  return running;
}

async function until(condition: () => boolean, what: string, withinMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const addExample = (root: string) => {
  const file = path.join(root, 'kb', 'photos_in_backup.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('    examples:\n', "    examples:\n      - grandad's birthday slideshow vanished\n"));
};
const reloaded = (lines: readonly Record<string, unknown>[]) => lines.filter((line) => line.msg === 'content reloaded');

describe('content reload in the running process', () => {
  it('watches CONTENT_DIR by default and logs the reload of an edit', { timeout: 90_000 }, async () => {
    const { lines, root } = await startProcess({});
    expect(lines.find((line) => line.msg === 'support bot listening')?.contentReload).toBe('watching kb/ and dialogs/');

    addExample(root);
    await until(() => reloaded(lines).length === 1, 'the edit reloaded');
    expect(reloaded(lines)[0]).toMatchObject({ files: { added: [], changed: ['kb/photos_in_backup.yaml'], removed: [] }, examples: 1 });
  });

  it('with CONTENT_RELOAD=false leaves an edit for SIGHUP, which reloads it and keeps the bot running', { timeout: 90_000 }, async () => {
    const { child, lines, root } = await startProcess({ CONTENT_RELOAD: 'false', CONTENT_RELOAD_DEBOUNCE_MS: '0', CONTENT_RELOAD_POLL_MS: '100' });
    addExample(root);
    // Several stat-check periods: a watch would have reloaded by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reloaded(lines)).toEqual([]);

    child.kill('SIGHUP');
    await until(() => reloaded(lines).length === 1, 'the SIGHUP reloaded');
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
  });
});
