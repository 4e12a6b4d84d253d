import type { Content, DialogChoice } from '../content/types.js';
import { TextAnalyzer } from './analyzer.js';
import { normalize, STOPWORDS, Vectorizer } from './features.js';
import { asOneWord, stem } from './normalize.js';
import { choiceTextsOf, trainingDataOf } from './fromContent.js';
import { DEFAULT_TUNING } from './recognizer.js';

/** Weight of the nearest example against the centroid, as in the recogniser's similarity score. */
const NEAREST_WEIGHT = 0.5;

/**
 * How close, against the whole message, the words after an opening yes or no must read to a
 * particular answer to be that answer: a bare "yes" matches a yes label almost word for word, so
 * the whole message's score is inflated by it ("yes it is full": 0.73 for "Yes, that was it",
 * 0.65 for "it is full" as "My device is full").
 */
const PARTICULAR_SHARE = 0.75;

/** Weight, in a message, of a word the examples of more than one of the open choices use. */
const SHARED_WORD_WEIGHT = 0.3;

/**
 * The shared yes or no examples speak of the restore in general ("it worked"); a choice's own
 * examples speak of this step's subject ("wifi works"). A message that names the subject (a word
 * several of the step's answers use) leans to the step's own answers: at the Wi-Fi step "the wifi
 * is working perfectly" is the Wi-Fi answer, not a fixed restore, while "it works now" stays a yes.
 */
const SHARED_GROUP_WEIGHT = 0.9;

/** How a free-typed message reads as an answer to the open question of a walk-through. */
export interface ChoiceReading {
  readonly index: number;
  /** Cosine similarity to the nearest example of the chosen answer (0-1). */
  readonly score: number;
  /** How far ahead of the best example of any other answer it is. */
  readonly margin: number;
  readonly nearestExample: string;
  /** The message's known words (stems) that no answer of this step uses. */
  readonly offStep: readonly string[];
  /** The message's only words that the step's answers use are negations: "wont open" shares nothing with "it still won't finish" but its "will not". */
  readonly onlyNegation: boolean;
  /** The message opens with a plain yes or no ("nah, the wifi's fast") that the chosen answer means, and the runner-up does not. */
  readonly opensAlike: boolean;
  /** Read only as a plain yes or no (the shared examples, "y", "it did"): it says nothing of the step's subject. */
  readonly plain: boolean;
}

/**
 * Reads a typed answer against the examples of each choice (its label, its own `examples`, and the
 * shared yes or no examples when it `means` one), with the recogniser's analyzer (spelling,
 * synonyms, stems) and TF-IDF over stems, negated ones marked ("wifi fine" vs "wifi not !work").
 * Weights come from every example the bot knows, so words common everywhere ("restore",
 * "iphone") count for little.
 */
export class ChoiceReader {
  private readonly analyzer: TextAnalyzer;
  private readonly vectorizer: Vectorizer;
  private readonly yes: readonly string[];
  private readonly no: readonly string[];
  /** The one-word yes and no answers ("yep", "nah"), which may open a longer answer. */
  private readonly openers: ReadonlyMap<string, 'yes' | 'no'>;
  /** Example vectors per text: trees share many examples, and examples never change. */
  private readonly vectors = new Map<string, Map<string, number>>();
  private readonly sharedByChoices = new WeakMap<readonly DialogChoice[], ReadonlySet<string>>();
  private readonly wordsByChoices = new WeakMap<readonly DialogChoice[], ReadonlySet<string>>();
  /** Centroids per list of examples, keyed by the list itself (the content is frozen). */
  private readonly centroids = new Map<readonly string[], Map<string, number>>();
  /** The stems of each step's text, asked for at every question inside a walk-through; one entry per step of the frozen content. */
  private readonly stepStems = new Map<string, ReadonlySet<string>>();

  constructor(content: Content) {
    const data = trainingDataOf(content);
    this.analyzer = new TextAnalyzer(data);
    this.yes = content.answers.yes;
    this.no = content.answers.no;
    const oneWord = (answers: readonly string[], means: 'yes' | 'no') => answers.filter((answer) => !/\s/.test(answer)).map((answer) => [asOneWord(answer), means] as const);
    this.openers = new Map([...oneWord(this.yes, 'yes'), ...oneWord(this.no, 'no')]);
    const documents = [...data.intents.flatMap((intent) => intent.examples), ...choiceTextsOf(content), ...this.yes, ...this.no];
    // Word features only: character n-grams make "restoring now" look like "restore never".
    this.vectorizer = new Vectorizer(documents.map((text) => this.features(text, false)), { ...DEFAULT_TUNING, charNgrams: [] });
  }

