import type { Content, DialogChoice, Intent } from '../content/types.js';
import { ordinalIn } from '../dialogs/choiceMatcher.js';
import type { DialogEngine, DialogMessage, StepResult, TreeState } from '../dialogs/engine.js';
import type { ChoiceReading } from '../nlu/choiceReader.js';
import type { Recognition } from '../nlu/recognizer.js';
import { restoreEstimate } from './restoreEstimate.js';
import type { ConversationState } from './state.js';
import type { HandoffRequest, Reply } from './types.js';

export interface ConversationDeps {
  readonly content: Content;
  readonly engine: DialogEngine;
  readonly recognize: (text: string) => Recognition;
  /** Reads a typed message as one of the open question's choices (src/nlu/choiceReader.ts). */
  readonly readChoice: (choices: readonly DialogChoice[], text: string) => ChoiceReading | null;
}

export interface Outcome {
  readonly state: ConversationState;
  readonly replies: Reply[];
  readonly handoff?: HandoffRequest['reason'];
  readonly recognition?: Recognition;
  /** The steps of a tree that just ended in a handoff node, for the agent's summary. */
  readonly finishedTree?: { readonly tree: string; readonly path: readonly { node: string; answer?: string }[] };
}

/**
 * How close a typed message must be to a choice's examples to count as that answer. A sure reading
 * wins over any topic the message also mentions; a loose one only when no other topic is clearly
 * meant. Chosen on our transcripts and tests: paraphrases of an answer score 0.3-0.7, side
 * questions and small talk under 0.2.
 */
const SURE_READING = 0.3;
const LOOSE_READING = 0.22;
/**
 * A message put as a question ("why does it need Wi-Fi?", "is it ok if I use it?") is asking, not
 * answering: it is read as an answer only when it is very close to one.
 */
