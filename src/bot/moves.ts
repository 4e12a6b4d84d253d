import type { Content, Intent, IntentAction } from '../content/types.js';
import type { DialogEngine, StepResult, TreeState } from '../dialogs/engine.js';
import type { InsightEvent } from '../insights/events.js';
import { keptText } from '../insights/recorder.js';
import type { Recognition } from '../nlu/recognizer.js';
import { QUESTION } from './messageShape.js';
import { askedAndAnswered, ENDED, reachedIn, reset, stepName, toReply, unplacedInTree, type Outcome } from './outcome.js';
import { restoreEstimate } from './restoreEstimate.js';
import type { ConversationState, FeedbackFor } from './state.js';
import type { Reply } from './types.js';

/** How sure, and how far above the next, a guess short of a match must be to be taken for what a message means. */
const CLEAR_LEADER = 0.45;
const ABOVE_THE_REST = 0.15;
/** How sure the recogniser must be of a topic, among its first two guesses, to lean to it (see leanedTo). */
export const LEANS_TO = 0.5;

/** Small talk answered inside a walk-through, with its question asked again; commands act at once. */
export const SMALL_TALK: ReadonlySet<string> = new Set(['greet', 'thanks', 'frustration', 'describe']);

export interface MovesDeps {
  readonly content: Content;
  readonly engine: DialogEngine;
  /** Masks personal data (REDACT_PII) in the question kept in the state for feedback. */
  readonly redact?: (text: string) => string;
}

/**
 * Below this share of known words, with two or more unknown ones, a message is mostly words the bot
 * has never seen: "hola necesito ayuda con mi iphone" 0.24, German 0.39, gibberish 0; an English
 * question outside the domain keeps most of its words ("who painted the mona lisa" 0.47).
 */
const MOSTLY_UNKNOWN = 0.4;

/**
 * What a read message leads to (conversation.ts decides which): a step of a walk-through, a topic
 * answered or started, a side question with the walk-through kept, a command (cancel, go back,
 * explain, how many steps are left, a person), the step asked again, or the fallback when nothing
 * was understood. Each returns the next state, the replies and the events for the insights.
 */
export class Moves {
  constructor(private readonly deps: MovesDeps) {}

  /** Answered from the KB, and the walk-through kept with an offer to go back to it. */
  sideQuestion(state: ConversationState, tree: TreeState, intent: Intent, said: string): Outcome {
    const { content } = this.deps;
    const offer = this.carryOnOffer(tree);
    const { tree: _open, ...rest } = state;
    return {
      state: { ...rest, suspended: tree, lastIntent: intent.id, offered: [], misses: 0, fallbacks: 0 },
      replies: [...restoreEstimate(intent, said, content.phrases.sizeEstimate), { text: intent.answer }, { text: offer, choices: [content.phrases.carryOnChoice] }],
      events: askedAndAnswered(intent.id),
    };
  }

  private carryOnOffer(tree: TreeState): string {
    const where = this.deps.engine.whereAt(tree);
    return this.deps.content.phrases.carryOn.replace('{tree}', where.tree).replace('{step}', stepName(where)).trim();
  }

  resume(state: ConversationState): Outcome {
    const { suspended, ...rest } = state;
    if (!suspended) return { state, replies: [{ text: this.deps.content.phrases.nothingToResume }, this.menu()] };
    return this.advance({ ...rest, tree: suspended }, this.deps.engine.resume(suspended));
  }

  /**
   * A bare yes or no outside a walk-through answers what the bot last asked: "shall we carry on?"
   * (a kept walk-through), else "anything else?", which every answer and welcome ends on in effect.
   */
  bareAnswer(state: ConversationState, means: 'yes' | 'no'): Outcome {
    const { phrases } = this.deps.content;
    const { suspended } = state;
    if (suspended && means === 'yes') return this.resume(state);
    if (suspended) return { state, replies: [{ text: phrases.leftForLater.replace('{tree}', this.deps.engine.whereAt(suspended).tree) }] };
    return means === 'yes' ? { state, replies: [{ text: phrases.goAhead }, this.menu()] } : { state, replies: [{ text: phrases.nothingElse }] };
  }

  /** "Where were we?" inside an open step: the whole step again, its instructions with its question. */
  restate(state: ConversationState, tree: TreeState): Outcome {
    return { state, replies: this.deps.engine.resume(tree).messages.map(toReply) };
  }

  question(tree: TreeState): Reply {
    return toReply(this.deps.engine.question(tree));
  }

