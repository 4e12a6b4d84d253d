import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { buildRecognizer } from '../../src/nlu/fromContent.js';
import { stem, tokenize } from '../../src/nlu/normalize.js';
import { Recognizer } from '../../src/nlu/recognizer.js';
import type { TrainingData } from '../../src/nlu/trainingData.js';

const settings = { threshold: 0.3, ambiguityMargin: 0.02, suggestions: 3 };
const data: TrainingData = {
  intents: [
    { id: 'slow_restore', kind: 'topic', examples: ['my restore is slow', 'restore taking forever', 'why is the restore so slow', 'restore takes hours'] },
    { id: 'which_backup', kind: 'topic', examples: ['which backup should i choose', 'which backup is best', 'pick a backup to restore'] },
    { id: 'greeting', kind: 'conversation', examples: ['hello', 'hi there', 'good morning'] },
    { id: 'none', kind: 'out_of_scope', examples: ['what is the weather', 'tell me a joke', 'order a taxi'] },
  ],
  synonyms: [{ canonical: 'restore', variants: ['recover', 'bring back'] }],
};
const recognizer = new Recognizer(data, settings);

describe('text preparation', () => {
  it('expands contractions and drops punctuation and emoji', () => {
    expect(tokenize("I can't restore — it won't work!! 😤")).toEqual(['i', 'can', 'not', 'restore', 'it', 'will', 'not', 'work']);
  });

  it('expands a negation typed without its apostrophe, and leaves words that only end like one whole', () => {
    expect(tokenize('it doesnt work, i didnt change anything')).toEqual(['it', 'does', 'not', 'work', 'i', 'did', 'not', 'change', 'anything']);
    expect(tokenize('i want the restore i went through')).toEqual(['i', 'want', 'the', 'restore', 'i', 'went', 'through']);
    expect(tokenize('ill wait, ive tried')).toEqual(['i', 'will', 'wait', 'i', 'have', 'tried']);
  });

  it('reads "how do I no" as "know", and leaves "no" anywhere else', () => {
    expect(tokenize('how can i no its done')).toEqual(['how', 'can', 'i', 'know', 'its', 'done']);
    expect(tokenize('no, how do i fix it')).toEqual(['no', 'how', 'do', 'i', 'fix', 'it']);
  });

  it('drops laughter and "anyway", which say nothing of what is asked', () => {
    expect(tokenize('did that twice lol, hahaha LMAO')).toEqual(['did', 'that', 'twice']);
    expect(tokenize('how many does icloud keep anyway')).toEqual(['how', 'many', 'does', 'icloud', 'keep']);
    expect(tokenize('the lolly and the hat')).toEqual(['the', 'lolly', 'and', 'the', 'hat']);
  });

  it('keeps numbers unstemmed', () => {
    expect(stem('180')).toBe('180');
  });
});

