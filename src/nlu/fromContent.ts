import type { Content, RecognizerSettings } from '../content/types.js';
import { Recognizer } from './recognizer.js';
import type { TrainingData } from './trainingData.js';

/** The KB as training data; held-out `tests` stay out of it. */
export const trainingDataOf = (content: Content): TrainingData => ({
  intents: content.intents.map((intent) => ({
    id: intent.id,
    examples: intent.examples,
    kind: intent.action === 'none' ? 'out_of_scope' : intent.action ? 'conversation' : 'topic',
  })),
  synonyms: content.synonyms,
});

export const buildRecognizer = (content: Content, settings: RecognizerSettings = content.recognizer): Recognizer =>
  new Recognizer(trainingDataOf(content), settings);
