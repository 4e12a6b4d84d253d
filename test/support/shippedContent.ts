import path from 'node:path';
import { Moves } from '../../src/bot/moves.js';
import { initialState, type ConversationState } from '../../src/bot/state.js';
import { loadContent } from '../../src/content/load.js';
import { DialogEngine, type TreeState } from '../../src/dialogs/engine.js';
import { ChoiceReader } from '../../src/nlu/choiceReader.js';
import { buildRecognizer } from '../../src/nlu/fromContent.js';

/**
 * The shipped kb/ and dialogs/ with the real recogniser and choice reader, for unit tests of the
 * readings that depend on how real messages score against real content.
 */
export const content = loadContent(path.join(import.meta.dirname, '..', '..'));
export const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
const recognizer = buildRecognizer(content);
export const reader = new ChoiceReader(content);
export const deps = {
  content,
  engine,
  recognize: (text: string) => recognizer.recognize(text),
  readChoice: reader.read.bind(reader),
  reportsDoing: reader.reportsDoing.bind(reader),
};
export const moves = new Moves(deps);

/** The Cannot Restore Backup walk-through, open at `node`. */
export function openAt(node: string): { state: ConversationState; tree: TreeState } {
  const start = engine.start('cannot_restore');
  if (start.status !== 'waiting') throw new Error('the walk-through asks nothing');
  const tree: TreeState = { ...start.state, node };
  return { state: { ...initialState(), tree }, tree };
}
