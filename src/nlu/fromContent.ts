import { englishWords } from '../content/englishWords.js';
import type { Content, RecognizerSettings } from '../content/types.js';
import { MoodReader } from './mood.js';
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
  vocabulary: [...choiceTextsOf(content), ...Object.values(content.answers).flat()],
  dictionary: englishWords(),
});

/** The walk-throughs' answers as customers may type them: every choice's label and examples. */
export const choiceTextsOf = (content: Content): string[] =>
  [...content.trees.values()].flatMap((tree) => Object.values(tree.nodes).flatMap((node) => (node.choices ?? []).flatMap((choice) => [choice.label, ...choice.examples])));

export const buildRecognizer = (content: Content, settings: RecognizerSettings = content.recognizer): Recognizer =>
  new Recognizer(trainingDataOf(content), settings);

/** Words the topics and the walk-throughs' answers use name the problem, so they never count as mood. */
export const buildMoodReader = (content: Content): MoodReader =>
  new MoodReader([...content.intents.filter((intent) => !intent.action).flatMap((intent) => intent.examples), ...choiceTextsOf(content)]);
