import type { Content, RecognizerSettings } from '../content/types.js';
import { Recognizer } from './recognizer.js';

/** Trains the recogniser on every intent's examples; held-out `tests` stay out of training. */
export const buildRecognizer = (content: Content, settings: RecognizerSettings = content.recognizer): Recognizer =>
  new Recognizer(
    {
      intents: content.intents.map((intent) => ({ id: intent.id, examples: intent.examples, outOfScope: intent.action === 'none' })),
      synonyms: content.synonyms,
    },
    settings,
  );
