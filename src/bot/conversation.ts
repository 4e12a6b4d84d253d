import type { Content, DialogChoice, Intent } from '../content/types.js';
import { ordinalIn } from '../dialogs/choiceMatcher.js';
import type { DialogEngine, DialogMessage, StepResult, TreeState } from '../dialogs/engine.js';
import type { ChoiceReading } from '../nlu/choiceReader.js';
import type { InsightEvent } from '../insights/events.js';
import { keptText } from '../insights/recorder.js';
import type { Recognition } from '../nlu/recognizer.js';
import { afterContrast, answerClauses, CONTRAST, correctionOf, PUZZLED, QUESTION, questionClauses, simplify } from './messageShape.js';
import { restoreEstimate } from './restoreEstimate.js';
import type { ConversationState, FeedbackFor } from './state.js';
import type { HandoffRequest, Reply } from './types.js';

export interface ConversationDeps {
  readonly content: Content;
  readonly engine: DialogEngine;
  readonly recognize: (text: string) => Recognition;
  /** Reads a typed message as one of the open question's choices (src/nlu/choiceReader.ts). */
  readonly readChoice: (choices: readonly DialogChoice[], text: string) => ChoiceReading | null;
  /** Whether a typed message only says the open step was done, not how it went (src/nlu/choiceReader.ts). */
  readonly reportsDoing: (choices: readonly DialogChoice[], text: string) => boolean;
  /** Whether a question's words all occur in the open step's text (src/nlu/choiceReader.ts). */
  readonly asksAbout: (step: string, text: string) => boolean;
  /** Masks personal data (REDACT_PII) in the question kept in the state for feedback. */
  readonly redact?: (text: string) => string;
}

export interface Outcome {
  readonly state: ConversationState;
  readonly replies: Reply[];
  readonly handoff?: HandoffRequest['reason'];
  readonly recognition?: Recognition;
  /** The steps of a tree that just ended in a handoff node, for the agent's summary. */
  readonly finishedTree?: { readonly tree: string; readonly path: readonly { node: string; answer?: string }[] };
  /** What happened, said explicitly for insights and the inbox (src/insights/events.ts). */
  readonly events?: readonly InsightEvent[];
}

/**
 * How close a typed message must be to a choice's examples to count as that answer. A sure reading
 * wins over any topic the message also mentions; a loose one only when no other topic is clearly
 * meant. Chosen on our transcripts and tests: paraphrases of an answer score 0.3-0.7, side
 * questions and small talk under 0.2.
 */
const SURE_READING = 0.3;
const LOOSE_READING = 0.22;
/** A message put as a question (QUESTION) asks rather than answers: it is an answer only this close to one. */
const SURE_READING_OF_A_QUESTION = 0.5;
/** Small talk answered inside a walk-through, with its question asked again; commands act at once. */
const SMALL_TALK = new Set(['greet', 'thanks']);
/** A topic recognised this surely is asked about, even when the message also reads loosely as an answer. */
const SURE_TOPIC = 0.85;
/** Commands that leave or restate the walk-through, and how sure the recogniser must be of one to beat a loose reading. */
const COMMANDS: ReadonlySet<string> = new Set(['cancel', 'restart', 'resume', 'handoff', 'goodbye', 'back', 'explain', 'progress']);
const SURE_COMMAND = 0.9;
/**
 * Below this share of known words, with two or more unknown ones, a message is mostly words the bot
 * has never seen: "hola necesito ayuda con mi iphone" 0.24, German 0.39, gibberish 0; an English
 * question outside the domain keeps most of its words ("who painted the mona lisa" 0.47).
 */
const MOSTLY_UNKNOWN = 0.4;
/** A reading this close to the runner-up choice is a guess between two answers, not an answer. */
const READING_MARGIN = 0.08;

/**
 * A loose reading, or one the message's opening yes or no agrees with: in "nah the wifi at my place
 * is super fast" the words the step does not know ("place", "super") sink the score, not the answer.
 */
const readsLoosely = (reading: ChoiceReading): boolean => reading.score >= LOOSE_READING || reading.opensAlike;

/**
 * (Over 250 lines on purpose: the order in which one message is read is the heart of the bot, and
 * it reads top to bottom here rather than across files.)
 *
 * Decides what to say to one customer message. Inside a walk-through the message is first read as
 * an answer to the open question (its choices' words, then their examples in context), then as a
 * global command, then as a side question (answered, the walk-through kept for later), and only
 * then as something the bot cannot place. Outside one, a kept walk-through can be resumed and a
 * fixed problem that comes back re-opens its walk-through at the next step.
 */
export class Conversation {
  /** "Helpful" and "not helpful" as choices, so typed feedback is read like any answer. */
  private readonly feedbackChoices: readonly DialogChoice[];

  constructor(private readonly deps: ConversationDeps) {
    const { phrases, answers } = deps.content;
    this.feedbackChoices = [
      { label: phrases.helpfulChoice, examples: answers.helpful, next: '' },
      { label: phrases.notHelpfulChoice, examples: answers.notHelpful, next: '' },
    ];
  }

  /** A customer's question as the state keeps it for feedback and the inbox: masked, trimmed, bounded. */
  private kept(said: string): string {
    return keptText(this.deps.redact ? this.deps.redact(said) : said).slice(0, KEPT_QUESTION_CHARS);
  }

