import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import type { Content, DialogTree } from '../../src/content/types.js';
import { ChoiceReader } from '../../src/nlu/choiceReader.js';
import { unreadableExamples } from '../../src/nlu-eval/choiceExamples.js';

const shipped = loadContent(path.join(import.meta.dirname, '..', '..'));

/** The shipped content with one example added to a choice of cannot_restore's Wi-Fi step. */
function withExample(label: string, example: string): Content {
  const tree = shipped.trees.get('cannot_restore') as DialogTree;
  const wifi = tree.nodes.wifi!;
  const choices = wifi.choices!.map((choice) => (choice.label === label ? { ...choice, examples: [...choice.examples, example] } : choice));
  const edited: DialogTree = { ...tree, nodes: { ...tree.nodes, wifi: { ...wifi, choices } } };
  return { ...shipped, trees: new Map([...shipped.trees, ['cannot_restore', edited]]) };
}

describe('choice examples read as their own answers', () => {
  it('finds none in the shipped content', () => {
    expect(unreadableExamples(shipped, new ChoiceReader(shipped))).toEqual([]);
  });

  it('reports an example of function words only, and one nearer another choice, at the node where they are written', () => {
    const empty = withExample('Wi-Fi is slow or down', 'it is what it is');
    expect(unreadableExamples(empty, new ChoiceReader(empty))).toEqual([
      { ...shipped.trees.get('cannot_restore')!.nodes.wifi!.at, code: 'ERR_CONTENT_UNREADABLE', message: expect.stringContaining('example "it is what it is" of choice "Wi-Fi is slow or down" in node \'wifi\' reads as no answer') },
    ]);
    const misleading = withExample('Wi-Fi is slow or down', 'my wifi is fine');
    expect(unreadableExamples(misleading, new ChoiceReader(misleading))[0]?.message).toContain('reads as "No, my Wi-Fi is fine"');
  });
});