  /** The best-fitting choice, or null when the message shares nothing with any choice's examples. */
  read(choices: readonly DialogChoice[], text: string): ChoiceReading | null {
    const analysis = this.analyze(text);
    // A negation covers only its own clause: in "nothing on it, tons of room" the room is not denied.
    const clauses = text.split(CLAUSE_END).filter((part) => /\w/.test(part));
    const said = this.vectorizer.vectorize(clauses.length > 1 ? clauses.flatMap((part) => answerFeatures(this.analyze(part).stems)) : answerFeatures(analysis.stems));
    const subjectWords = this.sharedWordsOf(choices);
    const query = damped(new Map(said), subjectWords);
    const aboutSubject = [...said.keys()].some((feature) => subjectWords.has(feature));
    if (query.size === 0) return this.echoedYes(choices, analysis.tokens) ?? this.bareYesOrNo(choices, text);
    // Words no example knows ("grand", "smashing") cannot be read, so they lower the score instead
    // of vanishing and leaving one known word to decide; by the square root of the known share, as
    // fillers ("hmm", "lol") are unknown too and must not sink a clear answer. Hedges and figures
    // ("basically", "128gb") never tell one answer from another, so they do not count at all.
    const informative = analysis.stems.filter((stemmed, index) => this.vectorizer.idfOf(stemmed) !== undefined || !uninformative(analysis.tokens[index] ?? '', stemmed));
    const known = informative.filter((stemmed) => this.vectorizer.idfOf(stemmed) !== undefined).length;
    const coverage = informative.length === 0 ? 0 : Math.sqrt(known / informative.length);
    const best = choices.map((choice) => { const match = this.bestOf(query, said, choice, aboutSubject); return { ...match, score: match.score * coverage }; });
    const ranked = best.map((match, index) => ({ ...match, index })).sort((a, b) => b.score - a.score);
    const [first, second] = ranked;
    if (!first || first.score === 0) return null;
    if (this.unsureBeside(said, choices[first.index])) return this.besideDoubt(choices, clauses);
    const stepWords = this.wordsOf(choices);
    const offStep = [...said.keys()].filter((feature) => !stepWords.has(feature));
    const onlyNegation = [...said.keys()].filter((feature) => stepWords.has(feature)).every((feature) => NEGATIONS.has(feature) || MODALS.has(feature));
    const opening = this.openingOf(text);
    // "Yeah it's full" at the storage step, "yes connected to wifi obviously" at the Wi-Fi step: the
    // words beside the yes name a particular answer (the device is full, the Wi-Fi is fine), which
    // the yes only agrees with; it is no "yes, that fixed it". A no is never turned into a yes
    // ("no, been at home all week" is not travelling for its "week").
    const rest = opening && this.read(choices, opening.rest);
    const restMeans = rest ? choices[rest.index]?.means : undefined;
    const agrees = restMeans === undefined || (opening?.means === 'yes' && restMeans === 'no');
    if (rest && !rest.plain && agrees && rest.score >= PARTICULAR_SHARE * first.score) return rest;
    const opensAlike = opening !== undefined && choices[first.index]?.means === opening.means && (second === undefined || choices[second.index]?.means !== opening.means);
    return { index: first.index, score: first.score, margin: first.score - (second?.score ?? 0), nearestExample: first.example, offStep, onlyNegation, opensAlike, plain: first.plain };
  }

  /**
   * "Not sure if the wifi is fine", "no idea if it finished": a customer who says they do not know
   * has not answered, unless not knowing is the answer ("No / not sure").
   */
  private unsureBeside(said: ReadonlyMap<string, number>, choice: DialogChoice | undefined): boolean {
    if (!choice || ![...said.keys()].some(uncertain)) return false;
    return ![choice.label, ...choice.examples].some((example) => [...this.vectorOf(example).keys()].some(uncertain));
  }

  /**
   * "hm idk maybe? i have like 2 apple ids": a doubt said in a clause of its own, with nothing else in
   * it, leaves the other clauses to answer. A doubt about something ("not sure the wifi is fine") is no answer.
   */
  private besideDoubt(choices: readonly DialogChoice[], clauses: readonly string[]): ChoiceReading | null {
    const stems = clauses.map((clause) => this.analyze(clause).stems);
    const doubting = stems.map((said) => answerFeatures(said).some(uncertain));
    // Short, too: "i dont remember what it said exactly" is all function words, and about the alert.
    const bare = stems.every((said, index) => !doubting[index] || (said.length <= BARE_DOUBT_WORDS && said.every((stemmed) => FUNCTION_STEMS.has(stemmed) || DOUBTING.has(stemmed))));
    const rest = clauses.filter((_, index) => !doubting[index]);
    return bare && rest.length > 0 && rest.length < clauses.length ? this.read(choices, rest.join(', ')) : null;
  }

