import type { Intent } from '../content/types.js';
import { ordinalIn } from '../dialogs/choiceMatcher.js';
import type { TreeState } from '../dialogs/engine.js';
import type { ChoiceReading } from '../nlu/choiceReader.js';
import type { Recognition } from '../nlu/recognizer.js';
import { AfterAnswer, type AfterAnswerDeps } from './afterAnswer.js';
import { Feedback } from './feedback.js';
import { afterContrast, afterTakingBack, answerClauses, ASKS_HOW, ASKS_IF_NEEDED, beforeContrast, beforeGoOn, CONNECT_ME, CONTRAST, correctionOf, PUZZLED, QUESTION, questionClauses, REFERS_BACK, REPEATED, requestParts, simplify, STILL_FAILING } from './messageShape.js';
import { Moves, SMALL_TALK } from './moves.js';
import { PartedAnswers, type PartedAnswersDeps } from './partedAnswers.js';
import { StoryAnswers } from './storyAnswers.js';
import { asksTimeForSize, elapsedAnswer, restoreEstimate, tellsElapsed } from './restoreEstimate.js';
import { askedAndAnswered, reset, unplacedInTree, withoutFeedback, type Outcome } from './outcome.js';
import { LOOSE_READING, readAt, readsLoosely, SURE_READING, SURE_READING_OF_A_QUESTION, sureReading } from './readings.js';
import type { ConversationState, FeedbackFor } from './state.js';
import type { Reply } from './types.js';

export interface ConversationDeps extends PartedAnswersDeps, AfterAnswerDeps {
  /** Whether a question's words all occur in the open step's text (src/nlu/choiceReader.ts). */
  readonly asksAbout: (step: string, text: string) => boolean;
  /** Whether a statement's words all occur in the open step's text, its device aside (src/nlu/choiceReader.ts). */
  readonly tellsAbout: (step: string, text: string) => boolean;
  /** Whether a message says, in words no topic uses, that the customer is upset (src/nlu/mood.ts). */
  readonly upset: (text: string) => boolean;
  /** Whether a message is only a yes ("ok" too) or a no, with a courtesy at most (src/nlu/choiceReader.ts). */
  readonly bareAnswer: (text: string) => 'yes' | 'no' | undefined;
  /** Masks personal data (REDACT_PII) in the question kept in the state for feedback. */
  readonly redact?: (text: string) => string;
}

/** A topic recognised this surely is asked about, even when the message also reads loosely as an answer. */
const SURE_TOPIC = 0.85;
/** Commands that leave or restate the walk-through, and how sure the recogniser must be of one to beat a loose reading. */
const COMMANDS: ReadonlySet<string> = new Set(['cancel', 'restart', 'resume', 'handoff', 'goodbye', 'back', 'explain', 'progress']);
const SURE_COMMAND = 0.9;
/** Commands whose words also ask about the restore: "do I have to start over?" is no "start over". */
const UNLESS_ASKED_IF_NEEDED: ReadonlySet<string> = new Set(['restart', 'cancel']);
/**
 * How sure the recogniser must be that a part of a message asks for a person: "could I talk to
 * someone please" is 0.87, "let me talk to my husband first" 0.68.
 */
const SURE_REQUEST = 0.8;
/** An order to be put through leaves nothing else to mean: "yes put me through to them now" is 0.56 for its "now" and "them". */
const TOLD_TO_CONNECT = 0.5;

/**
 * Decides what to say to one customer message. Inside a walk-through the message is first read as
 * an answer to the open question (its choices' words, then their examples in context), then as a
 * global command, then as a side question (answered, the walk-through kept for later), and only
 * then as something the bot cannot place. Outside one, a kept walk-through can be resumed and a
 * fixed problem that comes back re-opens its walk-through at the next step. This file is the
 * order in which a message is read, top to bottom; what each reading leads to (a step, a topic, a
 * command) is in moves.ts, messages in several parts (two answers, an answer and a question, the
 * next step's answer given early, steps already tried) in partedAnswers.ts, an answer hidden in a
 * story or beside an aside in storyAnswers.ts, a follow-up on the
 * answer just given in afterAnswer.ts, and feedback on an answer in feedback.ts.
 */
