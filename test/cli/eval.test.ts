import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/** `npm run eval` as a process (through tsx), with no development set or sources, writing into a scratch folder. */
const projectRoot = path.join(import.meta.dirname, '..', '..');

function evaluate(args: readonly string[]): Promise<string> {
  const loader = pathToFileURL(path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--disable-warning=DEP0111', '--import', loader, path.join(projectRoot, 'src', 'cli', 'eval.ts'), ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', CONTENT_DIR: projectRoot, LOG_LEVEL: 'silent' },
      timeout: 120_000,
    }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

describe('npm run eval', () => {
  it('scores the held-out tests over several training orders with --seeds, so one edit is judged against their spread', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'eval-'));
    const printed = await evaluate(['--seeds', '2', '--out', out, '--dev', path.join(out, 'none.yaml'), '--sources', path.join(out, 'none')]);
    expect(printed).toMatch(/held-out over 2 training orders: right \d+\.\d of \d+ \(\d+–\d+\)/);
    const results = JSON.parse(readFileSync(path.join(out, 'eval.json'), 'utf8')) as { heldOutOverSeeds: { questions: number; right: { mean: number; min: number; max: number } } };
    const { questions, right } = results.heldOutOverSeeds;
    expect(right.min).toBeLessThanOrEqual(right.mean);
    expect(right.mean).toBeLessThanOrEqual(right.max);
    expect(right.max).toBeLessThanOrEqual(questions);
    expect(readFileSync(path.join(out, 'eval.md'), 'utf8')).toContain('mean over 2 training orders');
  }, 120_000);
});
