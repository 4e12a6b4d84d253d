import type { Intent } from '../content/types.js';
import type { TreeState } from '../dialogs/engine.js';
import type { Recognition } from '../nlu/recognizer.js';
import type { AfterAnswer } from './afterAnswer.js';
import type { Meaning } from './meaning.js';
import { QUESTION, questionClauses } from './messageShape.js';
import type { Moves } from './moves.js';
import { reset, withoutFeedback, type Outcome } from './outcome.js';
import type { PartedAnswers, PartedAnswersDeps } from './partedAnswers.js';
import { readAt, readsNoAt, SURE_READING } from './readings.js';
import { asksTimeForSize, tellsElapsed } from './restoreEstimate.js';
import type { ConversationState } from './state.js';

/** What reading a message outside a walk-through needs beyond the parts': whether it is only a yes or a no. */
export interface OutsideWalkThroughDeps extends PartedAnswersDeps {
  /** Whether a message is only a yes ("ok" too) or a no, with a courtesy at most (src/nlu/choiceReader.ts). */
  readonly bareAnswer: (text: string) => 'yes' | 'no' | undefined;
}

/** Reads a message inside the walk-through it answers (conversation.ts's reading of a step). */
export type AnswerInTree = (state: ConversationState, tree: TreeState, text: string, recognition: Recognition) => Outcome;

/**
 * A message when no walk-through is open, top to bottom: a person asked for, a bare yes or no to
 * what the bot asked, a kept walk-through resumed or answered, a fixed problem come back, a
 * follow-up on the answer just given, then a topic (or several, or one with steps already tried),
 * and the fallback when nothing is understood.
 */
export class OutsideWalkThrough {
  constructor(
    private readonly deps: OutsideWalkThroughDeps,
    private readonly moves: Moves,
    private readonly meaning: Meaning,
    private readonly parts: PartedAnswers,
    private readonly afterAnswer: AfterAnswer,
    private readonly answerInTree: AnswerInTree,
  ) {}

