import type { SourcePosition } from '../errors.js';
import type { ACTIONS, BotFile } from './schema.js';

export type IntentAction = (typeof ACTIONS)[number];

export interface Intent {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly action?: IntentAction;
  readonly tree?: string;
  readonly followUps: readonly string[];
  readonly examples: readonly string[];
  readonly tests: readonly string[];
  readonly answer: string;
  readonly hoursPerGigabyte?: { readonly from: number; readonly to: number };
  /** Out of scope but near the domain (kb/none_near.yaml): an aside naming it takes a question beside it there too. */
  readonly nearDomain?: true;
  /** Never the answer to a restore told as running for hours ("its been 15 hrs already"): its answer is to erase the device. */
  readonly notWhileRestoring?: true;
  /** The answer while a restore is running ("should i erase it" halfway through): what holds then, never a step that erases. */
  readonly whileRestoring?: string;
  /** About a restore that is running: right after its answer, answers with a `whileRestoring` give that one. */
  readonly underway?: true;
  /** About the device's free space ("3.2 GB available and the backup is 14 GB" is worked out after its answer and at its steps). */
  readonly freeSpace?: true;
  readonly at: SourcePosition;
}

export interface Synonym {
  readonly canonical: string;
  readonly variants: readonly string[];
}

export interface RecognizerSettings {
  readonly threshold: number;
  readonly ambiguityMargin: number;
  readonly suggestions: number;
  /** Platt scaling of the raw score into the probability that the top intent is right (fitted by `npm run eval`). */
  readonly calibration?: { readonly slope: number; readonly intercept: number };
}

export interface DialogChoice {
  readonly label: string;
  readonly means?: 'yes' | 'no';
  readonly examples: readonly string[];
  readonly next: string;
}

/** How a step reads a time and a size: against this rate, as the choice `within` or `beyond` (labels). */
export interface ElapsedCheck {
  readonly hoursPerGigabyte: { readonly from: number; readonly to: number };
  readonly within: string;
  readonly beyond: string;
}

export interface AgeCheck {
  readonly days: number;
  readonly within: string;
  readonly beyond: string;
}

export interface DialogNode {
  readonly id: string;
  readonly say: string;
  readonly title?: string;
  readonly source: string;
  readonly answer?: string;
  readonly about: readonly string[];
  readonly elapsed?: ElapsedCheck;
  readonly age?: AgeCheck;
  readonly choices?: readonly DialogChoice[];
  readonly toldUpFront?: true;
  readonly next?: string;
  readonly end?: true;
  readonly handoff?: true;
  readonly at: SourcePosition;
}

/** Content that cites where its facts come from, and where it is written. */
export interface SourcePositioned {
  readonly source: string;
  readonly at: SourcePosition;
}

export interface DialogTree {
  readonly id: string;
  readonly title: string;
  readonly start: string;
  /** About a restore that is running: answers with a `whileRestoring` give that one inside it. */
  readonly underway?: true;
  readonly nodes: Readonly<Record<string, DialogNode>>;
  readonly at: SourcePosition;
}

export type BotPhrases = BotFile['bot'];
type YesNoExamples = BotFile['answers'];

/** Everything the bot knows, loaded and checked once at start-up, then frozen. */
export interface Content {
  readonly intents: readonly Intent[];
  readonly intentById: ReadonlyMap<string, Intent>;
  readonly trees: ReadonlyMap<string, DialogTree>;
  readonly synonyms: readonly Synonym[];
  readonly recognizer: RecognizerSettings;
  readonly phrases: Readonly<BotPhrases>;
  readonly answers: Readonly<YesNoExamples>;
}