const QUESTION = /\?\s*$|^\s*(why|how|what|when|where|which|who|can|could|should|would|will|is|are|do|does|am)\b/i;
const SURE_READING_OF_A_QUESTION = 0.5;
/** Small talk answered inside a walk-through, with its question asked again; commands act at once. */
const SMALL_TALK = new Set(['greet', 'thanks']);
/** A reading this close to the runner-up choice is a guess between two answers, not an answer. */
const READING_MARGIN = 0.08;

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
  constructor(private readonly deps: ConversationDeps) {}

  respond(state: ConversationState, text: string): Outcome {
    const { engine, content } = this.deps;
    const tree = state.tree;
    const exact = tree ? engine.match(tree, text) : null;
    if (tree && exact) return this.advance(state, engine.choose(tree, exact.index));
    if (!tree && state.suspended && simplify(text) === simplify(content.phrases.carryOnChoice)) return this.resume(state);

    const picked = this.pickOffered(state, text);
    if (picked) return this.startTopic(reset(state), picked);

    const recognition = this.deps.recognize(text);
    const outcome = tree ? this.inTree(state, tree, text, recognition) : this.interpret(state, text, recognition);
    return { ...outcome, recognition, state: { ...outcome.state, lastCandidates: recognition.candidates } };
  }

  private inTree(state: ConversationState, tree: TreeState, text: string, recognition: Recognition): Outcome {
    const { content, engine } = this.deps;
    const reading = this.read(tree, text);
    const asking = QUESTION.test(text);
    if (reading && reading.score >= (asking ? SURE_READING_OF_A_QUESTION : SURE_READING)) return this.advance(state, engine.choose(tree, reading.index));

    const intent = this.matched(recognition);
    if (intent?.action === 'reopen') return this.answerNo(state, tree) ?? this.reprompt(state);
    if (intent?.action === 'resume') return { state, replies: [this.question(tree)] };
    if (intent?.action && intent.action !== 'none' && !SMALL_TALK.has(intent.action)) return this.act(state, intent);

    const about = new Set([...this.topicsOf(tree.tree), ...engine.aboutAt(tree)]);
    if (intent && !intent.action && !about.has(intent.id)) return this.sideQuestion(state, tree, intent, text);
    const ownSubject = intent && !intent.action && !this.topicsOf(tree.tree).includes(intent.id);
    if (reading && reading.score >= LOOSE_READING && !(asking && ownSubject)) return this.advance(state, engine.choose(tree, reading.index));
    if (intent?.action && SMALL_TALK.has(intent.action)) return this.act(state, intent);
    if (intent && ownSubject) {
      // A question on this step's own subject: answered, and the step's question asked again.
      return { state: { ...state, misses: 0 }, replies: [{ text: intent.answer }, this.question(tree)] };
    }
    if (intent?.action === 'none' || recognition.verdict === 'out_of_scope') {
      const misses = state.misses + 1;
      const question = this.question(tree);
      const choices = [...(question.choices ?? []), ...(misses >= 2 ? [content.phrases.handoffChoice] : [])];
      return { state: { ...state, misses }, replies: [{ text: content.phrases.outOfScopeInTree }, { ...question, choices }] };
    }
    return this.reprompt(state);
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
    if (intent) return this.startTopic(reset(state), intent, text);
    return this.fallback(state, recognition);
  }

  private matched(recognition: Recognition): Intent | undefined {
    return recognition.verdict === 'match' && recognition.intent ? this.deps.content.intentById.get(recognition.intent) : undefined;
  }

  private read(tree: TreeState, text: string): ChoiceReading | null {
    const reading = this.deps.readChoice(this.deps.engine.choicesAt(tree), text);
    return reading && reading.margin >= READING_MARGIN ? reading : null;
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
    const step = where.title ? `step ${where.step}, ${where.title}` : `step ${where.step}`;
    const offer = content.phrases.carryOn.replace('{tree}', where.tree).replace('{step}', step).trim();
    const { tree: _open, ...rest } = state;
    return {
      state: { ...rest, suspended: tree, lastIntent: intent.id, offered: [], misses: 0, fallbacks: 0 },
      replies: [...restoreEstimate(intent, said, content.phrases.sizeEstimate), { text: intent.answer }, { text: offer, choices: [content.phrases.carryOnChoice] }],
    };
  }

  private resume(state: ConversationState): Outcome {
    const { suspended, ...rest } = state;
    if (!suspended) return { state, replies: [{ text: this.deps.content.phrases.nothingToResume }, this.menu()] };
    return this.advance({ ...rest, tree: suspended }, this.deps.engine.resume(suspended));
  }

  private question(tree: TreeState): Reply {
    return toReply(this.deps.engine.question(tree));
  }

  private act(state: ConversationState, intent: Intent): Outcome {
    const { phrases } = this.deps.content;
    switch (intent.action) {
      case 'cancel':
        return state.tree
          ? { state: reset(state), replies: [{ text: phrases.treeCancelled }] }
          : { state: reset(state), replies: [{ text: phrases.nothingToCancel }] };
      case 'restart':
        return { state: reset(state), replies: [{ text: intent.answer }, this.menu()] };
      case 'help':
        return { state: { ...state, fallbacks: 0 }, replies: [{ text: intent.answer }, this.menu()] };
      case 'handoff':
        return { state: { ...reset(state), lastIntent: intent.id }, replies: [{ text: intent.answer }], handoff: 'customer_asked' };
      case 'goodbye':
        return { state: reset(state), replies: [{ text: intent.answer }] };
      default:
        return { state: { ...state, fallbacks: 0 }, replies: [{ text: intent.answer }, ...this.stillAsking(state)] };
    }
  }

  /** After small talk inside a tree, the open question is asked again so the customer can carry on. */
  private stillAsking(state: ConversationState): Reply[] {
    return state.tree ? [this.question(state.tree)] : [];
  }

  private startTopic(state: ConversationState, intent: Intent, said = ''): Outcome {
    if (intent.action) return this.act(state, intent);
    const started: ConversationState = { ...state, lastIntent: intent.id };
    const estimate = restoreEstimate(intent, said, this.deps.content.phrases.sizeEstimate);
    if (intent.tree) {
      const outcome = this.advance(started, this.deps.engine.start(intent.tree));
      return { ...outcome, replies: [...estimate, ...outcome.replies] };
    }
    const followUps = intent.followUps.map((id) => this.deps.content.intentById.get(id)).filter((item): item is Intent => item !== undefined);
    const reply: Reply = followUps.length > 0 ? { text: intent.answer, choices: followUps.map((item) => item.title) } : { text: intent.answer };
    return { state: { ...started, offered: followUps.map((item) => item.id) }, replies: [...estimate, reply] };
  }

  private advance(state: ConversationState, step: StepResult): Outcome {
    const replies = step.messages.map(toReply);
    if (step.status === 'waiting') {
      const { suspended: _resumed, reopen: _gone, ...rest } = state;
      return { state: { ...rest, tree: step.state, misses: 0, fallbacks: 0, offered: [] }, replies };
    }
    const { tree: _finished, suspended: _kept, reopen: _old, ...rest } = state;
    const fixedAt = step.outcome === 'closed' && state.tree && this.saidYes(state.tree, step.path) ? state.tree : undefined;
    const closed: ConversationState = { ...rest, misses: 0, fallbacks: 0, offered: [], ...(fixedAt ? { reopen: fixedAt } : {}) };
    if (step.outcome === 'closed' || !state.tree) return step.outcome === 'handoff' ? { state: closed, replies, handoff: 'tree_handoff' } : { state: closed, replies };
    return { state: closed, replies, handoff: 'tree_handoff', finishedTree: { tree: state.tree.tree, path: step.path } };
  }

  /** The walk-through ended on a "yes" to its question (it worked), not on declining a person. */
  private saidYes(tree: TreeState, path: TreeState['path']): boolean {
    const answer = path.findLast((step) => step.node === tree.node)?.answer;
    return this.deps.engine.choicesAt(tree).some((choice) => choice.label === answer && choice.means === 'yes');
  }

  private reprompt(state: ConversationState): Outcome {
    const { engine, content } = this.deps;
    const tree = state.tree;
    if (!tree) return { state, replies: [] };
    const choices = engine.choicesAt(tree).map((choice) => choice.label);
    const misses = state.misses + 1;
    const text = content.phrases.notUnderstoodChoice;
    const offerPerson = misses >= 2 ? [content.phrases.handoffChoice] : [];
    return { state: { ...state, misses }, replies: [{ text, choices: [...choices, ...offerPerson] }] };
  }

  private fallback(state: ConversationState, recognition: Recognition): Outcome {
    const { content } = this.deps;
    const { phrases } = content;
    const fallbacks = state.fallbacks + 1;
    const topics = recognition.candidates
      .map((candidate) => content.intentById.get(candidate.intent))
      .filter((intent): intent is Intent => intent !== undefined && !intent.action)
      .slice(0, recognition.verdict === 'ambiguous' ? 2 : content.recognizer.suggestions);

    if (recognition.verdict !== 'out_of_scope' && topics.length > 0) {
      const text = recognition.verdict === 'ambiguous' ? phrases.ambiguous : phrases.unsure;
      const extra = recognition.verdict === 'ambiguous' ? phrases.somethingElseChoice : phrases.handoffChoice;
      return {
        state: { ...state, fallbacks: recognition.verdict === 'ambiguous' ? state.fallbacks : fallbacks, offered: topics.map((intent) => intent.id) },
        replies: [{ text, choices: [...topics.map((intent) => intent.title), extra] }],
      };
    }
    if (fallbacks >= 2) {
      return { state: { ...reset(state), fallbacks: 0 }, replies: [{ text: phrases.handoffAfterFallbacks }], handoff: 'repeated_fallback' };
    }
    const none = content.intents.find((intent) => intent.action === 'none');
    return { state: { ...state, fallbacks, offered: [] }, replies: [{ text: none?.answer ?? phrases.outOfScope }] };
  }

  /** An agent hands the conversation back into a topic: the topic starts as if the customer asked. */
  startTopicById(state: ConversationState, intentId: string): Outcome {
    const intent = this.deps.content.intentById.get(intentId);
    if (!intent) throw new RangeError(`unknown intent '${intentId}'`);
    return this.startTopic(reset(state), intent);
  }

  /** An agent hands the conversation back at a chosen node of a tree. */
  resumeAt(state: ConversationState, treeId: string, nodeId: string): Outcome {
    return this.advance(reset(state), this.deps.engine.start(treeId, nodeId));
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

const simplify = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

const toReply = (message: DialogMessage): Reply => (message.choices ? { text: message.text, choices: message.choices } : { text: message.text });

function reset(state: ConversationState): ConversationState {
  const { tree: _tree, suspended: _suspended, reopen: _reopen, ...rest } = state;
  return { ...rest, offered: [], fallbacks: 0, misses: 0 };
}