  respond(before: ConversationState, text: string): Outcome {
    const { engine, content } = this.deps;
    // One feedback question per answer: the next message answers it or moves on, never both.
    const feedback = before.feedback ? this.typedFeedback(before, before.feedback, text) : undefined;
    if (feedback) return feedback;
    const state = withoutFeedback(before);
    const tree = state.tree;
    const exact = tree ? engine.match(tree, text) : null;
    if (tree && exact) return this.advance(state, engine.choose(tree, exact.index));
    if (!tree && state.suspended && simplify(text) === simplify(content.phrases.carryOnChoice)) return this.resume(state);

    const picked = this.pickOffered(state, text);
    // A person asked for by button is asked for from where the customer is (the handoff resets it itself).
    if (picked) return picked.action === 'handoff' ? this.act(state, picked) : this.startTopic(reset(state), picked);

    const recognition = this.deps.recognize(text);
    const outcome = tree ? this.inTree(state, tree, text, recognition) : this.interpret(state, text, recognition);
    return { ...outcome, recognition, state: { ...outcome.state, lastCandidates: recognition.candidates } };
  }

  private inTree(state: ConversationState, tree: TreeState, text: string, recognition: Recognition): Outcome {
    const { content, engine } = this.deps;
    // "Done that", "yep, restarted it": read as a yes, the walk-through would close as fixed, and "ok
    // done" as a goodbye would end it; neither says how it went, which is what the step asks.
    if (engine.yesCloses(tree) && this.deps.reportsDoing(engine.choicesAt(tree), text)) {
      return { state, replies: [{ text: content.phrases.howDidItGo }, this.question(tree)] };
    }
    const explain = PUZZLED.test(text) ? content.intents.find((item) => item.action === 'explain') : undefined;
    if (explain) return this.explainStep(state, tree, explain.answer);
    const reading = this.newsOf(tree, text);
    const asking = QUESTION.test(text);
    const intent = this.matched(recognition);
    // "start over" shares "start" with "the restore started": a command the recogniser is sure of
    // beats any reading short of a very close one, or the bot would call the problem fixed.
    const command = intent?.action && COMMANDS.has(intent.action) && recognition.confidence >= SURE_COMMAND;
    // Not following the step ("I don't get it") beats a plain yes or no its words half-match, never
    // an answer of this step's own: "no idea what her password is" says the password is not theirs.
    const explainable = intent?.action !== 'explain' || !reading || reading.plain || reading.score < LOOSE_READING;
    // "All good now, no more popups" is the step's yes, not a goodbye: it ends the walk-through as fixed.
    const farewellAsYes = intent?.action === 'goodbye' && reading !== null && readsLoosely(reading) && engine.choicesAt(tree)[reading.index]?.means === 'yes';
    const acts = explainable && !farewellAsYes;
    if (command && acts && !(reading && reading.score >= SURE_READING_OF_A_QUESTION)) {
      return intent.action === 'resume' ? this.restate(state, tree) : this.act(state, intent);
    }
    const corrected = asking ? undefined : this.correction(state, tree, text);
    if (corrected) return corrected;
    const clauses = answerClauses(text);
    if (reading && reading.score >= (asking ? SURE_READING_OF_A_QUESTION : SURE_READING)) {
      // "The other backups fail too and my wifi is fine": words this step's answers do not use may
      // answer the next step, when every clause surely answers the step open at that point.
      const several = clauses && reading.offStep.length > 0 ? this.severalAnswers(state, tree, clauses) : undefined;
      return several ?? this.advance(state, engine.choose(tree, reading.index));
    }
    const several = clauses && (this.severalAnswers(state, tree, clauses) ?? (asking || CONTRAST.test(text) ? undefined : this.answerAmidAsides(state, tree, clauses)));
    if (several) return several;

    if (intent?.action === 'reopen') return this.answerNo(state, tree) ?? this.reprompt(state, text);
    if (intent?.action === 'resume') return this.restate(state, tree);
    if (intent?.action && intent.action !== 'none' && !SMALL_TALK.has(intent.action) && acts) return this.act(state, intent);

    const about = new Set([...this.topicsOf(tree.tree), ...engine.aboutAt(tree)]);
    // A statement that reads as one answer only ("way more than that free") is that answer, even when
    // a word of it ("more") half-matches a topic of its own; a clear topic or a question is asked.
    const answering = !asking && reading !== null && readsLoosely(reading) && recognition.confidence < SURE_TOPIC;
    // A statement whose topic rests only on this step's answers' words ("did that twice already") is
    // about the step, however surely the topic claims it: "already" is also the already-set-up
    // topic's word, whose answer is to erase the device.
    const claimedByStepWords = !asking && reading !== null && !recognition.explanation.matched.some((term) => reading.offStep.includes(term) || reading.offStep.includes(`!${term}`));
    // "Where is that setting on iOS 7?", "what's Manage Storage?": a question in the step's own words
    // is about the step, whatever topic or none one of its words names.
    const inStepWords = asking && this.deps.asksAbout(engine.resume(tree).messages.map((message) => message.text).join('\n'), text);
    if (intent && !intent.action && !about.has(intent.id) && !answering && !claimedByStepWords) {
      if (inStepWords) return this.explainStep(state, tree, content.phrases.inThisStep);
      // "Actually it just stopped with Cannot Restore Backup": a new problem with a walk-through of
      // its own, told rather than asked, is walked through; asked about, it is answered beside this one.
      const newProblem = !asking && intent.tree !== undefined && intent.tree !== tree.tree;
      return newProblem ? this.startTopic(reset(state), intent, text) : this.sideQuestion(state, tree, intent, text);
    }
    const ownSubject = intent && !intent.action && about.has(intent.id) && !this.topicsOf(tree.tree).includes(intent.id);
    // A question is never read loosely as an answer: "how do I restart it with no home button" is not "no".
    if (reading && readsLoosely(reading) && !asking) return this.advance(state, engine.choose(tree, reading.index));
    if (intent?.action && SMALL_TALK.has(intent.action)) return this.act(state, intent);
    // A question on this step's own subject, even one the recogniser is unsure of: answered, and the step's question asked again.
    const subject = ownSubject ? intent : asking ? this.unsureAbout(recognition, engine.aboutAt(tree)) : undefined;
    if (subject) {
      return { state: { ...state, misses: 0 }, replies: [{ text: subject.answer }, this.question(tree)], events: [{ kind: 'asked', topic: subject.id }, { kind: 'answered', topic: subject.id }] };
    }
    // "What do you mean, stable?": a question with the step's own words is about the step, not out of scope.
    if (inStepWords) return this.explainStep(state, tree, content.phrases.inThisStep);
    if (asking && reading && reading.score >= LOOSE_READING) return this.reprompt(state, text);
    // A question the out-of-scope class only half-claims may be outside the bot ("who painted the
    // Mona Lisa?") or about the step ("and how am I supposed to check that?"): the scope is said,
    // and the whole step given again, whose instructions may be the answer.
    if (asking && recognition.verdict === 'out_of_scope' && recognition.confidence < content.recognizer.threshold) {
      return this.reprompt(state, text, content.phrases.unsureInTree);
    }
    if (intent?.action === 'none' || recognition.verdict === 'out_of_scope') {
      const misses = state.misses + 1;
      const question = this.question(tree);
      const choices = [...(question.choices ?? []), ...(misses >= 2 ? [content.phrases.handoffChoice] : [])];
      return { state: { ...state, misses }, replies: [{ text: content.phrases.outOfScopeInTree }, { ...question, choices }], events: [unplacedInTree(tree, text)] };
    }
    return this.reprompt(state, text);
  }

