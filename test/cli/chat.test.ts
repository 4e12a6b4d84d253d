import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/** `npm run chat` as a process (through tsx), fed a script on stdin as a content author pipes one in. */
const projectRoot = path.join(import.meta.dirname, '..', '..');

function chat(lines: readonly string[]): Promise<string> {
  const loader = pathToFileURL(path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--disable-warning=DEP0111', '--import', loader, path.join(projectRoot, 'src', 'cli', 'chat.ts')], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', CONTENT_DIR: projectRoot, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(`${lines.join('\n')}\n`);
  });
}

describe('npm run chat', () => {
  it('answers every line piped in, including those that arrive before the welcome is shown', async () => {
    const transcript = await chat(['cannot restore backup', 'none of the backups work', '2']);
    expect(transcript).toContain('Step 1: check your other backups');
    expect(transcript).toContain('Step 2: check your Wi-Fi');
    // "2" presses the Wi-Fi step's second button, "No, my Wi-Fi is fine".
    expect(transcript).toContain('Step 3: check the storage');
  }, 60_000);
});