export class Conversation {
  private readonly moves: Moves;
  private readonly feedback: Feedback;
  private readonly parts: PartedAnswers;
  private readonly afterAnswer: AfterAnswer;
  private readonly stories: StoryAnswers;

  constructor(private readonly deps: ConversationDeps) {
    this.moves = new Moves(deps);
    this.parts = new PartedAnswers(deps, this.moves);
    this.afterAnswer = new AfterAnswer(deps, this.moves);
    this.stories = new StoryAnswers(deps, this.moves);
    this.feedback = new Feedback(deps.content, deps.readChoice);
  }

  respond(before: ConversationState, text: string): Outcome {
    const { engine, content } = this.deps;
    // One feedback question per answer: the next message answers it or moves on, never both.
    const feedback = before.feedback ? this.typedFeedback(before, before.feedback, text) : undefined;
    if (feedback) return feedback;
    const state = withoutFeedback(before);
    const tree = state.tree;
    const exact = tree ? engine.match(tree, text) : null;
    if (tree && exact) return this.parts.pastToldSteps(tree, this.moves.advance(state, engine.choose(tree, exact.index)));
    if (!tree && state.suspended && simplify(text) === simplify(content.phrases.carryOnChoice)) return this.moves.resume(state);

    const picked = this.pickOffered(state, text);
    // A person asked for by button is asked for from where the customer is (the handoff resets it itself).
    if (picked) return picked.action === 'handoff' ? this.moves.act(state, picked) : this.moves.startTopic(reset(state), picked);

    const recognition = this.deps.recognize(text);
    const outcome = tree ? this.parts.pastToldSteps(tree, this.inTree(state, tree, text, recognition)) : this.interpret(state, text, recognition);
    return { ...outcome, recognition, state: { ...outcome.state, lastCandidates: recognition.candidates } };
  }

