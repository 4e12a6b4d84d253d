import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { checkGrounding } from '../../src/content/sources.js';
import type { Content, Intent } from '../../src/content/types.js';
import { formatIssue } from '../../src/errors.js';

const content = loadContent(path.join(import.meta.dirname, '..', 'fixtures', 'minimal'));

/** The minimal fixture with one more KB entry: only the check under test sees the articles. */
const withAnswer = (answer: string, source: string): Content => {
  const intent: Intent = { id: 'extra', title: 'Extra', source, followUps: [], examples: [], tests: [], answer, at: { file: 'kb/extra.yaml', line: 3, col: 5 } };
  return { ...content, intents: [...content.intents, intent] };
};

const ARTICLE = { id: '000', text: 'Go to Settings > iCloud > Storage & Backup > Manage Storage. It might take 1 to 4 hours per gigabyte. Apple may delete backups after 180 days.' };
const ADVERT = { id: '002', text: 'Check your storage. Restart your phone.' };

describe('grounding of kb/ and dialogs/ in the source articles', () => {
  it('accepts menu paths and measures that occur in the cited article, however a range is written', () => {
    const answer = 'Open **Settings > iCloud > Storage & Backup > Manage Storage**; expect 1–4 hours per gigabyte, and 180 days.';
    expect(checkGrounding(withAnswer(answer, 'seed 000: Which backup'), [ARTICLE, ADVERT])).toEqual([]);
  });

  it('reports a menu path the cited article does not give, at the entry that says it', () => {
    const issues = checkGrounding(withAnswer('See **Settings > General > Software Update**.', 'seed 000'), [ARTICLE, ADVERT]);
    expect(issues.map(formatIssue)).toEqual(['kb/extra.yaml:3:5: "Settings > General > Software Update" does not occur in its source (seed 000) [ERR_CONTENT_UNGROUNDED]']);
  });

  it('reports a number with a unit found only in another article than the one cited', () => {
    const issues = checkGrounding(withAnswer('Apple may delete backups after 180 days.', 'seed 002: 3. Check iPhone Remaining Storage'), [ARTICLE, ADVERT]);
    expect(issues.map((issue) => issue.message)).toEqual(['"180 days" does not occur in its source (seed 002)']);
  });

  it('reports a derived figure the articles never state', () => {
    const issues = checkGrounding(withAnswer('A 10 GB backup needs 10-40 hours.', 'seed 000'), [ARTICLE]);
    expect(issues.map((issue) => issue.message)).toEqual(['"10 GB" does not occur in its source (seed 000)', '"10-40 hours" does not occur in its source (seed 000)']);
  });

  it('reports a citation of an article that is not among the sources', () => {
    const issues = checkGrounding(withAnswer('Nothing measured here.', 'seed 007'), [ARTICLE]);
    expect(issues.map((issue) => issue.message)).toEqual(['cites seed 007, which is not among the sources']);
  });

  it('checks tree nodes against their own source, and content citing no article against all of them', () => {
    expect(checkGrounding(content, [ARTICLE])).toEqual([]);
    expect(checkGrounding(withAnswer('Wait 180 days.', 'conversation'), [ADVERT, ARTICLE])).toEqual([]);
    expect(checkGrounding(withAnswer('Wait 90 days.', 'conversation'), [ADVERT, ARTICLE]).map((issue) => issue.message)).toEqual(['"90 days" does not occur in any source']);
  });
});
