import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/processes.js';

/**
 * `npm start`'s build check (scripts/start.js with scripts/build.js) over a one-file project: the
 * real scripts and the real TypeScript compiler, with the project's tsconfig.json.
 */
const projectRoot = path.join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function project(): { start: () => Promise<string>; edit: (said: string) => void; typeCheck: () => Promise<unknown> } {
  dir = tempDir('start-');
  cpSync(path.join(projectRoot, 'scripts', 'start.js'), path.join(dir, 'scripts', 'start.js'));
  cpSync(path.join(projectRoot, 'scripts', 'build.js'), path.join(dir, 'scripts', 'build.js'));
  cpSync(path.join(projectRoot, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  mkdirSync(path.join(dir, 'src'));
  const edit = (said: string) => writeFileSync(path.join(dir, 'src', 'main.ts'), `console.log(${JSON.stringify(said)});\n`);
  const tsc = path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  return {
    start: async () => (await run(process.execPath, [path.join(dir, 'scripts', 'start.js')], { cwd: dir })).stdout.trim(),
    edit,
    typeCheck: () => run(process.execPath, [tsc, '--noEmit', '-p', dir], { cwd: dir }),
  };
}

describe('npm start', () => {
  it('runs an edit made after a type check with tsc --noEmit, which rewrites the compiler\'s build info without emitting', async () => {
    const bot = project();
    bot.edit('first');
    expect(await bot.start()).toBe('first');
    // mtimes: the edit must be visibly newer than the last build's stamp.
    await new Promise((resolve) => setTimeout(resolve, 20));
    bot.edit('second');
    await bot.typeCheck();
    expect(await bot.start()).toBe('second');
  }, 60_000);
});
