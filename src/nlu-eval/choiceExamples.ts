import type { Content } from '../content/types.js';
import type { ContentIssue } from '../errors.js';
import type { ChoiceReader } from '../nlu/choiceReader.js';

/**
 * Choice examples the reader does not read as their own answer: one of function words only
 * ("i have them") reads as nothing, so a customer typing it word for word was asked again; one
 * nearer another choice's examples misleads. Reported at the node, where the choices are written.
 */
export function unreadableExamples(content: Content, reader: ChoiceReader): ContentIssue[] {
  const issues: ContentIssue[] = [];
  for (const tree of content.trees.values()) {
    for (const node of Object.values(tree.nodes)) {
      const choices = node.choices ?? [];
      choices.forEach((choice, index) => {
        for (const example of choice.examples) {
          const reading = reader.read(choices, example);
          if (reading?.index === index) continue;
          const readAs = reading ? `as "${choices[reading.index]?.label}"` : 'as no answer (its words say nothing the reader can use)';
          issues.push({ ...node.at, code: 'ERR_CONTENT_UNREADABLE', message: `example "${example}" of choice "${choice.label}" in node '${node.id}' reads ${readAs}` });
        }
      });
    }
  }
  return issues;
}