  /**
   * "Tried the other backups and the wifi's fine": two answers in one message, each to the step it
   * reaches. Only when every part reads surely as an answer to the step open at that point, so a
   * side question or an aside in one of them is never dropped. The customer sees the step reached.
   * After the first, a part that reads only as a plain yes or no ("tried another, same error")
   * says the first answer again; only words about the next step's subject answer it.
   */
  private severalAnswers(state: ConversationState, tree: TreeState, parts: readonly string[]): Outcome | undefined {
    let outcome: Outcome | undefined;
    const events: InsightEvent[] = [];
    for (const part of parts) {
      const at = outcome ? outcome.state.tree : tree;
      const reading = at && !QUESTION.test(part) ? this.read(at, part) : null;
      if (!at || !reading || reading.score < SURE_READING) return undefined;
      if (outcome && reading.plain) return undefined;
      outcome = this.advance(outcome?.state ?? state, this.deps.engine.choose(at, reading.index));
      events.push(...(outcome.events ?? []));
    }
    return outcome && { ...outcome, events };
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
    const there = this.read(previous.state, meant);
    const here = this.read(tree, meant);
    const given = tree.path[previous.state.path.length]?.answer;
    if (!there || there.score < SURE_READING || engine.choicesAt(previous.state)[there.index]?.label === given) return undefined;
    if (here && here.score >= there.score) return undefined;
    const outcome = this.advance({ ...state, tree: previous.state }, engine.choose(previous.state, there.index));
    return { ...outcome, replies: [{ text: content.phrases.answerChanged }, ...outcome.replies] };
  }

  /**
   * "Moved next to the router and it worked!", "restarted it, no luck": one clause answers, the others only tell how. The
   * answer counts when no other clause asks, reads as an answer, or names a topic or command of its
   * own, so nothing the customer reports is lost. Never across a contrast: in "it worked but now it's
   * stuck at 50%" the news is after the "but", and no clause of it names a topic surely.
   */
  private answerAmidAsides(state: ConversationState, tree: TreeState, parts: readonly string[]): Outcome | undefined {
    // "Yep, did that" only says the step was done: in "yep did that, still broken" its "yep" is no answer.
    const doing = parts.map((part) => this.deps.reportsDoing(this.deps.engine.choicesAt(tree), part));
    const readings = parts.map((part, index) => (QUESTION.test(part) || doing[index] ? null : this.read(tree, part)));
    const answers = readings.filter((reading) => reading && reading.score >= SURE_READING);
    const answer = answers.length === 1 ? answers[0] : undefined;
    if (!answer) return undefined;
    const aside = (part: string, index: number): boolean => {
      if (readings[index] === answer || doing[index]) return true;
      if (QUESTION.test(part) || (readings[index]?.score ?? 0) >= LOOSE_READING) return false;
      const recognition = this.deps.recognize(part);
      const said = this.matched(recognition);
      return recognition.verdict === 'out_of_scope' || said?.action === 'none' || SMALL_TALK.has(said?.action ?? '');
    };
    return parts.every(aside) ? this.advance(state, this.deps.engine.choose(tree, answer.index)) : undefined;
  }

