import path from 'node:path';
import { loadContent } from '../content/load.js';
import { ContentError } from '../errors.js';
import { ChoiceReader } from '../nlu/choiceReader.js';
import { unreadableExamples } from '../nlu-eval/choiceExamples.js';

/** `npm run validate [root]`: checks kb/ and dialogs/ and prints each problem as file:line:col. */
const root = path.resolve(process.argv[2] ?? '.');
try {
  const content = loadContent(root);
  const examples = content.intents.reduce((sum, intent) => sum + intent.examples.length, 0);
  // The schema cannot see what the choice reader makes of an example; a typed answer word for word must be read as itself.
  const unreadable = unreadableExamples(content, new ChoiceReader(content));
  for (const issue of unreadable) console.error(`${issue.file}:${issue.line}:${issue.col} ${issue.message} [${issue.code}]`);
  if (unreadable.length > 0) {
    console.error(`${unreadable.length} problem(s) found`);
    process.exitCode = 1;
  } else {
    console.log(`content OK: ${content.intents.length} intents (${examples} examples), ${content.trees.size} dialog trees, ${content.synonyms.length} synonym groups`);
  }
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  console.error(error.message);
  console.error(`${error.issues.length} problem(s) found`);
  process.exitCode = 1;
}