  /**
   * The yes or no a message opens with, when a new clause follows it: "nah, the wifi's fast", "yes it
   * has been on the charger". Not "no wifi where I am" or "no backups", where "no" belongs to a noun.
   * Or the yes it ends with, after a clause: "on wifi yea", "its connected yes".
   */
  private openingOf(text: string): { means: 'yes' | 'no'; rest: string } | undefined {
    const closing = CLOSING_YES.exec(text.toLowerCase());
    if (closing) return { means: 'yes', rest: text.slice(0, closing.index) };
    const opening = OPENING.exec(text.toLowerCase());
    const means = opening?.[1] === undefined ? undefined : this.openers.get(opening[1]);
    // A yes never belongs to the noun after it, as "no" does in "no wifi": "yes connected" opens an answer.
    if (!opening || !means || (means === 'no' && opening[2] !== undefined && !STOPWORDS.has(opening[2]))) return undefined;
    return { means, rest: text.slice(opening[0].length - (opening[2]?.length ?? 0)) };
  }

  /**
   * "It did", "it does": the question's own verb echoed, a yes made only of function words, which
   * no example can be compared with. "It didn't" carries its "not" and is read like any answer.
   */
  private echoedYes(choices: readonly DialogChoice[], tokens: readonly string[]): ChoiceReading | null {
    const index = choices.findIndex((choice) => choice.means === 'yes');
    return index < 0 || !ECHOED_YES.test(tokens.join(' ')) ? null : outright(index, tokens.join(' '));
  }

  /**
   * "y", "n", "👍": a one-word yes or no the analyzer drops (single letters and emoji carry no
   * features), read as the one choice that means it.
   */
  private bareYesOrNo(choices: readonly DialogChoice[], text: string): ChoiceReading | null {
    const means = this.openers.get(asOneWord(text));
    const meaning = choices.filter((choice) => means !== undefined && choice.means === means);
    const index = meaning.length === 1 && meaning[0] ? choices.indexOf(meaning[0]) : -1;
    return index < 0 ? null : outright(index, text);
  }