  act(state: ConversationState, intent: Intent): Outcome {
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
      case 'frustration':
        return this.soothe(state, intent);
      case 'thanks':
        // Inside a walk-through a thank-you is no goodbye: "anything else?" would ask past the open step.
        return state.tree
          ? { state: { ...state, fallbacks: 0 }, replies: [{ text: phrases.welcomeInTree }, this.question(state.tree)] }
          : { state: { ...state, fallbacks: 0 }, replies: [{ text: intent.answer }] };
      case 'describe':
        // "It's not working" inside a walk-through is an answer the step could not place; outside
        // one, the customer is asked what they see, with the most common problems to pick from.
        return state.tree
          ? { state, replies: [{ text: phrases.notUnderstoodChoice }, this.question(state.tree)] }
          : { state: { ...state, fallbacks: 0 }, replies: [{ text: intent.answer }, this.menu()] };
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
    // After a request for a person ("what am I supposed to do now"), what the bot covers: a person was
    // either just asked for or could not come, so offering one again helps nobody.
    const last = state.lastIntent ? content.intentById.get(state.lastIntent) : undefined;
    if (last && last.action !== 'handoff') return { state, replies: [{ text: phrases.unclearAnswer, choices: [phrases.handoffChoice] }] };
    const help = this.intentFor('help');
    return help ? this.act(state, help) : { state, replies: [this.menu()] };
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
  explainStep(state: ConversationState, tree: TreeState, lead: string): Outcome {
    const { engine } = this.deps;
    const step = engine.resume(tree).messages.map(toReply);
    const asked = step.at(-1);
    const replies = asked ? [...step.slice(0, -1), this.withPerson(asked, tree)] : step;
    return { state, replies: [{ text: lead }, ...replies], events: [{ kind: 'explained', tree: tree.tree, node: tree.node }] };
  }

  /**
   * "I've been at this for hours", "this is useless": sympathy, and the customer's place kept with a
   * person offered beside it. Read as a topic, venting about time moved a customer from the Cannot
   * Restore Backup steps to the slow-restore ones, and as out of scope it was told "that's outside
   * what I can help with".
   */
  private soothe(state: ConversationState, intent: Intent): Outcome {
    const { phrases } = this.deps.content;
    const lead: Reply = { text: intent.answer };
    if (state.tree) return { state, replies: [lead, this.withPerson(this.question(state.tree), state.tree)] };
    if (state.suspended) return { state, replies: [lead, { text: this.carryOnOffer(state.suspended), choices: [phrases.carryOnChoice, phrases.handoffChoice] }] };
    return { state, replies: [lead, this.withPerson(this.menu())] };
  }

  /** A question with "Talk to a person" beside its answers, unless one of them already leads to a person. */
  private withPerson(reply: Reply, tree?: TreeState): Reply {
    if (tree && this.deps.engine.offersPerson(tree)) return reply;
    const choices = [...(reply.choices ?? []), this.deps.content.phrases.handoffChoice];
    return { ...reply, choices: choices.filter((choice, index) => choices.indexOf(choice) === index) };
  }

  /** After small talk inside a tree, the open question is asked again so the customer can carry on. */
  private stillAsking(state: ConversationState): Reply[] {
    return state.tree ? [this.question(state.tree)] : [];
  }

  /** `onStart` may take a walk-through on from its first step (past the steps the customer says were done). */
  startTopic(state: ConversationState, intent: Intent, said = '', onStart: (started: Outcome) => Outcome = (started) => started): Outcome {
    if (intent.action) return this.act(state, intent);
    const asked: InsightEvent = { kind: 'asked', topic: intent.id };
    const estimate = restoreEstimate(intent, said, this.deps.content.phrases.sizeEstimate);
    if (intent.tree) {
      const started: ConversationState = { ...state, lastIntent: intent.id, ...(said ? { askedText: this.kept(said) } : {}) };
      const outcome = onStart(this.advance(started, this.deps.engine.start(intent.tree), intent.tree));
      return { ...outcome, replies: [...estimate, ...outcome.replies], events: [asked, ...(outcome.events ?? [])] };
    }
    const followUps = intent.followUps.map((id) => this.deps.content.intentById.get(id)).filter((item): item is Intent => item !== undefined);
    const reply: Reply = { text: intent.answer, ...(followUps.length > 0 ? { choices: followUps.map((item) => item.title) } : {}), askFeedback: true };
    const feedback: FeedbackFor = { topic: intent.id, ...(said ? { question: this.kept(said) } : {}) };
    return {
      state: { ...state, lastIntent: intent.id, offered: followUps.map((item) => item.id), feedback },
      replies: [...estimate, reply],
      events: askedAndAnswered(intent.id),
    };
  }

  /** `started` names the tree when the step starts one (the state has no open tree yet). */
  advance(state: ConversationState, step: StepResult, started?: string): Outcome {
    const replies = step.messages.map(toReply);
    const treeName = state.tree?.tree ?? started ?? '';
    const events = reachedIn(state.tree, treeName, step);
    if (step.status === 'waiting') {
      const { suspended: _resumed, reopen: _gone, ...rest } = state;
      return { state: { ...rest, tree: step.state, misses: 0, fallbacks: 0, offered: [] }, replies, events };
    }
    const { tree: _finished, suspended: _kept, reopen: _old, askedText, toldDone: _told, ...rest } = state;
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

  reprompt(state: ConversationState, text: string, apology?: string): Outcome {
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

  fallback(state: ConversationState, recognition: Recognition, text: string): Outcome {
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
      // "Can you help me pick a cheaper phone plan?": unsure of a topic, with the out-of-scope class
      // right behind it, the bot says what it covers before it offers its guesses.
      const outsideClose = recognition.candidates.slice(0, 2).some((candidate) => content.intentById.get(candidate.intent)?.action === 'none');
      const question = recognition.verdict === 'ambiguous' ? phrases.ambiguous : outsideClose ? phrases.unsureOutside : phrases.unsure;
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
    const none = this.intentFor('none');
    return { state: { ...state, fallbacks, offered: [] }, replies: [{ text: none?.answer ?? phrases.outOfScope }], events: [unplaced] };
  }

  /**
   * The answer that goes on along the walk-through: "no" to a fix (its "yes" ends it as fixed), "yes"
   * to anything else ("did you manage to capture it?").
   */
  answerOnwards(state: ConversationState, tree: TreeState): Outcome | undefined {
    if (this.deps.engine.yesCloses(tree)) return this.answerNo(state, tree);
    const index = this.deps.engine.choicesAt(tree).findIndex((choice) => choice.means === 'yes');
    return index < 0 ? undefined : this.advance(state, this.deps.engine.choose(tree, index));
  }

  /** The open question's "no": the step after, as when the customer says it did not work. */
  answerNo(state: ConversationState, tree: TreeState): Outcome | undefined {
    const index = this.deps.engine.choicesAt(tree).findIndex((choice) => choice.means === 'no');
    return index < 0 ? undefined : this.advance(state, this.deps.engine.choose(tree, index));
  }


  menu(): Reply {
    const { content } = this.deps;
    const titles = content.phrases.menu.map((id) => content.intentById.get(id)?.title).filter((title): title is string => !!title);
    return { text: content.phrases.menuPrompt, choices: titles };
  }

  /** The recognised intent, when the recogniser matched one. */
  /** Whether `intent` is one of the first two topics the recogniser leans to: a question's own reading that still allows the whole message's topic. */
  amongFirstTwo(recognition: Recognition, intent: Intent): boolean {
    return recognition.candidates.slice(0, 2).some((candidate) => candidate.intent === intent.id);
  }

  matched(recognition: Recognition): Intent | undefined {
    return recognition.verdict === 'match' && recognition.intent ? this.deps.content.intentById.get(recognition.intent) : undefined;
  }

  /**
   * The first of `candidates`, when it stands clear of the one after it, though short of a match:
   * "will i get my apps back after this?" leans to one topic at 0.62 with the next at 0.44.
   */
  clearLeader(candidates: Recognition['candidates']): Intent | undefined {
    const [first, next] = candidates;
    const clear = first && first.confidence >= CLEAR_LEADER && first.confidence - (next?.confidence ?? 0) >= ABOVE_THE_REST;
    return clear ? this.deps.content.intentById.get(first.intent) : undefined;
  }

  /**
   * The topics the recogniser leans to, surely or not: its first two guesses at `LEANS_TO` or above
   * ("never tried the others" may name the other-backups step however unsure the whole is).
   */
  leanedTo(recognition: Recognition): string[] {
    return recognition.candidates.slice(0, 2).filter(({ confidence }) => confidence >= LEANS_TO).map(({ intent }) => intent);
  }

  /** Intents whose walk-through this is: asking about them again is not a side question. */
  topicsOf(treeId: string): string[] {
    return this.deps.content.intents.filter((intent) => intent.tree === treeId).map((intent) => intent.id);
  }

  /** The topic with a restore rate and a walk-through of its own (a slow restore), which a time and a size told start. */
  ratedWalkThrough(): Intent | undefined {
    return this.deps.content.intents.find((intent) => intent.hoursPerGigabyte !== undefined && intent.tree !== undefined);
  }

  /** The intent behind a built-in action ("help", "handoff", "explain"); of the out-of-scope ones, the first. */
  intentFor(action: IntentAction): Intent | undefined {
    return this.deps.content.intents.find((intent) => intent.action === action);
  }

  /**
   * A customer's question as the state keeps it for feedback, the inbox and the steps it tells as
   * tried: masked, trimmed, bounded like every event's customer text. Whole up to that bound, as a
   * long first message ("…restarted it like five times, it's on our wifi, 200 GB free…") tells
   * its steps tried at the end as often as at the start.
   */
  /** The customer's words as the state keeps them: masked (REDACT_PII) and bounded. */
  kept(said: string): string {
    return keptText(this.deps.redact ? this.deps.redact(said) : said);
  }
}