describe('recogniser', () => {
  it('matches a paraphrase of a trained example', () => {
    const result = recognizer.recognize('the restore is so slow');
    expect(result.verdict).toBe('match');
    expect(result.intent).toBe('slow_restore');
  });

  it('corrects misspelt topic words and says so', () => {
    const result = recognizer.recognize('my resotre is slow');
    expect(result.intent).toBe('slow_restore');
    expect(result.explanation.corrections).toContainEqual({ from: 'resotre', to: 'restore' });
  });

  it('applies declared synonyms, phrases included', () => {
    const result = recognizer.recognize('bring back takes hours');
    expect(result.explanation.synonyms).toContainEqual({ from: 'bring back', to: 'restore' });
    expect(result.intent).toBe('slow_restore');
  });

  it('is not thrown by case and punctuation', () => {
    expect(recognizer.recognize('WHICH BACKUP IS BEST???').intent).toBe('which_backup');
  });

  it('rejects a question the knowledge base has no words for', () => {
    const result = recognizer.recognize('how do I grow tomatoes indoors');
    expect(result.verdict).toBe('out_of_scope');
    expect(result.intent).toBeUndefined();
  });

  it('treats the out-of-scope class as a refusal even when it wins clearly', () => {
    expect(recognizer.recognize('tell me a joke please').verdict).toBe('out_of_scope');
  });

  it('is unsure between a topic and the out-of-scope class when they are within the ambiguity margin, whichever leads', () => {
    const two: TrainingData = { ...data, intents: data.intents.filter((intent) => intent.id === 'slow_restore' || intent.id === 'none') };
    const close = new Recognizer(two, { ...settings, ambiguityMargin: 1 });
    const apart = new Recognizer(two, { ...settings, ambiguityMargin: 0 });
    expect(apart.recognize('my restore is slow').verdict).toBe('match');
    expect(close.recognize('my restore is slow').verdict).toBe('unsure');
    expect(apart.recognize('tell me a joke').verdict).toBe('out_of_scope');
    expect(close.recognize('tell me a joke').verdict).toBe('unsure');
  });

  it('never corrects an unknown word into small talk', () => {
    const result = recognizer.recognize('hellp');
    expect(result.explanation.corrections).toEqual([]);
  });

  it('never corrects a word customers type in answers to a walk-through, which the topics do not use', () => {
    const topics: TrainingData = { ...data, intents: [...data.intents, { id: 'ipad_mini', kind: 'topic', examples: ['restore an ipad mini'] }] };
    expect(new Recognizer(topics, settings).recognize('they are all mine').explanation.corrections).toContainEqual({ from: 'mine', to: 'mini' });
    const answers = new Recognizer({ ...topics, vocabulary: ['both ids are mine'] }, settings);
    expect(answers.recognize('they are all mine').explanation.corrections).not.toContainEqual({ from: 'mine', to: 'mini' });
  });

  it('never corrects a word of its dictionary, nor a function word, into a word of the topics', () => {
    const topics: TrainingData = { ...data, intents: [...data.intents, { id: 'last_backup', kind: 'topic', examples: ['restore the last backup', 'the restore had an accident'] }] };
    expect(new Recognizer(topics, settings).recognize('can they at least restore my ancient ipad').explanation.corrections).toEqual([
      { from: 'least', to: 'last' },
      { from: 'ancient', to: 'accident' },
    ]);
    const english = new Recognizer({ ...topics, dictionary: new Set(['least', 'ancient']) }, settings);
    expect(english.recognize('can they at least restore my ancient ipad').explanation.corrections).toEqual([]);
    expect(english.recognize('can they at least resotre my ancient ipad').explanation.corrections).toEqual([{ from: 'resotre', to: 'restore' }]);
  });

  it('keeps confidences in [0, 1] and candidates sorted', () => {
    const { candidates } = recognizer.recognize('restore which backup slow');
    for (const candidate of candidates) expect(candidate.confidence).toBeGreaterThanOrEqual(0);
    for (const candidate of candidates) expect(candidate.confidence).toBeLessThanOrEqual(1);
    expect(candidates.map((candidate) => candidate.confidence)).toEqual([...candidates.map((candidate) => candidate.confidence)].sort((a, b) => b - a));
  });

  it('explains a match with the nearest example and the shared terms', () => {
    const { explanation } = recognizer.recognize('restore taking forever and ever');
    expect(explanation.nearestExample).toBe('restore taking forever');
    expect(explanation.matched).toContain('forev');
  });

  it('is unsure, not wrong, when the best topic is weak', () => {
    const strict = new Recognizer(data, { ...settings, threshold: 0.99 });
    expect(strict.recognize('restore is slow today').verdict).toBe('unsure');
  });

  it('calls two topics that tie ambiguous', () => {
    const wide = new Recognizer(data, { ...settings, ambiguityMargin: 1 });
    expect(wide.recognize('which backup to restore').verdict).toBe('ambiguous');
  });
});

describe('recogniser on the shipped knowledge base', () => {
  const content = loadContent(path.join(import.meta.dirname, '..', '..'));
  const shipped = buildRecognizer(content);

  it('answers at least 90% of the held-out test questions with the right topic', () => {
    const questions = content.intents.filter((intent) => intent.action !== 'none').flatMap((intent) => intent.tests.map((text) => ({ text, id: intent.id })));
    const right = questions.filter(({ text, id }) => {
      const result = shipped.recognize(text);
      return result.verdict === 'match' && result.intent === id;
    });
    expect(right.length / questions.length).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses at least 85% of the held-out out-of-scope questions', () => {
    const questions = content.intents.filter((intent) => intent.action === 'none').flatMap((intent) => intent.tests);
    const refused = questions.filter((text) => shipped.recognize(text).verdict !== 'match');
    expect(refused.length / questions.length).toBeGreaterThanOrEqual(0.85);
  });
});
