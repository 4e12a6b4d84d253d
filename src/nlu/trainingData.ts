/** What a recogniser learns from: the intents' examples and the synonyms that normalise them. */
export interface TrainingIntent {
  readonly id: string;
  readonly examples: readonly string[];
  /**
   * topic: knowledge the bot answers; conversation: small talk and commands; out_of_scope:
   * examples of what the bot does not cover, a real class as nlp.js treats "None".
   */
  readonly kind: 'topic' | 'conversation' | 'out_of_scope';
}

export interface TrainingData {
  readonly intents: readonly TrainingIntent[];
  readonly synonyms: readonly { canonical: string; variants: readonly string[] }[];
  /** Other texts customers are expected to type (walk-through answers): their words are never "corrected". */
  readonly vocabulary?: readonly string[];
  /** English words, which the spelling corrector leaves as typed ("least" is no typo of the topics' "last"). */
  readonly dictionary?: ReadonlySet<string>;
}
