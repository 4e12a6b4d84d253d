import path from 'node:path';
import { loadContent } from '../content/load.js';
import { ContentError } from '../errors.js';

/** `npm run validate [root]`: checks kb/ and dialogs/ and prints each problem as file:line:col. */
const root = path.resolve(process.argv[2] ?? '.');
try {
  const content = loadContent(root);
  const examples = content.intents.reduce((sum, intent) => sum + intent.examples.length, 0);
  console.log(`content OK: ${content.intents.length} intents (${examples} examples), ${content.trees.size} dialog trees, ${content.synonyms.length} synonym groups`);
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  console.error(error.message);
  console.error(`${error.issues.length} problem(s) found`);
  process.exitCode = 1;
}
