import { describe, expect, it } from 'vitest';
import { cachedRecognize } from '../../src/nlu/cache.js';
import type { Recognition } from '../../src/nlu/recognizer.js';

/** A recogniser that counts its calls and answers the text back as the intent. */
function counting() {
  const calls: string[] = [];
  const recognize = (text: string): Recognition => {
    calls.push(text);
    return { verdict: 'match', intent: text, confidence: 1, candidates: [], explanation: { tokens: [], corrections: [], synonyms: [], stems: [], unknown: [], coverage: 1, matched: [] } };
  };
  return { calls, recognize };
}

describe('recognition cache', () => {
  it('answers a repeated text without recognising it again', () => {
    const inner = counting();
    const recognize = cachedRecognize(inner.recognize, 10);
    const first = recognize('my restore is slow');
    expect(recognize('my restore is slow')).toBe(first);
    expect(inner.calls).toEqual(['my restore is slow']);
  });

  it('forgets the least recently used text when full', () => {
    const inner = counting();
    const recognize = cachedRecognize(inner.recognize, 2);
    recognize('a');
    recognize('b');
    recognize('a');
    recognize('c');
    recognize('a');
    recognize('b');
    expect(inner.calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('recognises every time when its size is 0', () => {
    const inner = counting();
    const recognize = cachedRecognize(inner.recognize, 0);
    recognize('a');
    recognize('a');
    expect(inner.calls).toEqual(['a', 'a']);
  });
});