  /**
   * "No", "nope, I'm good", "yes please", "ok": a message that is only a yes or a no (an
   * acknowledgement counts as a yes), with at most a courtesy after it. Outside a walk-through it
   * answers what the bot last asked ("anything else?", "shall we carry on?"), and read as a question
   * "no" was the no-backups topic. "No luck" and "no good" say how something went, so they are no bare no.
   */
  bareAnswer(text: string): 'yes' | 'no' | undefined {
    if (BARE_EMOJI.test(text.trim())) return this.openers.get(asOneWord(text));
    const said = text.toLowerCase().replace(ELONGATED, '$1$1').replace(/['\u2019]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (ACKNOWLEDGEMENTS.test(said)) return 'yes';
    const [first = '', ...rest] = said.split(' ');
    const means = this.openers.get(first) ?? (ACKNOWLEDGING_WORDS.has(first) ? 'yes' : undefined);
    if (!means) return undefined;
    return (means === 'yes' ? AFTER_YES : AFTER_NO).test(rest.join(' ')) ? means : undefined;
  }

  /**
   * "Ok", "ok thx", "alright got it", "k will do": an acknowledgement with at most thanks after it,
   * no "yes" (which answers a question) and no word of an answer ("fine" is a Wi-Fi found fine).
   */
  acknowledges(text: string): boolean {
    const said = text.toLowerCase().replace(ELONGATED, '$1$1').replace(/['\u2019]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (ACKNOWLEDGEMENTS.test(said)) return true;
    const [first = '', ...rest] = said.split(' ');
    // "Yes got it", "yeah will do": the yes agrees to what was said, and answers no question.
    if (this.openers.get(first) === 'yes' && TAKEN_IN.test(rest.join(' '))) return true;
    return ACKNOWLEDGING_ONLY.has(first) && AFTER_ACKNOWLEDGING.test(rest.join(' '));
  }

  /**
   * Whether the message only says the step was done ("done that", "yep, restarted it", "ok did it"):
   * every word is a yes, a word of doing, a function word or the step's subject, and one says it was
   * done. Such a message tells nothing of how it went; "already done that" and "did it, no change"
   * say more and are read as answers.
   */
  reportsDoing(choices: readonly DialogChoice[], text: string): boolean {
    const { tokens, stems } = this.analyze(text);
    const subject = this.sharedWordsOf(choices);
    let done = false;
    for (const [index, stemmed] of stems.entries()) {
      const token = tokens[index] ?? stemmed;
      // "That did it" says the fix worked: only a doing word the customer is the subject of counts.
      // "I'm so done with this phone" has had enough of it.
      const byTheFix = FIX_SUBJECTS.has(tokens[index - 1] ?? '');
      const fedUp = token === 'done' && tokens[index + 1] === 'with';
      // "Yep both", "yes to both": the step's things to do, counted, are said done.
      const counted = token === 'both' || (token === 'all' && COUNTED_AFTER_ALL.has(tokens[index + 1] ?? ''));
      if ((DOING.has(token) && !byTheFix && !fedUp) || counted || (subject.has(stemmed) && token.endsWith('ed'))) done = true;
      else if (!(BESIDE_DOING.has(token) || this.openers.get(token) === 'yes' || subject.has(stemmed) || (FUNCTION_STEMS.has(stemmed) && !NEGATIONS.has(stemmed)))) return false;
    }
    return done;
  }

  /**
   * Whether the words of the message that say something occur in `step`, the open step's text:
   * "where is that setting on iOS 7?" asks about the step that gave the iOS 7 path, however surely
   * "iOS" names the update topic. All of them, or all but one beside at least two that do.
   */
  asksAbout(step: string, text: string): boolean {
    const words = new Set(this.analyze(text).stems.filter((stemmed) => !FUNCTION_STEMS.has(stemmed) && !ASKING_WORDS.has(stemmed)));
    const said = this.stemsOfStep(step);
    const outside = [...words].filter((stemmed) => !said.has(stemmed)).length;
    // One word of its own ("where is Manage Storage on newer iOS?") beside two of the step's still asks about the step.
    return words.size > 0 && (outside === 0 || (outside === 1 && words.size - outside >= 2));
  }

  /**
   * Whether a statement tells only of things the step's text names ("it's a macbook", "it's an ipad
   * with the home button"): every word that says something is in it, the device and its model
   * number aside. Stricter than `asksAbout`, as a statement asks nothing to be explained.
   */
  tellsAbout(step: string, text: string): boolean {
    const words = new Set(this.analyze(text).stems.filter((stemmed) => !FUNCTION_STEMS.has(stemmed) && !DEVICE_WORDS.has(stemmed) && !/\d/.test(stemmed)));
    const said = this.stemsOfStep(step);
    return words.size > 0 && [...words].every((stemmed) => said.has(stemmed));
  }

  /**
   * The lines of an earlier answer that hold what a follow-up question asks ("where is that exactly
   * in settings?" after an answer naming Settings > iCloud > Backup), when `asksAbout` that answer;
   * else none.
   */
  linesAsked(answer: string, text: string): string[] {
    if (!this.asksAbout(answer, text)) return [];
    const words = new Set(this.analyze(text).stems);
    const lines = linesOf(answer);
    const asked = lines.map((line) => this.analyzer.analyze(line, false).stems.some((stemmed) => words.has(stemmed) && !FUNCTION_STEMS.has(stemmed) && !DEVICE_WORDS.has(stemmed)));
    // A heading asked about ("where do i check" and "**Where to find your iCloud backups**") names
    // its part of the answer: the lines under it, not lines elsewhere that share a word with the question.
    const headings = lines.flatMap((line, index) => (asked[index] && HEADING.test(line) ? [index] : []));
    if (headings.length > 0) return headings.flatMap((index) => sectionOf(lines, index));
    return lines.filter((_, index) => asked[index]);
  }

  /**
   * The lines of an earlier answer that fit the case a customer tells in its words ("i dont have the
   * icloud photo library beta on" after an answer telling the setting on and off): those sharing the
   * most of the message's words, at least two, and not every line. A setting denied "on" is "off".
   */
  linesTold(answer: string, text: string): string[] {
    const told = new Set(this.analyze(text.replace(DENIED_ON, '$1off')).stems.filter((stemmed) => !FUNCTION_STEMS.has(stemmed) && !DEVICE_WORDS.has(stemmed)));
    const lines = linesOf(answer);
    const shared = lines.map((line) => new Set(this.analyzer.analyze(line, false).stems.filter((stemmed) => told.has(stemmed))).size);
    const most = Math.max(0, ...shared);
    const fitting = lines.filter((_, index) => shared[index] === most);
    return most >= MIN_SHARED_WITH_CASE && fitting.length < lines.length ? fitting : [];
  }

  private stemsOfStep(step: string): ReadonlySet<string> {
    let stems = this.stepStems.get(step);
    if (!stems) {
      stems = new Set(this.analyzer.analyze(step, false).stems);
      this.stepStems.set(step, stems);
    }
    return stems;
  }

  /** Every word the answers of these choices use: their labels, examples and shared yes or no examples. */
  private wordsOf(choices: readonly DialogChoice[]): ReadonlySet<string> {
    let words = this.wordsByChoices.get(choices);
    if (!words) {
      const examples = choices.flatMap((choice) => [choice.label, ...choice.examples, ...this.sharedOf(choice)]);
      words = new Set(examples.flatMap((example) => [...this.vectorOf(example).keys()]));
      this.wordsByChoices.set(choices, words);
    }
    return words;
  }

  /**
   * Half the nearest example, half the centroid of the choice's examples: the nearest alone lets one
   * rare word ("really") pull a message to the wrong answer; the centroid carries what the examples
   * share ("fine", "good", "works"). The choice's own examples and the shared yes or no ones are
   * separate groups, so a long shared list does not drown a question's particular answers.
   */
  private bestOf(query: ReadonlyMap<string, number>, said: ReadonlyMap<string, number>, choice: DialogChoice, aboutSubject: boolean): { score: number; example: string; plain: boolean } {
    const shared = this.sharedOf(choice);
    const own = choice.examples.length > 0 ? [choice.label, ...choice.examples] : [choice.label];
    let best = { score: 0, example: '', plain: false };
    for (const group of shared.length > 0 ? [own, shared] : [own]) {
      const nearest = this.nearest(query, group);
      const centroid = this.centroidOf(group);
      const score = NEAREST_WEIGHT * nearest.score + (1 - NEAREST_WEIGHT) * cosine(query, centroid);
      // A plain yes or no says nothing about the step's subject: "internet works" shares "works"
      // with "it worked", but its "internet" belongs to an answer of this question, so the shared
      // group counts only as far as its words reach into the message, undamped.
      const reach = group === shared ? (aboutSubject ? SHARED_GROUP_WEIGHT : 1) * Math.sqrt([...said].reduce((sum, [feature, weight]) => sum + (centroid.has(feature) ? weight * weight : 0), 0)) : 1;
      if (score * reach > best.score) best = { score: score * reach, example: nearest.example, plain: group === shared };
    }
    return best;
  }

  /** The shared yes or no examples a choice that `means` one answers to. */
  private sharedOf(choice: DialogChoice): readonly string[] {
    return choice.means === 'yes' ? this.yes : choice.means === 'no' ? this.no : [];
  }

  private centroidOf(group: readonly string[]): Map<string, number> {
    let centroid = this.centroids.get(group);
    if (!centroid) {
      centroid = new Map<string, number>();
      for (const example of group) for (const [feature, weight] of this.vectorOf(example)) centroid.set(feature, (centroid.get(feature) ?? 0) + weight);
      centroid = normalize(centroid);
      this.centroids.set(group, centroid);
    }
    return centroid;
  }

  private nearest(query: ReadonlyMap<string, number>, examples: readonly string[]): { score: number; example: string } {
    let best = { score: 0, example: '' };
    for (const example of examples) {
      const score = cosine(query, this.vectorOf(example));
      if (score > best.score) best = { score, example };
    }
    return best;
  }

  private vectorOf(example: string): Map<string, number> {
    let vector = this.vectors.get(example);
    if (!vector) {
      vector = this.vectorizer.vectorize(this.features(example, false));
      this.vectors.set(example, vector);
    }
    return vector;
  }

  /**
   * Words the examples of several of these choices use ("space" in "freeing up space fixed it" and
   * in "plenty of free space"): the step's subject, which cannot tell its answers apart.
   */
  private sharedWordsOf(choices: readonly DialogChoice[]): ReadonlySet<string> {
    let shared = this.sharedByChoices.get(choices);
    if (!shared) {
      const owners = new Map<string, number>();
      for (const choice of choices) {
        const features = new Set([choice.label, ...choice.examples].flatMap((example) => [...this.vectorOf(example).keys()]));
        for (const feature of features) owners.set(feature, (owners.get(feature) ?? 0) + 1);
      }
      shared = new Set([...owners].filter(([, count]) => count > 1).map(([feature]) => feature));
      this.sharedByChoices.set(choices, shared);
    }
    return shared;
  }

  /**
   * The message's stems, spelling corrected only where the uncorrected word is unknown here: the
   * recogniser corrects towards topic words, which turns an answer's "fine" into "find".
   */
  private analyze(typed: string): { tokens: readonly string[]; stems: readonly string[] } {
    const text = withoutDescribingYes(typed).replace(RAISED_NEGATION, '$1$2 not').replace(CANNOT, 'can not').replace(ROUGHLY, '$1').replace(AMOUNT, '$1 $2').replace(ELONGATED, '$1$1').replace(NO_MORE, 'nomore').replace(NONE_DOES, '$1 not $2').replace(NEVER_MIND, ' ');
    const raw = this.analyzer.analyze(text, false);
    const corrected = this.analyzer.analyze(text, true);
    if (raw.stems.length !== corrected.stems.length) return raw;
    const stems = raw.stems.map((stemmed, index) => (this.vectorizer.idfOf(stemmed) !== undefined ? stemmed : (corrected.stems[index] ?? stemmed)));
    return { tokens: raw.tokens, stems };
  }

  private features(text: string, correct: boolean): string[] {
    return answerFeatures(this.analyzer.analyze(withoutDescribingYes(text).replace(NO_MORE, 'nomore').replace(NONE_DOES, '$1 not $2'), correct).stems);
  }
}

/** A plain yes or no no example can be compared with ("it did", "y"), read as the choice that means it. */
const outright = (index: number, said: string): ChoiceReading => ({ index, score: 1, margin: 1, nearestExample: said, offStep: [], onlyNegation: false, opensAlike: false, plain: true });

const YES_WORDS = ['yes', 'yeah', 'yep', 'yup', 'ya', 'yea'];
/** A first word, then punctuation or the next word. */
const OPENING = /^\s*([a-z]+)(?:\s*[,.!;:-]+|\s+([a-z]+))/;
/** A yes after at least two words of a clause: "on wifi yea", not "oh yes" nor "not sure". */
const CLOSING_YES = /(?<=\S+\s+\S+)[\s,.;:-]+(?:yes|yeah|yea|yeh|yep|yup|ya)[\s.!]*$/;
const ECHOED_YES = new RegExp(`^(?:(?:${YES_WORDS.join('|')}) )?(?:it|that|this|they) (?:did|does|do|has|have|is|was|were)$`);

/** Acknowledgements, which say yes to "shall we carry on?" and nothing about how a step went. */
const ACKNOWLEDGING_WORDS: ReadonlySet<string> = new Set(['ok', 'okay', 'okey', 'k', 'kk', 'alright', 'cool', 'right', 'fine', 'gotcha', 'understood']);
const ACKNOWLEDGEMENTS = /^(?:(?:ok|okay|ah|oh|right)\s+)?(?:got it|i see|all right|sounds good|fair enough|good to know|noted|(?:that |it )?makes sense)(?:\s+(?:ok|okay|thanks|thank you|thx|cheers))?$/;
/** Acknowledging words that are no answer of any step's ("fine", "right" are: the Wi-Fi is fine, the right account). */
const ACKNOWLEDGING_ONLY: ReadonlySet<string> = new Set(['ok', 'okay', 'okey', 'k', 'kk', 'alright', 'cool', 'gotcha', 'understood']);
/** What says only that something was taken in or will be done: "got it", "i got it", "understood", "will do". */
const TAKEN_IN = /^(?:i )?(?:got it|get it|understood|understand|see|will do|noted|gotcha)(?: (?:thanks|thank you|thx|ty|cheers))?$/;
/** What may follow an acknowledgement and add nothing: "ok thx", "alright got it, will do". */
const AFTER_ACKNOWLEDGING = /^(?:(?:thanks|thank you|thx|thanx|ty|tnx|cheers|got it|will do|sure|cool|great|then)(?:\s+|$))*$/;
/** What may follow a bare yes and add nothing: "yes please", "yeah sure", "yep go on". */
const AFTER_YES = /^(?:(?:yes|yeah|yep|yup|sure|ok|okay|then|cool|please|pls|plz|go on|go ahead|lets go|lets do it|why not)(?:\s+|$))*$/;
/** What may follow a bare no and add nothing: "no thanks", "nope I'm good", "nah that's all". */
const AFTER_NO = /^(?:(?:no|nope|nah|thanks|thank you|thx|ty|im good|im fine|im ok|im okay|im all good|all good|thats all|thats it|thats everything|im done|i am good|i am fine|not now|not right now|maybe later)(?:\s+|$))*$/;
/** A thumbs up or down sent alone. */
const BARE_EMOJI = /^\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]*$/u;

/**
 * Words that say a step was done, whatever came of it; "restarted" and the like are the step's own
 * subject words, but freeing space ("cleared some space", "freed up room") is said in words of its own.
 */
const DOING: ReadonlySet<string> = new Set(['done', 'did', 'tried', 'finished', 'completed', 'cleared', 'freed', 'deleted', 'removed', 'offloaded', 'turned', 'switched', 'powered']);
/** "All of them", "all that": the step's things to do, counted. */
const COUNTED_AFTER_ALL: ReadonlySet<string> = new Set(['of', 'that', 'those', 'these', 'three']);
const FIX_SUBJECTS: ReadonlySet<string> = new Set(['that', 'this', 'it', 'which']);
/** Words beside a doing word that say nothing of how it went, besides a one-word yes: "ok all done", "restarted twice" ("did it again" is the error again). */
const BESIDE_DOING: ReadonlySet<string> = new Set(['ok', 'okay', 'sure', 'alright', 'right', 'all', 'twice', 'times', 'few', 'couple', 'several', 'multiple', 'up', 'some']);

/** Stems that deny the words after them: "isn't working" is not "working", "none of them work" not "work". */
/** Modal verbs, whose "won't", "can't" carry a negation and nothing of a step. */
const MODALS: ReadonlySet<string> = new Set(['will', 'would', 'can', 'could', 'should', 'shall', 'must']);
const NEGATIONS = new Set(['not', 'never', 'without', 'none', 'noth', 'neither', 'nor']);

/** "It cannot restore": one word, which the analyzer keeps whole, so without its "not" it read as "it is restoring now". */
const CANNOT = /\bcannot\b/gi;
/** "Oh wait nvm it just started working": taking back what one was about to say denies nothing after it. */
const NEVER_MIND = /\b(?:never ?mind|nvm|nevermnd)\b/gi;
/** "No more popups" says they stopped: its "no" is no answer, so the two words are read as one. */
const NO_MORE = /\bno (?:more|longer)\b/gi;
/**
 * "No older ones work either", "no update available": "no" before the subject denies its verb ("older
 * ones not work"), in messages and examples alike. Read as the noun's, it left "older ones work", an
 * older backup that worked, and "update available" read as "no update available". Not after "no idea", "no
 * problem" and the like, whose clause goes on to say something else.
 */
const NONE_DOES = /\bno\s+((?:(?!(?:idea|clue|problem|worries|way|matter|doubt|it|that|this|they|i)\b)[a-z]+\s+){1,3}?)(work|works|worked|working|do|does|did|help|helps|helped|fix|fixes|fixed|restore|restores|restored|show|shows|showed|load|loads|loaded|available)\b/gi;
/**
 * "I don't think the wifi is very good": the denial belongs to what follows the verb ("the wifi is
 * not very good"), not to the Wi-Fi, which read as "it's not the wifi" answered "my Wi-Fi is fine".
 * Only when a verb of the clause ("it's" too) follows within a few words and no punctuation: in "I
 * don't think so, the wifi's fine" the customer says something else.
 */
const RAISED_NEGATION = /\b(?:do not|don['\u2019]?t)\s+(?:really\s+)?(?:think|believe|reckon|suppose)\s+(?:that\s+)?(?!so\b)((?:[\w'\u2019-]+\s+){0,4}?)(is|are|was|were|has|have|does|do|did|will|can|could|[a-z]+['\u2019](?:s|re)|its|thats|theyre)(?![\w'\u2019])/gi;
/**
 * Hedges and grades soften an answer without changing it: "it's basically empty", "wifi doesn't
 * really work" (which, with "really" a feature, read no closer to "the wifi isn't working" than
 * "wifi is not the problem" did).
 */
const HEDGES = ['basically', 'literally', 'really', 'exactly', 'pretty', 'totally', 'actually', 'honestly', 'tbh', 'just', 'quite', 'super', 'definitely', 'absolutely', 'kinda', 'mostly', 'practically', 'seriously', 'genuinely', 'completely', 'perhaps', 'probably', 'def', 'defo', 'deffo'];
/** A token that neither counts for nor against a reading when no example knows it; figures ("128gb", "17.5") never tell answers apart. */
const uninformative = (token: string, stemmed: string): boolean => STOPWORDS.has(token) || FUNCTION_STEMS.has(stemmed) || /\d/.test(token);
/**
 * "Right" and "correct" are a yes ("that's right", "correct, it worked") only on their own: before a
 * noun ("its the right id and right backup") they describe it, and read as the shared "that's right"
 * they closed the walk-through as fixed. Followed by a word that is neither a function word nor one
 * that may follow a yes ("right thanks", "right away"), they are dropped.
 */
function withoutDescribingYes(text: string): string {
  return text.replace(DESCRIBING_YES, (whole, next: string) => (STOPWORDS.has(next.toLowerCase()) || AFTER_A_YES.has(next.toLowerCase()) ? whole : next));
}
const DESCRIBING_YES = /\b(?:right|correct)\s+([a-z]+)/gi;
const AFTER_A_YES: ReadonlySet<string> = new Set(['thanks', 'thank', 'thx', 'ty', 'ta', 'cheers', 'ok', 'okay', 'cool', 'yes', 'yeah', 'yep', 'yup', 'sure', 'lol', 'great', 'perfect', 'good', 'away', 'after', 'before', 'next', 'back', 'sorry', 'mate', 'please', 'pls']);

/** "nooo", "yesss": a letter typed three times or more is read as typed twice ("noo" and "yess" are known answers). */
const ELONGATED = /(\p{L})\1{2,}/gu;
/** "2gb free": the figure apart from its unit, which the answers know ("only a few gigabytes left"). */
const AMOUNT = /(\d)(gb|mb|tb|gigs?)\b/gi;
/** "20 something free", "40ish gb": a figure roughly said is still only a figure. */
const ROUGHLY = /(\d)\s*-?(?:something|odd|ish)\b/gi;
/** Punctuation that ends a clause, and with it the reach of a negation; not inside a figure ("1.1gb", "2,000"). */
const CLAUSE_END = /(?<!\d)[,;.!?]+|[,;.!?]+(?!\d)/;
/** How many words after a negation it covers: "not really working" as much as "not working". */
const NEGATION_SCOPE = 2;
/**
 * Saying one does not know closes the negation: in "I don't know what wifi is" the Wi-Fi is not
 * denied, and read as "not the wifi" the message answered "my Wi-Fi is fine".
 */
const UNCERTAINTY: ReadonlySet<string> = new Set(['know', 'sure', 'understand', 'understood', 'idea', 'remember', 'certain'].map(stem));
/** A bare doubt is this many words at most ("hm idk maybe", "honestly not sure"). */
const BARE_DOUBT_WORDS = 4;
/** The words of a bare doubt ("hm idk maybe", "not sure tbh"): the knowing words and what goes with them. */
const DOUBTING: ReadonlySet<string> = new Set([...UNCERTAINTY, 'maybe', 'hm', 'hmm', 'idk', 'dunno', 'no', 'not', 'i', 'do', 'don\'t'].map(stem));
/** A feature saying the customer does not know: a negated knowing word, or "idea" ("no idea", "any idea?"). */
const uncertain = (feature: string): boolean => (feature.startsWith('!') && UNCERTAINTY.has(feature.slice(1))) || feature === stem('idea');

/** The words that make a question one ("where do I find", "is there a way to double check"), which a step's text need not use for a question to be about it. */
const ASKING_WORDS: ReadonlySet<string> = new Set(['what', 'where', 'why', 'how', 'when', 'which', 'who', 'find', 'way', 'double', 'ok', 'okay'].map(stem));

/** The customer's device and its model number ("an iphone 8") name what every step is about, not one step. */
const DEVICE_WORDS: ReadonlySet<string> = new Set(['iphone', 'ipad', 'ipod', 'device', 'phone'].map(stem));

/** An answer's non-empty lines, trimmed. */
const linesOf = (answer: string): string[] => answer.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
/** A line that is only a bold heading ("**Where to find your iCloud backups**"). */
const HEADING = /^\*\*[^*]+\*\*$/;
/** A heading and the lines under it, up to the next heading. */
const sectionOf = (lines: readonly string[], heading: number): string[] => {
  const next = lines.findIndex((line, index) => index > heading && HEADING.test(line));
  return lines.slice(heading, next < 0 ? undefined : next);
};

/** "Don't have it on", "wasn't turned on": the "on" a negation before it in the clause denies. */
const DENIED_ON = /(\b(?:dont|don't|don’t|do not|didnt|didn't|did not|never|not|isnt|isn't|wasnt|wasn't|havent|haven't|have not|hadnt|hadn't|had not)\b[^.,;!?]*?\b)on\b/gi;
/** One shared word ("photos") fits every case of an answer; a case is told in two. */
const MIN_SHARED_WITH_CASE = 2;

/** Words natural lists as stop words that answer here: "got it" (the alert captured), "it's there now", "i can see it" (the backup found). */
const ANSWER_WORDS: ReadonlySet<string> = new Set(['got', 'there', 'see']);

/**
 * Function words ("it", "has", "the") say nothing about which answer is meant; "no", "not", "still" do
 * and stay. "Either" is not in natural's list, yet in "they don't work either" it only adds weight
 * to a word no answer needs, and it made one example outweigh the message's "not work". Nor does a
 * thank-you: through "thanks that fixed it", a bare "thanks" for the step closed it as fixed.
 */
const FUNCTION_STEMS: ReadonlySet<string> = new Set([...STOPWORDS, ...HEDGES, 'either', 'thanks', 'thank'].filter((word) => !ANSWER_WORDS.has(word)).map(stem));

/**
 * Stems, with the ones a negation covers marked ("not work" → not, !work), without function words.
 * Short answers hinge on a word or two, so word pairs ("my wifi") would weigh more than the word
 * that decides ("fine").
 */
/** "50", "17.5": no answer's examples hold a figure, so one would only dilute the words that do tell answers apart. */
const FIGURE = /^\d[\d.,]*$/;

function answerFeatures(stems: readonly string[]): string[] {
  let negated = 0;
  const features: string[] = [];
  for (const stemmed of stems) {
    if (NEGATIONS.has(stemmed)) {
      negated = NEGATION_SCOPE;
      features.push(stemmed);
    } else if (!FUNCTION_STEMS.has(stemmed) && !FIGURE.test(stemmed)) {
      features.push(negated > 0 ? `!${stemmed}` : stemmed);
      negated = UNCERTAINTY.has(stemmed) ? 0 : Math.max(0, negated - 1);
    }
  }
  return features;
}

/** The step's subject words weigh less in the message, so the words that can tell its answers apart ("fixed", "plenty") decide. */
function damped(query: Map<string, number>, subjectWords: ReadonlySet<string>): Map<string, number> {
  for (const [feature, weight] of query) if (subjectWords.has(feature)) query.set(feature, weight * SHARED_WORD_WEIGHT);
  return normalize(query);
}

function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let dot = 0;
  for (const [feature, weight] of a) dot += weight * (b.get(feature) ?? 0);
  return dot;
}
