import type { Content, DialogChoice } from '../content/types.js';
import type { DialogEngine, TreeState } from '../dialogs/engine.js';
import type { ChoiceReading } from '../nlu/choiceReader.js';
import type { Recognition } from '../nlu/recognizer.js';
import { IN_PLACE_BEFORE, STILL_FAILING } from './messageShape.js';

/**
 * How close a typed message must be to a choice's examples to count as that answer. A sure reading
 * wins over any topic the message also mentions; a loose one only when no other topic is clearly
 * meant. Chosen on our transcripts and tests: paraphrases of an answer score 0.3-0.7, side
 * questions and small talk under 0.2.
 */
export const SURE_READING = 0.3;
export const LOOSE_READING = 0.22;
/** A message put as a question (QUESTION) asks rather than answers: it is an answer only this close to one. */
export const SURE_READING_OF_A_QUESTION = 0.5;
/** How close a message must be to count surely as an answer, by whether it is put as a question. */
export const sureReading = (asking: boolean): number => (asking ? SURE_READING_OF_A_QUESTION : SURE_READING);
/** A reading this close to the runner-up choice is a guess between two answers, not an answer. */
export const READING_MARGIN = 0.08;

/**
 * A loose reading, or one the message's opening yes or no agrees with: in "nah the wifi at my place
 * is super fast" the words the step does not know ("place", "super") sink the score, not the answer.
 */
export const readsLoosely = (reading: ChoiceReading): boolean => reading.score >= LOOSE_READING || reading.opensAlike;

/** A reading that decides: clear of the runner-up, or, between two close answers, the one an opening yes or no agrees with ("no, been at home all week"). */
export const decisive = (reading: ChoiceReading | null): ChoiceReading | null => (reading && (reading.margin >= READING_MARGIN || reading.opensAlike) ? reading : null);

/** What reading a message at a step needs: the walk-throughs and the choice reader. */
export interface StepReader {
  readonly engine: DialogEngine;
  readonly readChoice: (choices: readonly DialogChoice[], text: string) => ChoiceReading | null;
}

/** What reading a message inside a walk-through needs: the content, the tree engine, the recogniser and the choice reader. */
export interface ReadingDeps extends StepReader {
  readonly content: Content;
  readonly recognize: (text: string) => Recognition;
  /** Whether a typed message only says the open step was done, not how it went (src/nlu/choiceReader.ts). */
  readonly reportsDoing: (choices: readonly DialogChoice[], text: string) => boolean;
}

/**
 * A message read as an answer to the step open in `tree`, when the reading decides. Read as "that
 * fixed it", a message that says the restore still fails ("cleared out 20 gigs and it still cant
 * restore") is the step's "no": the words of the fix it tells of are the yes example's words.
 */
export const readAt = ({ engine, readChoice }: StepReader, tree: TreeState, text: string): ChoiceReading | null => {
  const choices = engine.choicesAt(tree);
  const reading = decisive(readChoice(choices, text));
  if (!reading || choices[reading.index]?.means !== 'yes' || !STILL_FAILING.test(text) || !engine.yesCloses(tree)) return reading;
  const no = choices.findIndex((choice) => choice.means === 'no');
  return no < 0 ? null : { ...reading, index: no, plain: true };
};

/**
 * "On wifi yes", "yep on wifi and charging" at the other-backups step: a yes heard only in the yes the
 * message opens or closes with, beside words this step does not know, agrees with those words; it
 * is no "yes, that fixed it" at a step whose yes closes the walk-through.
 */
export const agreesOnly = (reader: StepReader, tree: TreeState, reading: ChoiceReading | null): boolean =>
  reading !== null && reading.opensAlike && closesBesideOtherWords(reader, tree, reading);

/**
 * A yes that would close the walk-through, heard beside words this step does not know: in a message of
 * several answers ("my wifi is fine and its on the charger" at the other-backups step) its "fine" is how
 * another step went, never the fix.
 */
export const closesBesideOtherWords = ({ engine }: StepReader, tree: TreeState, reading: ChoiceReading | null): boolean =>
  reading !== null && reading.offStep.length > 0 && engine.choicesAt(tree)[reading.index]?.means === 'yes' && engine.yesCloses(tree);

/** The first of a message's parts read surely as an answer to the step open in `tree`, if any. */
export const sureAnswerAmong = (reader: StepReader, tree: TreeState, parts: readonly string[]): ChoiceReading | undefined =>
  parts.map((part) => readAt(reader, tree, part)).find((reading): reading is ChoiceReading => reading !== null && reading.score >= SURE_READING);

/** A message's reading at the step open in `tree`, when it is surely the step's "no". */
const sureNoAt = (reader: StepReader, tree: TreeState, text: string): ChoiceReading | null => {
  const reading = readAt(reader, tree, text);
  return reading && reading.score >= SURE_READING && reader.engine.choicesAt(tree)[reading.index]?.means === 'no' ? reading : null;
};

/** "It failed again", "no luck": a message read surely as the step's "no", the problem still there. */
export const readsNoAt = (reader: StepReader, tree: TreeState, text: string): boolean => sureNoAt(reader, tree, text) !== null;

/** "Tried all three backups": surely the step's "no" in the words of that answer, not only a plain "no". */
export const readsOwnNoAt = (reader: StepReader, tree: TreeState, text: string): boolean => sureNoAt(reader, tree, text)?.plain === false;

/** A step that has the device put on a power source and Wi-Fi to stop alerts. */
const POWER_AGAINST_ALERTS = /\bpower source\b[\s\S]*\balerts?\b/i;

/**
 * "its plugged in and on wifi already" at a step that has the device put on power and Wi-Fi to stop
 * alerts: the fix was in place all along, so the problem the walk-through began with (`begun`) still
 * stands. Its answer: what that first message surely says at this step, other than a yes ("half my
 * apps are missing": content still missing), else the step's "no"; undefined when nothing was in place.
 */
export const answerOfFixInPlace = (reader: StepReader, tree: TreeState, text: string, begun: string | undefined): number | undefined => {
  const { engine } = reader;
  if (!engine.yesCloses(tree) || !IN_PLACE_BEFORE.test(text) || !engine.resume(tree).messages.some((message) => POWER_AGAINST_ALERTS.test(message.text))) return undefined;
  const choices = engine.choicesAt(tree);
  const first = begun ? readAt(reader, tree, begun) : null;
  if (first && first.score >= SURE_READING && choices[first.index]?.means !== 'yes') return first.index;
  const no = choices.findIndex((choice) => choice.means === 'no');
  return no < 0 ? undefined : no;
};
