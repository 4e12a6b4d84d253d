import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** Runs a script that installs the last-resort policy, in its own process; its exit code and log. */
function run(script: string): Promise<{ code: number | null; log: string }> {
  const module = pathToFileURL(path.join(root, 'src', 'server', 'lastResort.ts')).href;
  const logger = pathToFileURL(path.join(root, 'src', 'logger.ts')).href;
  const source = `
    const { lastResort } = await import(${JSON.stringify(module)});
    const { createLogger } = await import(${JSON.stringify(logger)});
    lastResort(createLogger('info'), (why) => { console.log('stopping: ' + why); setTimeout(() => process.exit(1), 10); });
    ${script}`;
  const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, log })));
}

describe('the last-resort policy', () => {
  it('logs an unhandled rejection with ERR_PROCESS_UNCAUGHT and keeps the process running', async () => {
    const { code, log } = await run(`Promise.reject(new Error('nobody awaited me')); setTimeout(() => { console.log('still here'); process.exit(0); }, 200);`);
    expect(code).toBe(0);
    expect(log).toMatch(/"code":"ERR_PROCESS_UNCAUGHT".*still serving/);
    expect(log).toContain('still here');
  });

  it('logs an uncaught exception with ERR_PROCESS_UNCAUGHT, shuts down gracefully and exits with 1', async () => {
    const { code, log } = await run(`setTimeout(() => { throw new Error('escaped a timer'); }, 10); setTimeout(() => {}, 5000);`);
    expect(code).toBe(1);
    expect(log).toMatch(/"level":60.*"code":"ERR_PROCESS_UNCAUGHT".*clean restart/);
    expect(log).toContain('stopping: uncaughtException');
  });
});
