import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npx tsx scripts/startupTime.ts [--runs 7] [--cwd dir …] [-- command …]`: how long a start command
 * (default `npm start`) takes from spawn to the first 200 from /healthz, and from SIGTERM to the
 * spawned process's exit, as whole processes. Prints every run and the medians; one warm-up run
 * first fills the OS file cache, as any restart on a running machine finds it. With several --cwd
 * (say a checkout before and after a change) the runs alternate, so a machine slowed by other work
 * slows both alike.
 */
const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '7' }, cwd: { type: 'string', multiple: true, default: [process.cwd()] } }, allowPositionals: true });
const command = positionals.length > 0 ? positionals : ['npm', 'start'];
const runs = Number(values.runs);
const POLL_MS = 10;
const GIVE_UP_MS = 60_000;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

interface Run {
  readonly readyMs: number;
  readonly stopMs: number;
  readonly code: number | null;
  readonly signal: string | null;
  /** Whether /healthz still answered after the spawned process exited: a server orphaned by its launcher. */
  readonly leftServing: boolean;
}

async function measure(cwd: string): Promise<Run> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'startup-'));
  const started = performance.now();
  const child = spawn(command[0] ?? 'npm', command.slice(1), {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    // Its own process group, so whatever it leaves behind can be found and killed after the run.
    detached: true,
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  while (!(await healthy(`http://127.0.0.1:${port}/healthz`))) {
    if (child.exitCode !== null || performance.now() - started > GIVE_UP_MS) throw new Error(`${command.join(' ')} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const readyMs = performance.now() - started;
  const stopping = performance.now();
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code, signal] = await exited;
  clearTimeout(killer);
  const stopMs = performance.now() - stopping;
  const leftServing = await healthy(`http://127.0.0.1:${port}/healthz`);
  try {
    process.kill(-(child.pid ?? 0), 'SIGKILL');
  } catch {
    // The group is already gone: nothing was left behind.
  }
  rmSync(dataDir, { recursive: true, force: true });
  return { readyMs, stopMs, code, signal, leftServing };
}

const median = (numbers: number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

for (const cwd of values.cwd) await measure(cwd);
const results = new Map<string, Run[]>(values.cwd.map((cwd) => [cwd, []]));
for (let run = 0; run < runs; run += 1) {
  for (const cwd of values.cwd) {
    const result = await measure(cwd);
    results.get(cwd)?.push(result);
    console.log(`${cwd} run ${run + 1}: ready ${Math.round(result.readyMs)} ms, stopped ${Math.round(result.stopMs)} ms after SIGTERM (exit ${result.code ?? result.signal})${result.leftServing ? ', BUT THE SERVER WAS LEFT SERVING' : ''}`);
  }
}
for (const [cwd, runsOf] of results) {
  const ready = runsOf.map((result) => result.readyMs);
  const stop = runsOf.map((result) => result.stopMs);
  console.log(`${command.join(' ')} in ${cwd}: ready median ${Math.round(median(ready))} ms (min ${Math.round(Math.min(...ready))}, max ${Math.round(Math.max(...ready))}); stop median ${Math.round(median(stop))} ms`);
}
