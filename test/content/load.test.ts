import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { ContentError, formatIssue } from '../../src/errors.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');
const projectRoot = path.join(import.meta.dirname, '..', '..');
const temporary: string[] = [];
const cwd = process.cwd();

afterEach(() => {
  process.chdir(cwd);
  temporary.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** A copy of the minimal valid content, with one file replaced, loaded from its own folder. */
function loadWith(into: string, text: string) {
  const root = mkdtempSync(path.join(tmpdir(), 'content-'));
  temporary.push(root);
  cpSync(path.join(fixtures, 'minimal'), root, { recursive: true });
  writeFileSync(path.join(root, into), text);
  process.chdir(root);
  return () => loadContent(root);
}

function issuesOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ContentError) return error.issues.map(formatIssue);
    throw error;
  }
  return [];
}

describe('content loading', () => {
  it('loads the shipped kb/ and dialogs/ without a problem', () => {
    const content = loadContent(projectRoot);
    expect(content.intents.length).toBeGreaterThan(15);
    expect(content.trees.size).toBeGreaterThanOrEqual(6);
  });

  it('keeps which walk-throughs are about a running restore, and the answers written for one', () => {
    const content = loadContent(projectRoot);
    expect(content.trees.get('slow_restore')?.underway).toBe(true);
    expect(content.trees.get('cannot_restore')?.underway).toBeUndefined();
    expect(content.intentById.get('erase_device')?.whileRestoring).toMatch(/don't erase the device while a restore is running/);
    expect(content.intentById.get('use_during_restore')?.underway).toBe(true);
  });

  it('loads the minimal fixture and freezes it', () => {
    const content = loadWith('kb/extra.yaml', 'version: 1\nintents:\n  - {id: extra, title: Extra, source: s, examples: [a b, c d, e f], answer: x}\n')();
    expect(content.intentById.get('slow_restore')?.tree).toBe('slow_restore');
    expect(Object.isFrozen(content.intents)).toBe(true);
  });

  it('reports a missing kb folder instead of loading an empty bot', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'content-'));
    temporary.push(root);
    expect(() => loadContent(root)).toThrow(/ERR_CONTENT_EMPTY/);
  });

  const cases = readdirSync(path.join(fixtures, 'broken')).filter((name) => name.endsWith('.yaml'));
  it.each(cases)('reports broken content %s as file:line:col', (name) => {
    const text = readFileSync(path.join(fixtures, 'broken', name), 'utf8');
    const into = /^# into: (.+)$/m.exec(text)?.[1] ?? '';
    const expected = [...text.matchAll(/^# expect: (.+)$/gm)].map((match) => match[1] ?? '');
    const issues = issuesOf(loadWith(into, text));
    for (const line of expected) {
      const [position, rest] = [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)];
      const found = issues.find((issue) => issue.startsWith(`${position}:`));
      expect(found, `${name}: no issue at ${position} in\n${issues.join('\n')}`).toBeDefined();
      const code = /\[(ERR_[A-Z_]+)\]$/.exec(rest)?.[1] ?? '';
      expect(found).toContain(`[${code}]`);
      const message = rest.replace(/\s*\[ERR_[A-Z_]+\]$/, '');
      if (message) expect(found).toContain(message);
    }
  });
});