  respond(state: ConversationState, text: string, recognition: Recognition): Outcome {
    const { content } = this.deps;
    const intent = this.meaning.meant(recognition, text) ?? this.afterAnswer.signedOff(recognition, text) ?? this.meaning.askedPart(text, recognition);
    const person = this.meaning.askedForPerson(state, text, intent);
    if (person) return person;
    const { suspended, reopen } = state;
    // "No thanks" to "anything else?", "ok" to "shall we carry on?": what the bot asked, answered.
    const bare = this.deps.bareAnswer(text);
    if (bare) return this.moves.bareAnswer(state, bare);
    // "Start over" shares "over" with "way over that": a command the recogniser is sure of is never
    // read as an answer to a kept step, nor as the problem back after one that worked.
    const command = this.meaning.sureCommand(intent, recognition);
    if (suspended) {
      if (intent?.action === 'resume' || (intent?.tree && intent.tree === suspended.tree)) return this.moves.resume(state);
      const reading = command ? null : readAt(this.deps, suspended, text);
      if (reading && reading.score >= SURE_READING) return this.moves.advance({ ...state, tree: suspended }, this.deps.engine.choose(suspended, reading.index));
      // Words about the kept step's own subject ("the wifi's fine") answer that step, as if never left.
      if (intent && this.deps.engine.aboutAt(suspended).includes(intent.id)) {
        const { suspended: _back, ...rest } = state;
        return this.answerInTree({ ...rest, tree: suspended }, suspended, text, recognition);
      }
      if (intent && !intent.action) return this.moves.sideQuestion(state, suspended, intent, text);
    }
    if (reopen && (intent?.action === 'reopen' || (intent?.tree && intent.tree === reopen.tree) || (!command && readsNoAt(this.deps, reopen, text)))) {
      const reopened = this.moves.answerNo({ ...state, tree: reopen }, reopen);
      if (reopened) return { ...reopened, replies: [{ text: content.phrases.reopened }, ...reopened.replies] };
    }
    const carried = command ? undefined : this.afterAnswer.stepAfterAnswer(state, text, intent);
    if (carried) return carried;
    // "It's been like 3 hrs and the backup is about 6gb": a time and a size ask how long a restore
    // takes, whichever topic the other words ("backup") lean to.
    const rated = intent?.action ? undefined : content.intents.find((topic) => topic.hoursPerGigabyte && topic.tree);
    if (rated && (tellsElapsed(text) || asksTimeForSize(text))) return this.moves.startTopic(reset(state), rated, text);
    const walked = this.afterAnswer.walkThroughNext(state, text, intent);
    if (walked) return walked;
    // "Do I need to plug it in or anything before?": a question no topic surely claims, in the last answer's own words, is about it.
    const quoted = intent?.action === 'explain' || (!intent && QUESTION.test(text)) ? this.afterAnswer.quoteLastAnswer(state, text) : undefined;
    if (quoted) return quoted;
    if (intent?.action === 'resume') return { state, replies: [{ text: content.phrases.nothingToResume }, this.moves.menu()] };
    if (intent?.action === 'reopen') return { state: reset(state), replies: [{ text: intent.answer }, this.moves.menu()] };
    if (intent?.action && intent.action !== 'none') return this.moves.act(state, intent);
    // Two questions in one message often leave the whole between their two topics ("ambiguous"):
    // the leader still names one of the clauses' topics.
    const leader = intent ?? (recognition.verdict === 'ambiguous' ? content.intentById.get(recognition.candidates[0]?.intent ?? '') : undefined);
    const past = this.parts.startedPastDone(state, leader ?? this.parts.problemPart(text), text) ?? (leader && !leader.tree && !leader.action ? this.parts.problemWithStepsTried(state, text) : undefined);
    if (past) return past;
    const several = leader && !leader.action ? this.severalQuestions(state, text, leader) : undefined;
    if (several) return several;
    if (intent) return this.moves.startTopic(reset(state), intent, text);
    return this.afterAnswer.backAtAnswer(state, text, recognition) ?? this.moves.fallback(state, recognition, text);
  }

  /**
   * "How long does a restore take and can I use my phone meanwhile?": each clause surely a topic of
   * its own, one of them the whole message's, gets each answer, a walk-through (at most one) last so
   * its question is what stays open. Feedback is asked for the last answer only.
   */
  private severalQuestions(state: ConversationState, text: string, whole: Intent): Outcome | undefined {
    const clauses = questionClauses(text);
    if (!clauses) return undefined;
    const topics = clauses.map((clause) => ({ clause, intent: this.moves.matched(this.deps.recognize(clause)) }));
    const ids = new Set(topics.map(({ intent }) => intent?.id));
    // Only a walk-through's clause may be told rather than asked ("my restore is slow"): "before you ask
    // I've already restarted it" is no question about a device already set up, whose answer is to erase it.
    const asked = topics.every(({ clause, intent }) => intent?.tree !== undefined || QUESTION.test(clause));
    const sure = asked && topics.every(({ intent }) => intent && !intent.action) && ids.size === topics.length && ids.has(whole.id);
    if (!sure || topics.filter(({ intent }) => intent?.tree).length > 1) return undefined;
    const ordered = [...topics.filter(({ intent }) => !intent?.tree), ...topics.filter(({ intent }) => intent?.tree)];
    let outcome: Outcome = { state: reset(state), replies: [], events: [] };
    for (const { clause, intent } of ordered) {
      if (!intent) continue;
      const next = this.moves.startTopic(withoutFeedback(outcome.state), intent, clause);
      const earlier = outcome.replies.map(({ askFeedback: _only, ...reply }) => reply);
      outcome = { ...next, replies: [...earlier, ...next.replies], events: [...(outcome.events ?? []), ...(next.events ?? [])] };
    }
    return outcome;
  }
}
