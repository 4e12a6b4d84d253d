import { createRequire } from 'node:module';

/**
 * natural 8's top-level module loads dotenv (printing to stdout and reading ./.env) and its storage
 * back-ends; the recogniser needs none of that, so it requires the few submodules it uses.
 */
const require = createRequire(import.meta.url);

interface TokenizerInstance {
  tokenize(text: string): string[];
}

export const AggressiveTokenizer = require('natural/lib/natural/tokenizers/aggressive_tokenizer.js') as new () => TokenizerInstance;
export const PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(token: string): string };
export const { DamerauLevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance(source: string, target: string, options?: { restricted?: boolean }): number;
};
export const stopwords = (require('natural/lib/natural/util/stopwords.js') as { words: string[] }).words;