  /** Outside a walk-through: a kept one may be resumed, a fixed one re-opened, else a new topic. */
  private interpret(state: ConversationState, text: string, recognition: Recognition): Outcome {
    const { content } = this.deps;
    const intent = this.matched(recognition);
    const { suspended, reopen } = state;
    if (suspended) {
      if (intent?.action === 'resume' || (intent?.tree && intent.tree === suspended.tree)) return this.resume(state);
      const reading = this.read(suspended, text);
      if (reading && reading.score >= SURE_READING) return this.advance({ ...state, tree: suspended }, this.deps.engine.choose(suspended, reading.index));
      // Words about the kept step's own subject ("the wifi's fine") answer that step, as if never left.
      if (intent && this.deps.engine.aboutAt(suspended).includes(intent.id)) {
        const { suspended: _back, ...rest } = state;
        return this.inTree({ ...rest, tree: suspended }, suspended, text, recognition);
      }
      if (intent && !intent.action) return this.sideQuestion(state, suspended, intent, text);
    }
    if (reopen && (intent?.action === 'reopen' || (intent?.tree && intent.tree === reopen.tree) || this.readsNo(reopen, text))) {
      const reopened = this.answerNo({ ...state, tree: reopen }, reopen);
      if (reopened) return { ...reopened, replies: [{ text: content.phrases.reopened }, ...reopened.replies] };
    }
    if (intent?.action === 'resume') return { state, replies: [{ text: content.phrases.nothingToResume }, this.menu()] };
    if (intent?.action === 'reopen') return { state: reset(state), replies: [{ text: intent.answer }, this.menu()] };
    if (intent?.action && intent.action !== 'none') return this.act(state, intent);
    // Two questions in one message often leave the whole between their two topics ("ambiguous"):
    // the leader still names one of the clauses' topics.
    const leader = intent ?? (recognition.verdict === 'ambiguous' ? content.intentById.get(recognition.candidates[0]?.intent ?? '') : undefined);
    const several = leader && !leader.action ? this.severalQuestions(state, text, leader) : undefined;
    if (several) return several;
    if (intent) return this.startTopic(reset(state), intent, text);
    return this.fallback(state, recognition, text);
  }

  /**
   * "How long does a restore take and can I use my phone meanwhile?": each clause surely a topic of
   * its own, one of them the whole message's, gets each answer, a walk-through (at most one) last so
   * its question is what stays open. Feedback is asked for the last answer only.
   */
  private severalQuestions(state: ConversationState, text: string, whole: Intent): Outcome | undefined {
    const clauses = questionClauses(text);
    if (!clauses) return undefined;
    const topics = clauses.map((clause) => ({ clause, intent: this.matched(this.deps.recognize(clause)) }));
    const ids = new Set(topics.map(({ intent }) => intent?.id));
    const sure = topics.every(({ intent }) => intent && !intent.action) && ids.size === topics.length && ids.has(whole.id);
    if (!sure || topics.filter(({ intent }) => intent?.tree).length > 1) return undefined;
    const ordered = [...topics.filter(({ intent }) => !intent?.tree), ...topics.filter(({ intent }) => intent?.tree)];
    let outcome: Outcome = { state: reset(state), replies: [], events: [] };
    for (const { clause, intent } of ordered) {
      if (!intent) continue;
      const next = this.startTopic(withoutFeedback(outcome.state), intent, clause);
      const earlier = outcome.replies.map(({ askFeedback: _only, ...reply }) => reply);
      outcome = { ...next, replies: [...earlier, ...next.replies], events: [...(outcome.events ?? []), ...(next.events ?? [])] };
    }
    return outcome;
  }

  /** The recogniser's first guess, when it is unsure but that guess is one of `topics`. */
  private unsureAbout(recognition: Recognition, topics: readonly string[]): Intent | undefined {
    const first = recognition.candidates[0];
    if (recognition.verdict === 'match' || !first || !topics.includes(first.intent)) return undefined;
    return this.deps.content.intentById.get(first.intent);
  }

  private matched(recognition: Recognition): Intent | undefined {
    return recognition.verdict === 'match' && recognition.intent ? this.deps.content.intentById.get(recognition.intent) : undefined;
  }

  private read(tree: TreeState, text: string): ChoiceReading | null {
    const reading = this.deps.readChoice(this.deps.engine.choicesAt(tree), text);
    // Between two close answers, an opening yes or no decides: "no, been at home all week".
    return reading && (reading.margin >= READING_MARGIN || reading.opensAlike) ? reading : null;
  }

  /**
   * The reading of a message set against itself is the reading of what follows the contrast, when
   * that part surely answers: in "it's plugged in and on wifi but they keep coming" the news is that
   * the alerts keep coming, not the power and Wi-Fi the step asked for.
   */
  private newsOf(tree: TreeState, text: string): ChoiceReading | null {
    const after = afterContrast(text);
    const news = after && !QUESTION.test(after) ? this.read(tree, after) : null;
    return news && news.score >= SURE_READING ? news : this.read(tree, text);
  }

  private readsNo(tree: TreeState, text: string): boolean {
    const reading = this.read(tree, text);
    return !!reading && reading.score >= SURE_READING && this.deps.engine.choicesAt(tree)[reading.index]?.means === 'no';
  }

