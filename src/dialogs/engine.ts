import type { AgeCheck, DialogChoice, DialogNode, DialogTree, ElapsedCheck } from '../content/types.js';
import { matchChoice, type MatchStrength } from './choiceMatcher.js';

/** Where a customer is in a tree, and how they got there (the handoff summary shows the path). */
export interface TreeState {
  readonly tree: string;
  readonly node: string;
  readonly path: readonly { node: string; answer?: string }[];
}

export interface DialogMessage {
  readonly text: string;
  readonly choices?: readonly string[];
}

export type StepResult =
  | { readonly status: 'waiting'; readonly state: TreeState; readonly messages: readonly DialogMessage[] }
  | { readonly status: 'ended'; readonly outcome: 'closed' | 'handoff'; readonly path: TreeState['path']; readonly messages: readonly DialogMessage[] };

/** A node chain longer than the tree has nodes can only be a loop of `next`s; content checks forbid it. */
const loopGuard = (tree: DialogTree): number => Object.keys(tree.nodes).length + 1;

/**
 * Runs YAML troubleshooting trees. Pure: (tree, state, customer's answer) → (state, messages).
 * Which tree to start, and what to do with an answer that fits no choice, is the router's call.
 */
export class DialogEngine {
  constructor(
    private readonly trees: ReadonlyMap<string, DialogTree>,
    private readonly answerOf: (intentId: string) => string | undefined,
  ) {}

  start(treeId: string, at?: string): StepResult {
    const tree = this.tree(treeId);
    const node = at ?? tree.start;
    if (!tree.nodes[node]) throw new RangeError(`tree '${treeId}' has no node '${node}'`);
    return this.enter(tree, node, []);
  }

  /** The choices the customer is being asked about, or none when the state is stale. */
  choicesAt(state: TreeState): readonly DialogChoice[] {
    return this.trees.get(state.tree)?.nodes[state.node]?.choices ?? [];
  }

  match(state: TreeState, text: string): { index: number; strength: MatchStrength } | null {
    return matchChoice(this.choicesAt(state), text);
  }

  /** Follows choice `index` of the current node. */
  choose(state: TreeState, index: number): StepResult {
    const tree = this.tree(state.tree);
    const choice = this.choicesAt(state)[index];
    if (!choice) throw new RangeError(`node '${state.node}' of tree '${state.tree}' has no choice ${index}`);
    return this.enter(tree, choice.next, [...state.path, { node: state.node, answer: choice.label }]);
  }

  /** The node the customer is at, shown again in full: going back to a walk-through a side question interrupted. */
  resume(state: TreeState): StepResult {
    const node = this.node(state);
    return { status: 'waiting', state, messages: [this.render(node)] };
  }

  /** The step answered last, asked again with the path as it was before that answer; undefined at the first question. */
  back(state: TreeState): StepResult | undefined {
    const index = state.path.findLastIndex((step) => step.answer !== undefined);
    const previous = state.path[index];
    if (!previous) return undefined;
    const before: TreeState = { tree: state.tree, node: previous.node, path: state.path.slice(0, index) };
    return { status: 'waiting', state: before, messages: [this.render(this.node(before))] };
  }

  /** Only the open question (the node's last paragraph) and its choices: asked again after a digression. */
  question(state: TreeState): DialogMessage {
    const node = this.node(state);
    const paragraphs = node.say.trim().split(/\n\s*\n/);
    const text = (paragraphs.at(-1) ?? node.say).trim();
    return { text, choices: (node.choices ?? []).map((choice) => choice.label) };
  }

  /** The tree's title, the step's title and its number among the questions asked: "step 2, Wi-Fi". */
  whereAt(state: TreeState): { tree: string; step: number; title?: string } {
    const node = this.node(state);
    const asked = state.path.filter((step) => step.answer !== undefined).length;
    return { tree: this.tree(state.tree).title, step: asked + 1, ...(node.title ? { title: node.title } : {}) };
  }

  /** Whether a yes to the open question ends the walk-through (mostly "did that fix it?"). */
  yesCloses(state: TreeState): boolean {
    return this.choicesAt(state).some((choice, index) => choice.means === 'yes' && this.closesOn(state, index));
  }

