import type { Content, Intent } from '../content/types.js';
import { ordinalIn } from '../dialogs/choiceMatcher.js';
import type { DialogEngine, DialogMessage, StepResult } from '../dialogs/engine.js';
import type { Recognition } from '../nlu/recognizer.js';
import type { ConversationState } from './state.js';
import type { HandoffRequest, Reply } from './types.js';

export interface ConversationDeps {
  readonly content: Content;
  readonly engine: DialogEngine;
  readonly recognize: (text: string) => Recognition;
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
 * Decides what to say to one customer message. Order matters: a clear answer to the open
 * question first, then global commands (cancel, start over, help, a person), then a new topic,
 * then a looser reading of the answer, and only then the fallbacks.
 */
export class Conversation {
  constructor(private readonly deps: ConversationDeps) {}

  respond(state: ConversationState, text: string): Outcome {
    const { engine } = this.deps;
    const treeState = state.tree;
    const answer = treeState ? engine.match(treeState, text) : null;
    if (treeState && answer && answer.strength !== 'overlap') return this.advance(state, engine.choose(treeState, answer.index));

    const picked = this.pickOffered(state, text);
    if (picked) return this.startTopic(reset(state), picked);

    const recognition = this.deps.recognize(text);
    const outcome = this.interpret(state, recognition, answer?.index);
    return { ...outcome, recognition, state: { ...outcome.state, lastCandidates: recognition.candidates } };
  }

  private interpret(state: ConversationState, recognition: Recognition, looseChoice: number | undefined): Outcome {
    const { content, engine } = this.deps;
    const intent = recognition.verdict === 'match' && recognition.intent ? content.intentById.get(recognition.intent) : undefined;
    if (intent?.action && intent.action !== 'none') return this.act(state, intent);
    if (intent && !(state.tree && intent.tree === state.tree.tree && looseChoice !== undefined)) {
      return this.startTopic(reset(state), intent);
    }
    if (state.tree && looseChoice !== undefined) return this.advance(state, engine.choose(state.tree, looseChoice));
    if (state.tree && recognition.verdict !== 'ambiguous') return this.reprompt(state);
    return this.fallback(state, recognition);
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
    if (!state.tree) return [];
    const choices = this.deps.engine.choicesAt(state.tree).map((choice) => choice.label);
    return choices.length > 0 ? [{ text: 'Shall we carry on where we were?', choices }] : [];
  }

  private startTopic(state: ConversationState, intent: Intent): Outcome {
    if (intent.action) return this.act(state, intent);
    const started = { ...state, lastIntent: intent.id };
    if (intent.tree) return this.advance(started, this.deps.engine.start(intent.tree));
    const followUps = intent.followUps.map((id) => this.deps.content.intentById.get(id)).filter((item): item is Intent => item !== undefined);
    const reply: Reply = followUps.length > 0 ? { text: intent.answer, choices: followUps.map((item) => item.title) } : { text: intent.answer };
    return { state: { ...started, offered: followUps.map((item) => item.id) }, replies: [reply] };
  }

  private advance(state: ConversationState, step: StepResult): Outcome {
    const replies = step.messages.map(toReply);
    if (step.status === 'waiting') return { state: { ...state, tree: step.state, misses: 0, fallbacks: 0, offered: [] }, replies };
    const { tree: _finished, ...rest } = state;
    const closed: ConversationState = { ...rest, misses: 0, fallbacks: 0, offered: [] };
    if (step.outcome === 'closed' || !state.tree) return step.outcome === 'handoff' ? { state: closed, replies, handoff: 'tree_handoff' } : { state: closed, replies };
    return { state: closed, replies, handoff: 'tree_handoff', finishedTree: { tree: state.tree.tree, path: step.path } };
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
  const { tree: _tree, ...rest } = state;
  return { ...rest, offered: [], fallbacks: 0, misses: 0 };
}