  /** The open question's "no": the step after, as when the customer says it did not work. */
  private answerNo(state: ConversationState, tree: TreeState): Outcome | undefined {
    const index = this.deps.engine.choicesAt(tree).findIndex((choice) => choice.means === 'no');
    return index < 0 ? undefined : this.advance(state, this.deps.engine.choose(tree, index));
  }

  /** Intents whose walk-through this is: asking about them again is not a side question. */
  private topicsOf(treeId: string): string[] {
    return this.deps.content.intents.filter((intent) => intent.tree === treeId).map((intent) => intent.id);
  }

  /** Answered from the KB, and the walk-through kept with an offer to go back to it. */
  private sideQuestion(state: ConversationState, tree: TreeState, intent: Intent, said: string): Outcome {
    const { content, engine } = this.deps;
    const where = engine.whereAt(tree);
    const step = stepName(where);
    const offer = content.phrases.carryOn.replace('{tree}', where.tree).replace('{step}', step).trim();
    const { tree: _open, ...rest } = state;
    return {
      state: { ...rest, suspended: tree, lastIntent: intent.id, offered: [], misses: 0, fallbacks: 0 },
      replies: [...restoreEstimate(intent, said, content.phrases.sizeEstimate), { text: intent.answer }, { text: offer, choices: [content.phrases.carryOnChoice] }],
      events: [{ kind: 'asked', topic: intent.id }, { kind: 'answered', topic: intent.id }],
    };
  }

  private resume(state: ConversationState): Outcome {
    const { suspended, ...rest } = state;
    if (!suspended) return { state, replies: [{ text: this.deps.content.phrases.nothingToResume }, this.menu()] };
    return this.advance({ ...rest, tree: suspended }, this.deps.engine.resume(suspended));
  }

  /** "Where were we?" inside an open step: the whole step again, its instructions with its question. */
  private restate(state: ConversationState, tree: TreeState): Outcome {
    return { state, replies: this.deps.engine.resume(tree).messages.map(toReply) };
  }

  private question(tree: TreeState): Reply {
    return toReply(this.deps.engine.question(tree));
  }

  private act(state: ConversationState, intent: Intent): Outcome {
    const { phrases } = this.deps.content;
    switch (intent.action) {
      case 'cancel':
        return state.tree
          ? { state: reset(state), replies: [{ text: phrases.treeCancelled }], events: ENDED }
          : { state: reset(state), replies: [{ text: phrases.nothingToCancel }], events: ENDED };
      case 'restart':
        return { state: reset(state), replies: [{ text: intent.answer }, this.menu()], events: ENDED };
      case 'help':
        return { state: { ...state, fallbacks: 0 }, replies: [{ text: intent.answer }, this.menu()] };
      case 'handoff': {
        const at = state.tree ?? state.suspended;
        const where = at ? { tree: at.tree, node: at.node } : {};
        const events: InsightEvent[] = [{ kind: 'handedOff', reason: 'customer_asked', ...(state.lastIntent ? { topic: state.lastIntent } : {}), ...where }];
        return { state: { ...reset(state), lastIntent: intent.id }, replies: [{ text: intent.answer }], handoff: 'customer_asked', events };
      }
      case 'goodbye':
        return { state: reset(state), replies: [{ text: intent.answer }], events: ENDED };
      case 'back':
        return this.back(state, intent);
      case 'explain':
        return this.explain(state, intent);
      case 'progress':
        return this.progress(state, intent);
      default:
        return { state: { ...state, fallbacks: 0 }, replies: [{ text: intent.answer }, ...this.stillAsking(state)] };
    }
  }

  /**
   * "Go back": a mis-tapped answer undone. Inside a walk-through the step answered last is asked
   * again; after one that closed on "yes, it worked", its last step; after a side question, the
   * kept step. The insights keep what was reached: going back is not a new step.
   */
  private back(state: ConversationState, intent: Intent): Outcome {
    const { engine, content } = this.deps;
    if (!state.tree && state.suspended) return this.resume(state);
    const step = state.tree ? engine.back(state.tree) : state.reopen ? engine.resume(state.reopen) : undefined;
    if (step?.status !== 'waiting') return { state, replies: [{ text: content.phrases.nothingToGoBack }, state.tree ? this.question(state.tree) : this.menu()] };
    const { reopen: _undone, ...rest } = state;
    return { state: { ...rest, tree: step.state, misses: 0 }, replies: [{ text: intent.answer }, ...step.messages.map(toReply)] };
  }

  /**
   * "What do you mean?", "how do I check that?", "no idea": inside a walk-through the whole step
   * again, what to do before what it asks, with a person beside its answers (read as "no", "I
   * don't understand" moved a customer on past a step never done); after an answer, which part
   * is unclear or a person, since the same words again would not help; before anything, what the
   * bot can do.
   */
  private explain(state: ConversationState, intent: Intent): Outcome {
    const { content } = this.deps;
    const { phrases } = content;
    if (state.tree) return this.explainStep(state, state.tree, intent.answer);
    if (state.lastIntent) return { state, replies: [{ text: phrases.unclearAnswer, choices: [phrases.handoffChoice] }] };
    const help = content.intents.find((item) => item.action === 'help');
    return { state, replies: [...(help ? [{ text: help.answer }] : []), this.menu()] };
  }

