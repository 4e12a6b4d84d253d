import type { TreeState } from '../dialogs/engine.js';
import { afterTakingBack, CONTRAST, namesOtherAsFine, QUESTION, storyClauses } from './messageShape.js';
import { SMALL_TALK, type Moves } from './moves.js';
import type { Outcome } from './outcome.js';
import type { PartedAnswers } from './partedAnswers.js';
import type { ReadingDeps } from './readings.js';
import { LOOSE_READING, readAt, SURE_READING } from './readings.js';
import type { ConversationState } from './state.js';

/**
 * An answer to the open step that the whole message hides, the rest of it sinking the score or
 * reading as another answer: the end of a story of what was done, or an answer beside words that
 * answer nothing. Each method leaves the message to the next reading (undefined) unless the part
 * read alone surely answers and nothing around it asks or names a topic.
 */
export class StoryAnswers {
  constructor(
    private readonly deps: ReadingDeps,
    private readonly moves: Moves,
    private readonly parts: PartedAnswers,
  ) {}

  /**
   * "Held the buttons, rebooted, tried again and it went through!!! omg": a story of what was done
   * ends with how it went. Read whole, its actions ("rebooted") read as the step's "no" examples
   * ("rebooted already"), so the last clause that reads at all is read alone, and counts when it is
   * surely a yes or no of this step in its own words and no clause before it asks or names a topic
   * other than the step's own (the actions told may read as answers and commands).
   * Clauses after it that surely answer the steps it leads to ("restarted, no change. and its on
   * 17.4 and settings says thats current") answer them too; otherwise they were only more of the story.
   */
  storyOutcome(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const clauses = storyClauses(text);
    if (clauses.length < MIN_STORY_CLAUSES || QUESTION.test(text) || CONTRAST.test(text) || text.length > MAX_PARTED_LENGTH) return undefined;
    const choices = this.deps.engine.choicesAt(tree);
    const last = clauses.findLastIndex((part) => this.deps.readChoice(choices, part) !== null);
    const outcome = clauses[last] ?? '';
    // "Wifi is on and working": a clause of one word shares the subject of the one before it.
    if (last < 1 || outcome.split(/\s+/).length < MIN_PART_WORDS) return undefined;
    const moved = this.answerBeside(state, tree, outcome, clauses.slice(0, last), true);
    const after = clauses.slice(last + 1);
    const further = moved?.state.tree && after.length > 0 ? this.parts.severalAnswers(moved.state, moved.state.tree, after) : undefined;
    return further ? { ...further, events: [...(moved?.events ?? []), ...(further.events ?? [])] } : moved;
  }

  /**
   * An answer beside words that answer nothing, which sink the whole message's score: "that didnt do
   * anything either im literally going to cry", or the other way round, "it says 50 something gb
   * available so thats not it". The longest opening part that surely answers counts, then the
   * longest closing one, when the rest neither asks, nor reads as another answer, nor names a topic.
   */
  answerBeforeAside(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const words = text.trim().split(/\s+/);
    // A message that takes something back ("on a trip wait no actually i live here") is read as what it says instead.
    if (QUESTION.test(text) || CONTRAST.test(text) || afterTakingBack(text) || text.length > MAX_PARTED_LENGTH) return undefined;
    const cuts = Array.from({ length: Math.max(0, words.length - 2 * MIN_PART_WORDS + 1) }, (_, index) => words.length - MIN_PART_WORDS - index);
    const heads = cuts.map((cut) => ({ part: words.slice(0, cut).join(' '), rest: words.slice(cut).join(' ').replace(LEADING_AND, ''), after: true }));
    const tails = cuts.reverse().map((cut) => ({ part: words.slice(cut).join(' ').replace(LEADING_AND, ''), rest: words.slice(0, cut).join(' '), after: false }));
    // "I don't | know what wifi is": a part ending in a negation is cut from what it denies.
    const parts = [...heads, ...tails].filter(({ part, rest }) => !ENDS_DENYING.test(part) && !ENDS_DENYING.test(rest));
    for (const { part, rest, after } of parts) {
      const outcome = this.answerBeside(state, tree, part, [rest], false, after);
      if (outcome) return outcome;
    }
    return undefined;
  }