  private inTree(state: ConversationState, tree: TreeState, text: string, recognition: Recognition): Outcome {
    const { content, engine } = this.deps;
    // "Ok theres enough. now what": the answer says what comes next; its "now what" is no question of its own.
    const answer = beforeGoOn(text);
    if (answer) return this.inTree(state, tree, answer, this.deps.recognize(answer));
    // "Done that", "yep, restarted it": read as a yes, the walk-through would close as fixed, and "ok
    // done" as a goodbye would end it; neither says how it went, which is what the step asks. Done
    // again and again ("restarted it 5 times", "restarted twice already"), it did not help.
    if (engine.yesCloses(tree)) {
      const choices = engine.choicesAt(tree);
      const no = REPEATED.test(text) && this.deps.reportsDoing(choices, text.replace(/\s*\balready\b/gi, '')) ? this.moves.answerNo(state, tree) : undefined;
      if (no) return no;
      if (this.deps.reportsDoing(choices, text)) return this.askHowItWent(state, tree);
    }
    const timed = this.elapsed(state, tree, text) ?? this.sizeAsked(state, tree, text);
    if (timed) return timed;
    const explain = PUZZLED.test(text) ? this.moves.intentFor('explain') : undefined;
    if (explain) return this.moves.explainStep(state, tree, explain.answer);
    const reading = ASKS_HOW.test(text) ? null : this.newsOf(tree, text);
    const asking = QUESTION.test(text);
    // "Fibre 500mb and nothing else is using it" shares "nothing else" with the goodbyes that answer
    // "anything else?", which no step asks: inside a walk-through a goodbye says one, or is sure.
    const meant = this.meant(recognition, text);
    const intent = meant?.action === 'goodbye' && !this.afterAnswer.saysGoodbye(text) && recognition.confidence < SURE_COMMAND ? undefined : meant;
    // "start over" shares "start" with "the restore started": a command the recogniser is sure of
    // beats any reading short of a very close one, or the bot would call the problem fixed.
    const command = intent?.action && COMMANDS.has(intent.action) && recognition.confidence >= SURE_COMMAND;
    // Not following the step ("I don't get it") beats a plain yes or no its words half-match, never
    // an answer of this step's own: "no idea what her password is" says the password is not theirs.
    // Put as a question ("ok now what"), it beats any reading short of a sure one.
    const explainable = intent?.action !== 'explain' || !reading || reading.plain || reading.score < (asking ? sureReading(asking) : LOOSE_READING);
    // "All good now, no more popups" is the step's yes, not a goodbye: it ends the walk-through as fixed.
    const farewellAsYes = intent?.action === 'goodbye' && reading !== null && readsLoosely(reading) && engine.choicesAt(tree)[reading.index]?.means === 'yes';
    const acts = explainable && !farewellAsYes;
    if (command && acts && !(reading && reading.score >= SURE_READING_OF_A_QUESTION)) {
      return intent.action === 'resume' ? this.moves.restate(state, tree) : this.moves.act(state, intent);
    }
    const person = this.askedForPerson(state, text, intent);
    if (person) return person;
    const corrected = asking ? undefined : this.correction(state, tree, text);
    if (corrected) return corrected;
    const clauses = answerClauses(text);
    const ahead = asking ? undefined : this.parts.answerAhead(state, tree, text, reading, intent);
    if (ahead) return ahead;
    const answeredAndAsked = asking && clauses ? this.parts.answerThenAsk(state, tree, clauses) : undefined;
    if (answeredAndAsked) return answeredAndAsked;
    if (!asking && this.parts.onlyDone(tree, reading, clauses ?? [text])) return this.askHowItWent(state, tree);
    const told = clauses && !asking && !CONTRAST.test(text) ? this.parts.outcomeAfterDoing(state, tree, clauses) : undefined;
    if (told) return told;
    const story = asking ? undefined : this.stories.storyOutcome(state, tree, text);
    if (story) return story;
    if (reading && reading.score >= sureReading(asking)) {
      // "The other backups fail too and my wifi is fine": words this step's answers do not use may
      // answer the next step, when every clause surely answers the step open at that point.
      const several = clauses && reading.offStep.length > 0 ? this.parts.severalAnswers(state, tree, clauses) : undefined;
      return this.parts.withAside(several ?? this.moves.advance(state, engine.choose(tree, reading.index)), tree, text);
    }
    const several = clauses && (this.parts.severalAnswers(state, tree, clauses) ?? (asking || CONTRAST.test(text) ? undefined : this.parts.answerAmidAsides(state, tree, clauses)));
    if (several) return several;
    const aside = asking ? undefined : this.stories.answerBeforeAside(state, tree, text);
    if (aside) return aside;

    if (intent?.action === 'reopen') return this.moves.answerNo(state, tree) ?? this.moves.reprompt(state, text);
    if (intent?.action === 'resume') return this.moves.restate(state, tree);
    if (intent?.action && intent.action !== 'none' && !SMALL_TALK.has(intent.action) && acts) return this.moves.act(state, intent);

    const about = new Set([...this.moves.topicsOf(tree.tree), ...engine.aboutAt(tree)]);
    // A statement that reads as one answer only ("way more than that free") is that answer, even when
    // a word of it ("more") half-matches a topic of its own; a clear topic or a question is asked.
    const answering = !asking && reading !== null && readsLoosely(reading) && recognition.confidence < SURE_TOPIC;
    // A statement whose topic rests only on this step's answers' words ("did that twice already") is
    // about the step, however surely the topic claims it: "already" is also the already-set-up
    // topic's word, whose answer is to erase the device.
    // Unless the customer takes back what they said to tell of another problem with a walk-through
    // of its own: in "wait, actually it is restoring now, just really slow" the slow restore is news, however
    // "slow" also answers the Wi-Fi step.
    const changesProblem = correctionOf(text) !== undefined && intent?.tree !== undefined && intent.tree !== tree.tree;
    const claimedByStepWords = !asking && reading !== null && !changesProblem && !recognition.explanation.matched.some((term) => reading.offStep.includes(term) || reading.offStep.includes(`!${term}`));
    // "Where is that setting on iOS 7?", "what's Manage Storage?": a question in the step's own words
    // is about the step, whatever topic or none one of its words names.
    const stepText = engine.resume(tree).messages.map((message) => message.text).join('\n');
    const inStepWords = asking && this.deps.asksAbout(stepText, text);
    if (intent && !intent.action && !about.has(intent.id) && !answering && !claimedByStepWords) {
      if (inStepWords) return this.moves.explainStep(state, tree, content.phrases.inThisStep);
      // "Actually it just stopped with Cannot Restore Backup": a new problem with a walk-through of
      // its own, told rather than asked, is walked through; asked about, it is answered beside this one.
      const newProblem = !asking && intent.tree !== undefined && intent.tree !== tree.tree;
      return newProblem ? (this.parts.startedPastDone(state, intent, text) ?? this.moves.startTopic(reset(state), intent, text)) : this.moves.sideQuestion(state, tree, intent, text);
    }
    const ownSubject = intent && !intent.action && about.has(intent.id) && !this.moves.topicsOf(tree.tree).includes(intent.id);
    // A question is never read loosely as an answer: "how do I restart it with no home button" is not "no".
    if (reading && readsLoosely(reading) && !asking) return this.parts.withAside(this.moves.advance(state, engine.choose(tree, reading.index)), tree, text);
    if (intent?.action && SMALL_TALK.has(intent.action)) return this.moves.act(state, intent);
    // A question on this step's own subject, even one the recogniser is unsure of: answered, and the step's question asked again.
    const subject = ownSubject ? intent : asking ? this.unsureAbout(recognition, engine.aboutAt(tree)) : undefined;
    if (subject) {
      return { state: { ...state, misses: 0 }, replies: [{ text: subject.answer }, this.moves.question(tree)], events: askedAndAnswered(subject.id) };
    }
    // "What do you mean, stable?": a question with the step's own words is about the step, not out of
    // scope; so is "how do I take a screenshot?" asked about the walk-through's own topic.
    const ownTopic = asking && intent !== undefined && this.moves.topicsOf(tree.tree).includes(intent.id);
    if (inStepWords || ownTopic) return this.moves.explainStep(state, tree, content.phrases.inThisStep);
    if (asking && reading && reading.score >= LOOSE_READING) return this.moves.reprompt(state, text);
    // A question the out-of-scope class only half-claims may be outside the bot ("who painted the
    // Mona Lisa?") or about the step ("and how am I supposed to check that?"): the scope is said,
    // and the whole step given again, whose instructions may be the answer.
    // One that points back at the step ("what if I skip it?") is given it again however surely it is out of scope.
    if (asking && recognition.verdict === 'out_of_scope' && (recognition.confidence < content.recognizer.threshold || REFERS_BACK.test(text))) {
      return this.moves.reprompt(state, text, content.phrases.unsureInTree);
    }
    const outOfScope = intent?.action === 'none' || recognition.verdict === 'out_of_scope';
    // "It's a macbook", "it's an ipad with a home button": told in the step's own words, it is about
    // the step (which computer, which buttons), however far the words lie from every topic or
    // however unsure the recogniser is between one and none.
    if ((outOfScope || recognition.verdict !== 'match') && !asking && this.deps.tellsAbout(stepText, text)) return this.moves.explainStep(state, tree, content.phrases.inThisStep);
    if (outOfScope) {
      const misses = state.misses + 1;
      const question = this.moves.question(tree);
      const choices = [...(question.choices ?? []), ...(misses >= 2 ? [content.phrases.handoffChoice] : [])];
      return { state: { ...state, misses }, replies: [{ text: content.phrases.outOfScopeInTree }, { ...question, choices }], events: [unplacedInTree(tree, text)] };
    }
    return this.moves.reprompt(state, text);
  }