  /**
   * "How many steps are left?": where the customer is and how many questions may follow, then the
   * open question again, or, for a walk-through kept during a side question, the offer to carry on.
   */
  private progress(state: ConversationState, intent: Intent): Outcome {
    const { engine, content } = this.deps;
    const tree = state.tree ?? state.suspended;
    if (!tree) return { state, replies: [{ text: content.phrases.nothingToResume }, this.menu()] };
    const where = engine.whereAt(tree);
    // The title is set off by commas inside the sentence: "at step 2, Wi-Fi, of the … steps".
    const step = where.title ? `${stepName(where)},` : stepName(where);
    const here = intent.answer.replace('{step}', step).replace('{tree}', where.tree).trim();
    const told = `${here} ${content.phrases.questionsLeft.replace('{left}', String(engine.questionsLeft(tree)))}`;
    return { state, replies: state.tree ? [{ text: told }, this.question(tree)] : [{ text: told, choices: [content.phrases.carryOnChoice] }] };
  }

  /** The whole open step again after `lead`, with a person beside its answers; counted for the insights. */
  private explainStep(state: ConversationState, tree: TreeState, lead: string): Outcome {
    const { engine, content } = this.deps;
    const step = engine.resume(tree).messages.map(toReply);
    const asked = step.at(-1);
    const choices = [...(asked?.choices ?? []), content.phrases.handoffChoice].filter((choice, index, all) => all.indexOf(choice) === index);
    const replies = asked ? [...step.slice(0, -1), { ...asked, choices }] : step;
    return { state, replies: [{ text: lead }, ...replies], events: [{ kind: 'explained', tree: tree.tree, node: tree.node }] };
  }

  /** After small talk inside a tree, the open question is asked again so the customer can carry on. */
  private stillAsking(state: ConversationState): Reply[] {
    return state.tree ? [this.question(state.tree)] : [];
  }

  private startTopic(state: ConversationState, intent: Intent, said = ''): Outcome {
    if (intent.action) return this.act(state, intent);
    const asked: InsightEvent = { kind: 'asked', topic: intent.id };
    const estimate = restoreEstimate(intent, said, this.deps.content.phrases.sizeEstimate);
    if (intent.tree) {
      const started: ConversationState = { ...state, lastIntent: intent.id, ...(said ? { askedText: this.kept(said) } : {}) };
      const outcome = this.advance(started, this.deps.engine.start(intent.tree), intent.tree);
      return { ...outcome, replies: [...estimate, ...outcome.replies], events: [asked, ...(outcome.events ?? [])] };
    }
    const followUps = intent.followUps.map((id) => this.deps.content.intentById.get(id)).filter((item): item is Intent => item !== undefined);
    const reply: Reply = { text: intent.answer, ...(followUps.length > 0 ? { choices: followUps.map((item) => item.title) } : {}), askFeedback: true };
    const feedback: FeedbackFor = { topic: intent.id, ...(said ? { question: this.kept(said) } : {}) };
    return {
      state: { ...state, lastIntent: intent.id, offered: followUps.map((item) => item.id), feedback },
      replies: [...estimate, reply],
      events: [asked, { kind: 'answered', topic: intent.id }],
    };
  }

  /** `started` names the tree when the step starts one (the state has no open tree yet). */
  private advance(state: ConversationState, step: StepResult, started?: string): Outcome {
    const replies = step.messages.map(toReply);
    const treeName = state.tree?.tree ?? started ?? '';
    const events = reachedIn(state.tree, treeName, step);
    if (step.status === 'waiting') {
      const { suspended: _resumed, reopen: _gone, ...rest } = state;
      return { state: { ...rest, tree: step.state, misses: 0, fallbacks: 0, offered: [] }, replies, events };
    }
    const { tree: _finished, suspended: _kept, reopen: _old, askedText, ...rest } = state;
    const node = state.tree?.node ?? step.path.at(-1)?.node ?? '';
    const topic = state.lastIntent ? { topic: state.lastIntent } : {};
    const fixedAt = step.outcome === 'closed' && state.tree && this.saidYes(state.tree, step.path) ? state.tree : undefined;
    const closed: ConversationState = { ...rest, misses: 0, fallbacks: 0, offered: [], ...(fixedAt ? { reopen: fixedAt } : {}) };
    if (step.outcome === 'closed') {
      const feedback: FeedbackFor | undefined = state.lastIntent ? { topic: state.lastIntent, tree: treeName, ...(askedText ? { question: askedText } : {}) } : undefined;
      const ended: InsightEvent[] = [{ kind: 'finished', tree: treeName, node, resolved: fixedAt !== undefined }, ...(state.lastIntent ? [{ kind: 'answered' as const, topic: state.lastIntent }] : [])];
      // The walk-through's last words ask whether it helped; the steps before it never do.
      const asking = replies.map((reply, index) => (feedback && index === replies.length - 1 ? { ...reply, askFeedback: true as const } : reply));
      return { state: { ...closed, ...(feedback ? { feedback } : {}) }, replies: asking, events: [...events, ...ended] };
    }
    const handedOff: InsightEvent = { kind: 'handedOff', reason: 'tree_handoff', ...topic, tree: treeName, node };
    if (!state.tree) return { state: closed, replies, handoff: 'tree_handoff', events: [...events, handedOff] };
    return { state: closed, replies, handoff: 'tree_handoff', finishedTree: { tree: state.tree.tree, path: step.path }, events: [...events, handedOff] };
  }


