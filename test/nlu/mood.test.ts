import { describe, expect, it } from 'vitest';
import { MoodReader } from '../../src/nlu/mood.js';

const mood = new MoodReader(['the restore failed with an error', 'my restore is stuck']);

describe('reading an upset customer', () => {
  it('hears strong feeling in words no topic uses', () => {
    for (const text of ['this is useless', 'so annoying', 'honestly this is driving me crazy', 'wtf', 'this sucks']) expect(mood.upset(text), text).toBe(true);
  });

  it('does not take the problem\'s own words for a mood: the topics name failures and errors', () => {
    expect(mood.upset('it failed again with an error')).toBe(false);
    expect(mood.upset('still stuck')).toBe(false);
  });

  it('leaves out words a negation turns around, and mild ones', () => {
    expect(mood.upset('not bad, no problem')).toBe(false);
    expect(mood.upset('sorry, a bit slow')).toBe(false);
    expect(mood.upset('how long does a restore take')).toBe(false);
    expect(mood.upset('see http://evil.test/terrible')).toBe(false);
  });
});
