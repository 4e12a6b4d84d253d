import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendExamples } from '../../src/content/edit.js';
import { loadContent } from '../../src/content/load.js';

/** A copy of the shipped kb/ and dialogs/, so the edits never touch the project's content. */
const projectRoot = path.join(import.meta.dirname, '..', '..');
let root: string;
let file: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'content-edit-'));
  cpSync(path.join(projectRoot, 'kb'), path.join(root, 'kb'), { recursive: true });
  cpSync(path.join(projectRoot, 'dialogs'), path.join(root, 'dialogs'), { recursive: true });
  file = path.join(root, 'kb', 'which_backup.yaml');
  // A comment and an odd layout of our own, which the edit must leave exactly as they are.
  writeFileSync(file, readFileSync(file, 'utf8').replace('    examples:\n', '    # Examples written from the seed article; keep them in customers\' words.\n    examples:   # training only\n'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("appending inbox examples to a topic's file", () => {
  it('adds the examples after the last one, every other byte of the file kept', () => {
    const before = readFileSync(file, 'utf8');
    const result = appendExamples(root, 'which_backup', ['which restore point is safest', 'backup from "yesterday": or last week?']);
    expect(result).toEqual({ file: 'kb/which_backup.yaml', added: ['which restore point is safest', 'backup from "yesterday": or last week?'], skipped: [] });
    const after = readFileSync(file, 'utf8');
    const lastExample = '      - which backup is best to restore from\n';
    expect(after).toBe(before.replace(lastExample, `${lastExample}      - which restore point is safest\n      - 'backup from "yesterday": or last week?'\n`));
    expect(loadContent(root).intentById.get('which_backup')?.examples.slice(-2)).toEqual(['which restore point is safest', 'backup from "yesterday": or last week?']);
  });

  it('skips examples some topic already has, whatever their case and spacing', () => {
    const result = appendExamples(root, 'which_backup', ['Which  backup should I use', 'choose between icloud restore points']);
    expect(result.skipped).toEqual(['Which backup should I use']);
    expect(result.added).toEqual(['choose between icloud restore points']);
  });

  it("refuses an edit that breaks the content, naming file:line:col, and leaves the file as it was", () => {
    const before = readFileSync(file, 'utf8');
    // A held-out test question must never become a training example.
    expect(() => appendExamples(root, 'which_backup', ['which of my icloud backups should i restore'])).toThrow(/kb\/which_backup\.yaml:\d+:\d+: .*\[ERR_CONTENT_DUPLICATE\]/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(path.join(root, 'kb')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a topic the content does not have, or a command such as cancel', () => {
    expect(() => appendExamples(root, 'no_such_topic', ['anything'])).toThrow(expect.objectContaining({ code: 'ERR_INBOX_UNKNOWN' }));
    expect(() => appendExamples(root, 'cancel', ['stop it'])).toThrow(expect.objectContaining({ code: 'ERR_INBOX_UNKNOWN' }));
  });
});
