import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const projectRoot = path.join(import.meta.dirname, '..', '..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm run agents -- …` as its own process, as an operator runs it (through tsx, so no build step),
 * in `cwd` (an empty temp dir, so no developer's .env leaks in) with exactly `env`.
 */
export async function runAgentsCli(cwd: string, env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  const loader = pathToFileURL(path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, path.join(projectRoot, 'src', 'cli', 'agents.ts'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** What `add` and `rotate` print last: the token, alone on its line. */
export const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';