  /**
   * "10 hours for 3gb" where the step compares the time a restore has run with its size: worked out,
   * not read from the words, and the estimate said first so the customer sees why.
   */
  private elapsed(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const { engine, content } = this.deps;
    const check = engine.elapsedAt(tree);
    const answer = check ? elapsedAnswer(check, text, state.askedText ?? '', content.phrases.sizeEstimate) : undefined;
    const index = answer ? engine.choicesAt(tree).findIndex((choice) => choice.label === answer.label) : -1;
    if (!answer || index < 0) return undefined;
    const outcome = this.moves.advance(state, engine.choose(tree, index));
    return { ...outcome, replies: [answer.estimate, ...outcome.replies] };
  }

  /**
   * "So how many hours for 12 gigs roughly?" inside the walk-through of a topic with a restore rate:
   * the estimate for that size, and the step's question again. Told rather than asked ("backup is
   * about 12gb"), when it answers nothing here: read as a topic, "backup is" started the no-backups one.
   */
  private sizeAsked(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    if (!QUESTION.test(text) && (readAt(this.deps, tree, text)?.score ?? 0) >= LOOSE_READING) return undefined;
    const { content } = this.deps;
    const rated = this.moves.topicsOf(tree.tree).map((id) => content.intentById.get(id)).find((intent) => intent?.hoursPerGigabyte);
    const [estimate] = rated ? restoreEstimate(rated, text, content.phrases.sizeEstimate) : [];
    return estimate ? { state, replies: [estimate, this.moves.question(tree)] } : undefined;
  }