  /** The walk-through ended on a "yes" to its question (it worked), not on declining a person. */
  private saidYes(tree: TreeState, path: TreeState['path']): boolean {
    const answer = path.findLast((step) => step.node === tree.node)?.answer;
    return this.deps.engine.choicesAt(tree).some((choice) => choice.label === answer && choice.means === 'yes');
  }

  private reprompt(state: ConversationState, text: string, apology?: string): Outcome {
    const { engine, content } = this.deps;
    const tree = state.tree;
    if (!tree) return { state, replies: [] };
    const choices = engine.choicesAt(tree).map((choice) => choice.label);
    const misses = state.misses + 1;
    const offerPerson = misses >= 2 ? [content.phrases.handoffChoice] : [];
    // A question the bot cannot place ("how do I even check that?") gets the whole step again, whose
    // instructions are the best answer it has; anything else gets the open question in words, for
    // customers who type rather than look for buttons.
    const asking = QUESTION.test(text);
    const step = (asking ? engine.resume(tree).messages[0] : undefined) ?? engine.question(tree);
    const sorry = apology ?? (asking ? content.phrases.notUnderstoodQuestion : content.phrases.notUnderstoodChoice);
    const replies: Reply[] = [{ text: sorry }, { text: step.text, choices: [...choices, ...offerPerson] }];
    return { state: { ...state, misses }, replies, events: [unplacedInTree(tree, text)] };
  }

  private fallback(state: ConversationState, recognition: Recognition, text: string): Outcome {
    const { content } = this.deps;
    const why = recognition.verdict === 'ambiguous' ? 'ambiguous' : recognition.verdict === 'out_of_scope' ? 'out_of_scope' : 'unsure';
    const unplaced: InsightEvent = { kind: 'unplaced', why, text };
    const { phrases } = content;
    const fallbacks = state.fallbacks + 1;
    const topics = recognition.candidates
      .map((candidate) => content.intentById.get(candidate.intent))
      .filter((intent): intent is Intent => intent !== undefined && !intent.action)
      .slice(0, recognition.verdict === 'ambiguous' ? 2 : content.recognizer.suggestions);

    // "Hola, necesito ayuda": topics guessed from the one word known ("iphone") would be noise; the
    // customer is told the bot did not understand, in which language it helps, and shown the menu.
    const { coverage, unknown } = recognition.explanation;
    if (coverage < MOSTLY_UNKNOWN && unknown.length >= 2 && fallbacks < 2) {
      return { state: { ...state, fallbacks, offered: [] }, replies: [{ text: phrases.unknownWords }, this.menu()], events: [unplaced] };
    }
    if (recognition.verdict !== 'out_of_scope' && topics.length > 0) {
      const question = recognition.verdict === 'ambiguous' ? phrases.ambiguous : phrases.unsure;
      const extra = recognition.verdict === 'ambiguous' ? phrases.somethingElseChoice : phrases.handoffChoice;
      return {
        state: { ...state, fallbacks: recognition.verdict === 'ambiguous' ? state.fallbacks : fallbacks, offered: topics.map((intent) => intent.id) },
        replies: [{ text: question, choices: [...topics.map((intent) => intent.title), extra] }],
        events: [unplaced],
      };
    }
    if (fallbacks >= 2) {
      const handedOff: InsightEvent = { kind: 'handedOff', reason: 'repeated_fallback', ...(state.lastIntent ? { topic: state.lastIntent } : {}) };
      return { state: { ...reset(state), fallbacks: 0 }, replies: [{ text: phrases.handoffAfterFallbacks }], handoff: 'repeated_fallback', events: [unplaced, handedOff] };
    }
    const none = content.intents.find((intent) => intent.action === 'none');
    return { state: { ...state, fallbacks, offered: [] }, replies: [{ text: none?.answer ?? phrases.outOfScope }], events: [unplaced] };
  }

  /** An agent hands the conversation back into a topic: the topic starts as if the customer asked. */
  startTopicById(state: ConversationState, intentId: string): Outcome {
    const intent = this.deps.content.intentById.get(intentId);
    if (!intent) throw new RangeError(`unknown intent '${intentId}'`);
    return this.startTopic(reset(state), intent);
  }

  /** An agent hands the conversation back at a chosen node of a tree. */
  resumeAt(state: ConversationState, treeId: string, nodeId: string): Outcome {
    return this.advance(reset(state), this.deps.engine.start(treeId, nodeId), treeId);
  }

  /**
   * Feedback from the channel's own controls (Teams' feedback loop): about the answer still
   * waiting for it, else the conversation's last topic.
   */
  channelFeedback(state: ConversationState, helpful: boolean, comment?: string): Outcome {
    const about: FeedbackFor = state.feedback ?? (state.lastIntent ? { topic: state.lastIntent } : { topic: '' });
    return this.acknowledge(withoutFeedback(state), about, helpful, comment);
  }

  /** The message answers the open feedback question: a button's label, or typed words that read as one. */
  private typedFeedback(state: ConversationState, about: FeedbackFor, text: string): Outcome | undefined {
    const { phrases } = this.deps.content;
    const said = simplify(text);
    const helpful = said === simplify(phrases.helpfulChoice) ? true : said === simplify(phrases.notHelpfulChoice) ? false : this.readFeedback(state, text);
    return helpful === undefined ? undefined : this.acknowledge(withoutFeedback(state), about, helpful);
  }