  /**
   * The walk-through moved on by `part`, when it surely gives a yes or no of this step in the step's
   * own words and the rest answers nothing else. After the answer, being at a loss ("its up to date
   * idk what else to do") is no request to have the step explained: that comes before what it asks about.
   */
  private answerBeside(state: ConversationState, tree: TreeState, part: string, rest: readonly string[], told: boolean, restAfter = false): Outcome | undefined {
    const reading = readAt(this.deps, tree, part);
    const means = reading ? this.deps.engine.choicesAt(tree)[reading.index]?.means : undefined;
    // "Its on wifi yeah the home one": a yes heard only in the shared examples ("yeah"), beside the
    // step's words, agrees that the step was done; only a story's last clause says it worked that way.
    const agreeing = !told && reading?.plain === true && means === 'yes';
    // "wifi is good, in my house, youtube is working": something else working is no restore that worked.
    const otherFine = reading !== null && namesOtherAsFine(part) && this.deps.engine.closesOn(tree, reading.index);
    const answers = reading !== null && reading.score >= SURE_READING && reading.offStep.length === 0 && means !== undefined && !agreeing && !otherFine;
    return answers && rest.every((aside) => this.answersNothing(tree, aside, told, reading.index, restAfter)) ? this.moves.advance(state, this.deps.engine.choose(tree, reading.index)) : undefined;
  }

  /**
   * Whether a part beside an answer neither asks nor surely names a topic of its own, nor, unless it
   * tells what was done, answers otherwise or gives a command: told, "tried again" is no "it failed
   * again", and "switched it off" names the restart step's own subject. `afterAnswer`, a part that
   * follows the answer, may also be at a loss ("idk what else to do") without asking for the step again.
   */
  private answersNothing(tree: TreeState, part: string, told: boolean, answer: number, afterAnswer: boolean): boolean {
    // "this is taking forever" beside "wifi is fine": the whole ordeal, vented, no slow restore.
    if (VENTED.test(part)) return true;
    const reading = told ? null : readAt(this.deps, tree, part);
    if (QUESTION.test(part) || (reading && reading.index !== answer && reading.score >= LOOSE_READING)) return false;
    // "It says 50 gb available" beside "so thats not it": the same answer, in words of its own.
    if (reading?.index === answer) return true;
    const said = this.moves.matched(this.deps.recognize(part));
    if (!said) return true;
    if (said.action) return told || said.action === 'none' || SMALL_TALK.has(said.action) || (afterAnswer && said.action === 'explain');
    return told && this.deps.engine.aboutAt(tree).includes(said.id);
  }

}

/** Longer than this, a message is more than an answer with an aside or a short story, and reading its parts one by one costs more than it is worth. */
const MAX_PARTED_LENGTH = 200;
/** The shortest answer or aside read alone when an answer is looked for inside a message: one word is a guess. */
const MIN_PART_WORDS = 2;
/** Two clauses are an answer and how it was reached (`outcomeAfterDoing`); three or more tell a story. */
const MIN_STORY_CLAUSES = 3;

/** "And the restore is slow": the conjunction joins the parts and belongs to neither. */
const LEADING_AND = /^(?:and|also|plus|so|then)\s+/i;
/** "This is taking forever", "all this is a nightmare": the whole ordeal vented, said of "this" and not of the restore. */
const VENTED = /^\W*(?:(?:omg|ugh+|honestly|man|seriously)\W+)?(?:this|all this|this whole thing)\s+(?:is\s+|has been\s+)?(?:taking (?:forever|ages|so long)|so (?:slow|annoying|frustrating)|ridiculous|a nightmare|a joke|driving me (?:crazy|mad|nuts))\W*$/i;
/** A negation with nothing after it to deny. */
const ENDS_DENYING = /\b(?:not|no|never|nothing|cannot|\w+n'?t)\s*$/i;