  /** Whether the answer at `index` ends the walk-through as solved ("Yes, that worked", "Found it now"). */
  closesOn(state: TreeState, index: number): boolean {
    const tree = this.trees.get(state.tree);
    const choice = this.choicesAt(state)[index];
    if (!tree || !choice) return false;
    const reached = this.enter(tree, choice.next, state.path);
    return reached.status === 'ended' && reached.outcome === 'closed';
  }

  /** Whether an answer to the open question already hands the chat to a person ("Yes, get me an agent"). */
  offersPerson(state: TreeState): boolean {
    const tree = this.trees.get(state.tree);
    if (!tree) return false;
    return this.choicesAt(state).some((choice) => {
      const reached = this.enter(tree, choice.next, state.path);
      return reached.status === 'ended' && reached.outcome === 'handoff';
    });
  }

  /** How many more questions follow the open one at most: answering "no" to each, the way a walk-through goes when nothing helps. */
  questionsLeft(state: TreeState): number {
    const tree = this.tree(state.tree);
    let at = state;
    let left = 0;
    for (let steps = 0; steps < loopGuard(tree); steps += 1) {
      const no = this.choicesAt(at).find((choice) => choice.means === 'no');
      const reached = no ? this.enter(tree, no.next, at.path) : undefined;
      if (reached?.status !== 'waiting') return left;
      left += 1;
      at = reached.state;
    }
    return left;
  }

  /** How the open question reads a time against a size, if it does. */
  elapsedAt(state: TreeState): ElapsedCheck | undefined {
    return this.trees.get(state.tree)?.nodes[state.node]?.elapsed;
  }

  /** The open step's check of how long ago something last happened, if it has one. */
  ageAt(state: TreeState): AgeCheck | undefined {
    return this.trees.get(state.tree)?.nodes[state.node]?.age;
  }

  /** Whether the open step is the walk-through's first and asks what a customer may tell before it is asked (`toldUpFront`). */
  toldUpFront(state: TreeState): boolean {
    const tree = this.trees.get(state.tree);
    return tree?.start === state.node && tree.nodes[state.node]?.toldUpFront === true;
  }

  /** The topics the open question is about, beyond the tree's own. */
  aboutAt(state: TreeState): readonly string[] {
    return this.trees.get(state.tree)?.nodes[state.node]?.about ?? [];
  }

  private enter(tree: DialogTree, nodeId: string, path: TreeState['path']): StepResult {
    const messages: DialogMessage[] = [];
    let trail = path;
    let node: DialogNode | undefined = tree.nodes[nodeId];
    for (let steps = 0; node && steps < loopGuard(tree); steps += 1) {
      messages.push(this.render(node));
      if (node.choices) {
        return { status: 'waiting', state: { tree: tree.id, node: node.id, path: trail }, messages };
      }
      if (node.end || node.handoff) {
        return { status: 'ended', outcome: node.handoff ? 'handoff' : 'closed', path: [...trail, { node: node.id }], messages };
      }
      trail = [...trail, { node: node.id }];
      node = node.next ? tree.nodes[node.next] : undefined;
    }
    throw new RangeError(`tree '${tree.id}' does not reach a question or a closing node from '${nodeId}'`);
  }

  private render(node: DialogNode): DialogMessage {
    const answer = node.answer ? this.answerOf(node.answer) : undefined;
    const text = answer ? `${answer.trim()}\n\n${node.say.trim()}` : node.say.trim();
    return node.choices ? { text, choices: node.choices.map((choice) => choice.label) } : { text };
  }

  private node(state: TreeState): DialogNode {
    const node = this.tree(state.tree).nodes[state.node];
    if (!node) throw new RangeError(`tree '${state.tree}' has no node '${state.node}'`);
    return node;
  }

  private tree(treeId: string): DialogTree {
    const tree = this.trees.get(treeId);
    if (!tree) throw new RangeError(`unknown tree '${treeId}'`);
    return tree;
  }
}