  private readFeedback(state: ConversationState, text: string): boolean | undefined {
    // After a walk-through that worked, "no, it's back" re-opens it: that reading comes first.
    if (state.reopen && this.readsNo(state.reopen, text)) return undefined;
    const reading = this.deps.readChoice(this.feedbackChoices, text);
    // A question asks rather than rates: "which backup should I use" shares a stem with "very useful".
    const sure = QUESTION.test(text) ? SURE_READING_OF_A_QUESTION : SURE_READING;
    if (!reading || reading.score < sure || reading.margin < READING_MARGIN) return undefined;
    return reading.index === 0;
  }

  /** Thanks for a yes; for a no, a way on (put it another way, a related topic, a person), never a dead end. */
  private acknowledge(state: ConversationState, about: FeedbackFor, helpful: boolean, comment?: string): Outcome {
    const { content } = this.deps;
    const topic = about.topic ? { topic: about.topic } : {};
    const unhelpful = helpful ? {} : { ...(about.question ? { text: about.question } : {}), ...(comment ? { comment } : {}) };
    const event: InsightEvent = { kind: 'feedback', helpful, ...topic, ...(about.tree ? { tree: about.tree } : {}), ...unhelpful };
    if (helpful) return { state, replies: [{ text: content.phrases.feedbackThanks }], events: [event] };
    const own = content.intentById.get(about.topic);
    const related = [...(own?.followUps ?? []), ...content.phrases.menu]
      .filter((id, index, all) => id !== about.topic && all.indexOf(id) === index)
      .map((id) => content.intentById.get(id))
      .filter((intent): intent is Intent => intent !== undefined && !intent.action)
      .slice(0, RELATED_AFTER_NOT_HELPFUL);
    return {
      state: { ...state, offered: related.map((intent) => intent.id) },
      replies: [{ text: content.phrases.feedbackSorry, choices: [...related.map((intent) => intent.title), content.phrases.handoffChoice] }],
      events: [event],
    };
  }

  menu(): Reply {
    const { content } = this.deps;
    const titles = content.phrases.menu.map((id) => content.intentById.get(id)?.title).filter((title): title is string => !!title);
    return { text: content.phrases.menuPrompt, choices: titles };
  }

  /** A click on (or the typed label or position of) a topic the bot just offered. */
  private pickOffered(state: ConversationState, text: string): Intent | undefined {
    const { content } = this.deps;
    const said = simplify(text);
    if (said === simplify(content.phrases.handoffChoice)) return content.intents.find((intent) => intent.action === 'handoff');
    if (said === simplify(content.phrases.somethingElseChoice)) return content.intents.find((intent) => intent.action === 'help');
    const position = state.offered.length > 0 ? ordinalIn(text, state.offered.length) : null;
    if (position !== null) return content.intentById.get(state.offered[position] ?? '');
    const menu = [...state.offered, ...content.phrases.menu].map((id) => content.intentById.get(id));
    return menu.find((intent) => intent && simplify(intent.title) === said);
  }
}

/** Topics offered after "not helpful", beside a person. */
const RELATED_AFTER_NOT_HELPFUL = 2;

/**
 * The question an answer answered, as much as the inbox needs of it: the state is read and written
 * every turn. It is customer text at rest, so it goes through keptText like every event's.
 */
const KEPT_QUESTION_CHARS = 200;

const ENDED: readonly InsightEvent[] = [{ kind: 'ended' }];

/** "step 2, Wi-Fi": a step as the customer is told where a walk-through stands. */
const stepName = (where: { readonly step: number; readonly title?: string }): string => (where.title ? `step ${where.step}, ${where.title}` : `step ${where.step}`);

const unplacedInTree = (tree: TreeState, text: string): InsightEvent => ({ kind: 'unplaced', why: 'in_tree', text, tree: tree.tree, node: tree.node });

/** The nodes a step showed: those it passed through, then the question it stopped at (open) or the end it reached. */
function reachedIn(before: TreeState | undefined, tree: string, step: StepResult): InsightEvent[] {
  // A resumed walk-through shows its open question again: nothing new was reached.
  if (step.status === 'waiting' && step.state === before) return [];
  // choose() adds the node answered to the path, so what is new starts after it.
  const known = before && before.tree === tree ? before.path.length + 1 : 0;
  const path = step.status === 'waiting' ? step.state.path : step.path;
  const passed: InsightEvent[] = path.slice(known).map((entry) => ({ kind: 'reached', tree, node: entry.node }));
  return step.status === 'waiting' ? [...passed, { kind: 'reached', tree, node: step.state.node, open: true }] : passed;
}

function withoutFeedback(state: ConversationState): ConversationState {
  if (!state.feedback) return state;
  const { feedback: _asked, ...rest } = state;
  return rest;
}


const toReply = (message: DialogMessage): Reply => (message.choices ? { text: message.text, choices: message.choices } : { text: message.text });

function reset(state: ConversationState): ConversationState {
  const { tree: _tree, suspended: _suspended, reopen: _reopen, askedText: _asked, ...rest } = state;
  return { ...rest, offered: [], fallbacks: 0, misses: 0 };
}
