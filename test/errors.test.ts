import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

describe('error codes', () => {
  const doc = readFileSync(path.join(import.meta.dirname, '..', 'docs', 'errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((match) => match[1]);

  it('documents every code in docs/errors.md', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(documented).toContain(code);
  });

  it('documents no code that no longer exists', () => {
    for (const code of documented) expect(Object.keys(ERROR_CODES)).toContain(code);
  });
});