  /**
   * "Wait, actually no, I'm home", "sorry, I meant yes, another backup worked": the answer to the
   * step before, taken back and given again. Only when what was meant reads surely as another
   * answer than the one given there, and better there than as an answer to the open step.
   */
  private correction(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const { engine, content } = this.deps;
    const meant = correctionOf(text);
    const previous = meant ? engine.back(tree) : undefined;
    if (!meant || previous?.status !== 'waiting') return undefined;
    const there = readAt(this.deps, previous.state, meant);
    const here = readAt(this.deps, tree, meant);
    const given = tree.path[previous.state.path.length]?.answer;
    if (!there || there.score < SURE_READING || engine.choicesAt(previous.state)[there.index]?.label === given) return undefined;
    if (here && here.score >= there.score) return undefined;
    const outcome = this.moves.advance({ ...state, tree: previous.state }, engine.choose(previous.state, there.index));
    return { ...outcome, replies: [{ text: content.phrases.answerChanged }, ...outcome.replies] };
  }

  private askHowItWent(state: ConversationState, tree: TreeState): Outcome {
    return { state, replies: [{ text: this.deps.content.phrases.howDidItGo }, this.moves.question(tree)] };
  }

  /** Outside a walk-through: a kept one may be resumed, a fixed one re-opened, else a new topic. */
  private interpret(state: ConversationState, text: string, recognition: Recognition): Outcome {
    const { content } = this.deps;
    const intent = this.meant(recognition, text) ?? this.afterAnswer.signedOff(recognition, text) ?? this.askedPart(text, recognition);
    const person = this.askedForPerson(state, text, intent);
    if (person) return person;
    const { suspended, reopen } = state;
    // "No thanks" to "anything else?", "ok" to "shall we carry on?": what the bot asked, answered.
    const bare = this.deps.bareAnswer(text);
    if (bare) return this.moves.bareAnswer(state, bare);
    // "Start over" shares "over" with "way over that": a command the recogniser is sure of is never
    // read as an answer to a kept step, nor as the problem back after one that worked.
    const command = intent?.action !== undefined && COMMANDS.has(intent.action) && recognition.confidence >= SURE_COMMAND;
    if (suspended) {
      if (intent?.action === 'resume' || (intent?.tree && intent.tree === suspended.tree)) return this.moves.resume(state);
      const reading = command ? null : readAt(this.deps, suspended, text);
      if (reading && reading.score >= SURE_READING) return this.moves.advance({ ...state, tree: suspended }, this.deps.engine.choose(suspended, reading.index));
      // Words about the kept step's own subject ("the wifi's fine") answer that step, as if never left.
      if (intent && this.deps.engine.aboutAt(suspended).includes(intent.id)) {
        const { suspended: _back, ...rest } = state;
        return this.inTree({ ...rest, tree: suspended }, suspended, text, recognition);
      }
      if (intent && !intent.action) return this.moves.sideQuestion(state, suspended, intent, text);
    }
    if (reopen && (intent?.action === 'reopen' || (intent?.tree && intent.tree === reopen.tree) || (!command && this.readsNo(reopen, text)))) {
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

  /**
   * "I picked the wrong backup by accident, how do I cancel the restore": the story before a question
   * leaves the whole unsure, but its one question surely names the topic the whole leans to.
   */
  private askedPart(text: string, recognition: Recognition): Intent | undefined {
    if (recognition.verdict !== 'unsure' && recognition.verdict !== 'ambiguous') return undefined;
    const asked = (questionClauses(text) ?? []).filter((clause) => QUESTION.test(clause));
    const [only] = asked;
    const intent = asked.length === 1 && only !== undefined ? this.moves.matched(this.deps.recognize(only)) : undefined;
    return intent && !intent.action && recognition.candidates[0]?.intent === intent.id ? intent : undefined;
  }

  /** The recogniser's first guess, when it is unsure but that guess is one of `topics`. */
  private unsureAbout(recognition: Recognition, topics: readonly string[]): Intent | undefined {
    const first = recognition.candidates[0];
    if (recognition.verdict === 'match' || !first || !topics.includes(first.intent)) return undefined;
    return this.deps.content.intentById.get(first.intent);
  }

  /**
   * "This restore is taking forever can I speak to someone": a person asked for in one part of a
   * message is asked for, whatever topic or answer the rest holds, or the topic's answer buries the
   * request. The topic goes with the handoff, for the person who takes the chat.
   */
  private askedForPerson(state: ConversationState, text: string, intent: Intent | undefined): Outcome | undefined {
    const person = this.moves.intentFor('handoff');
    if (!person) return undefined;
    const asked = requestParts(text).some((part) => {
      const recognition = this.deps.recognize(part);
      const leading = recognition.verdict === 'match' ? recognition.intent : recognition.verdict === 'unsure' ? recognition.candidates[0]?.intent : undefined;
      return leading === person.id && recognition.confidence >= (CONNECT_ME.test(part) ? TOLD_TO_CONNECT : SURE_REQUEST);
    });
    return asked ? this.moves.act(intent && !intent.action ? { ...state, lastIntent: intent.id } : state, person) : undefined;
  }

  /**
   * The recognised intent, or frustration for an upset message no topic claims: the frustration
   * examples cannot hold every way of saying it ("so annoying", "what a joke"), and told "that's
   * outside what I can help with", an upset customer is told off as well.
   */
  private meant(recognition: Recognition, text: string): Intent | undefined {
    const intent = this.moves.matched(recognition);
    if (intent?.action && UNLESS_ASKED_IF_NEEDED.has(intent.action) && ASKS_IF_NEEDED.test(text)) return undefined;
    // "Can I stop it and do it later?" leans to goodbye on "later" alone; asked, it is no goodbye unless
    // it says one. "What's a good film to watch tonight?" is then what the runner-up says: out of scope.
    if (intent?.action === 'goodbye' && QUESTION.test(text) && !this.afterAnswer.saysGoodbye(text)) {
      const [, next] = recognition.candidates;
      const outside = next ? this.deps.content.intentById.get(next.intent) : undefined;
      return outside?.action === 'none' && (next?.confidence ?? 0) >= this.deps.content.recognizer.threshold ? outside : undefined;
    }
    if (intent && intent.action !== 'none') return intent;
    const frustration = this.moves.intentFor('frustration');
    const noTopic = recognition.verdict === 'out_of_scope' || intent !== undefined || recognition.candidates[0]?.intent === frustration?.id;
    return frustration && noTopic && this.deps.upset(text) ? frustration : intent;
  }


  /**
   * The reading of a message set against itself is the reading of what follows the contrast, when
   * that part surely answers: in "it's plugged in and on wifi but they keep coming" the news is that
   * the alerts keep coming, not the power and Wi-Fi the step asked for.
   */
  private newsOf(tree: TreeState, text: string): ChoiceReading | null {
    // "How long does it take once it actually works?": inside a question no word takes anything back.
    if (QUESTION.test(text)) return readAt(this.deps, tree, text);
    const after = afterTakingBack(text) ?? afterContrast(text);
    const news = after && !QUESTION.test(after) ? readAt(this.deps, tree, after) : null;
    if (news && news.score >= SURE_READING) return news;
    // "Connected to wifi yeah but it keeps saying the same error": news that the problem is still
    // there is what a "no" told before it says, however its own words ("keeps") lean elsewhere.
    const before = after && !afterTakingBack(text) && STILL_FAILING.test(after) ? beforeContrast(text) : undefined;
    const told = before ? readAt(this.deps, tree, before) : null;
    if (told && told.score >= SURE_READING && this.deps.engine.choicesAt(tree)[told.index]?.means === 'no') return told;
    return readAt(this.deps, tree, text);
  }

  /** "It failed again", "no luck": the problem is back. A bare "no" answers "anything else?" instead. */
  private readsNo(tree: TreeState, text: string): boolean {
    if (this.deps.bareAnswer(text)) return false;
    const reading = readAt(this.deps, tree, text);
    return !!reading && reading.score >= SURE_READING && this.deps.engine.choicesAt(tree)[reading.index]?.means === 'no';
  }

  /** An agent hands the conversation back into a topic: the topic starts as if the customer asked. */
  startTopicById(state: ConversationState, intentId: string): Outcome {
    const intent = this.deps.content.intentById.get(intentId);
    if (!intent) throw new RangeError(`unknown intent '${intentId}'`);
    return this.moves.startTopic(reset(state), intent);
  }

  /**
   * A person was asked for and nobody can take the chat (no console, hub or agent there): the
   * walk-through the customer was in, open or kept beside a side question, is where they stay,
   * its question asked again, rather than lost to a handoff that cannot happen.
   */
  keepPlace(before: ConversationState, after: ConversationState): Outcome {
    const { tree, suspended } = before;
    const state: ConversationState = { ...after, ...(tree ? { tree } : {}), ...(suspended ? { suspended } : {}) };
    return { state, replies: tree ? [this.moves.question(tree)] : [] };
  }

  /** An agent hands the conversation back at a chosen node of a tree. */
  resumeAt(state: ConversationState, treeId: string, nodeId: string): Outcome {
    return this.moves.advance(reset(state), this.deps.engine.start(treeId, nodeId), treeId);
  }

  /**
   * Feedback from the channel's own controls (Teams' feedback loop): about the answer still
   * waiting for it, else the conversation's last topic.
   */
  channelFeedback(state: ConversationState, helpful: boolean, comment?: string): Outcome {
    const about: FeedbackFor = state.feedback ?? (state.lastIntent ? { topic: state.lastIntent } : { topic: '' });
    return this.feedback.acknowledge(withoutFeedback(state), about, helpful, comment);
  }

  /**
   * The message answers the open feedback question, when it rates the answer. After a walk-through
   * that worked, "no, it's back" re-opens it: that reading comes first.
   */
  private typedFeedback(state: ConversationState, about: FeedbackFor, text: string): Outcome | undefined {
    const { reopen } = state;
    // "Cannot restore backup again" names the problem that was fixed: it is back, however its "cannot" reads as a rating.
    if (reopen && (this.readsNo(reopen, text) || this.moves.matched(this.deps.recognize(text))?.tree === reopen.tree)) return undefined;
    const helpful = this.feedback.read(text);
    return helpful === undefined ? undefined : this.feedback.acknowledge(withoutFeedback(state), about, helpful);
  }

  /** Whether a message is only a yes ("ok" too) or a no, with a courtesy at most. */
  bareAnswer(text: string): 'yes' | 'no' | undefined {
    return this.deps.bareAnswer(text);
  }

  /** The topics a customer can pick from when nothing is open. */
  menu(): Reply {
    return this.moves.menu();
  }

  /** A click on (or the typed label or position of) a topic the bot just offered. */
  private pickOffered(state: ConversationState, text: string): Intent | undefined {
    const { content } = this.deps;
    const said = simplify(text);
    if (said === simplify(content.phrases.handoffChoice)) return this.moves.intentFor('handoff');
    if (said === simplify(content.phrases.somethingElseChoice)) return this.moves.intentFor('help');
    const position = state.offered.length > 0 ? ordinalIn(text, state.offered.length) : null;
    if (position !== null) return content.intentById.get(state.offered[position] ?? '');
    const menu = [...state.offered, ...content.phrases.menu].map((id) => content.intentById.get(id));
    return menu.find((intent) => intent && simplify(intent.title) === said);
  }
}
