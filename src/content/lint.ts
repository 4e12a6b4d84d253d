import type { ContentIssue, ErrorCode } from '../errors.js';
import type { BotFile, IntentFile, TreeFile } from './schema.js';
import type { YamlSource } from './yamlFile.js';

/**
 * Rules across files, after every file has passed its schema: references, reachability,
 * dead ends and duplicate examples. Each rule reports every problem it finds; none stops early.
 */
export function lintContent(
  intentFiles: readonly YamlSource<IntentFile>[],
  treeFiles: readonly YamlSource<TreeFile>[],
  botFiles: readonly YamlSource<BotFile>[],
): ContentIssue[] {
  return [
    ...botFiles.flatMap((source) => checkMenu(source, intentIdsOf(intentFiles))),
    ...checkIntentIds(intentFiles),
    ...checkDuplicateExamples(intentFiles),
    ...checkTreeIds(treeFiles),
    ...checkIntentReferences(intentFiles, treeFiles),
    ...treeFiles.flatMap((source) => checkTree(source, intentIdsOf(intentFiles))),
    ...checkTreesAreUsed(intentFiles, treeFiles),
  ];
}

const issue = (at: { file: string; line: number; col: number }, code: ErrorCode, message: string): ContentIssue => ({ ...at, code, message });

const intentIdsOf = (files: readonly YamlSource<IntentFile>[]): Set<string> =>
  new Set(files.flatMap((source) => source.data.intents.map((intent) => intent.id)));

/** Examples are compared as a customer would type them: case, punctuation and spacing do not count. */
const exampleKey = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function checkIntentIds(files: readonly YamlSource<IntentFile>[]): ContentIssue[] {
  const seen = new Map<string, string>();
  const issues: ContentIssue[] = [];
  for (const source of files) {
    source.data.intents.forEach((intent, index) => {
      const at = source.at(['intents', index, 'id']);
      const first = seen.get(intent.id);
      if (first) issues.push(issue(at, 'ERR_CONTENT_DUPLICATE', `intent '${intent.id}' is already defined at ${first}`));
      else seen.set(intent.id, `${at.file}:${at.line}:${at.col}`);
    });
  }
  return issues;
}

function checkDuplicateExamples(files: readonly YamlSource<IntentFile>[]): ContentIssue[] {
  const owner = new Map<string, { intent: string; where: string }>();
  const issues: ContentIssue[] = [];
  for (const source of files) {
    source.data.intents.forEach((intent, index) => {
      for (const list of ['examples', 'tests'] as const) {
        intent[list].forEach((example, position) => {
          const at = source.at(['intents', index, list, position]);
          const key = exampleKey(example);
          const first = owner.get(key);
          if (!first) {
            owner.set(key, { intent: intent.id, where: `${at.file}:${at.line}:${at.col}` });
          } else if (first.intent !== intent.id) {
            issues.push(issue(at, 'ERR_CONTENT_DUPLICATE', `"${example}" is also an example of intent '${first.intent}' (${first.where})`));
          } else {
            issues.push(issue(at, 'ERR_CONTENT_DUPLICATE', `"${example}" repeats ${first.where} of the same intent`));
          }
        });
      }
    });
  }
  return issues;
}

function checkTreeIds(files: readonly YamlSource<TreeFile>[]): ContentIssue[] {
  const seen = new Map<string, string>();
  const issues: ContentIssue[] = [];
  for (const source of files) {
    const at = source.at(['id']);
    const first = seen.get(source.data.id);
    if (first) issues.push(issue(at, 'ERR_CONTENT_DUPLICATE', `tree '${source.data.id}' is already defined at ${first}`));
    else seen.set(source.data.id, `${at.file}:${at.line}:${at.col}`);
  }
  return issues;
}

function checkIntentReferences(intentFiles: readonly YamlSource<IntentFile>[], treeFiles: readonly YamlSource<TreeFile>[]): ContentIssue[] {
  const intentIds = intentIdsOf(intentFiles);
  const treeIds = new Set(treeFiles.map((source) => source.data.id));
  const issues: ContentIssue[] = [];
  for (const source of intentFiles) {
    source.data.intents.forEach((intent, index) => {
      if (intent.tree && !treeIds.has(intent.tree)) {
        issues.push(issue(source.at(['intents', index, 'tree']), 'ERR_CONTENT_REF', `unknown tree '${intent.tree}'`));
      }
      intent.followUps.forEach((followUp, position) => {
        if (!intentIds.has(followUp)) {
          issues.push(issue(source.at(['intents', index, 'followUps', position]), 'ERR_CONTENT_REF', `unknown intent '${followUp}'`));
        }
      });
    });
  }
  return issues;
}

function checkMenu(source: YamlSource<BotFile>, intentIds: ReadonlySet<string>): ContentIssue[] {
  return source.data.bot.menu.flatMap((intentId, index) =>
    intentIds.has(intentId) ? [] : [issue(source.at(['bot', 'menu', index]), 'ERR_CONTENT_REF', `unknown intent '${intentId}'`)],
  );
}

function checkTreesAreUsed(intentFiles: readonly YamlSource<IntentFile>[], treeFiles: readonly YamlSource<TreeFile>[]): ContentIssue[] {
  const used = new Set(intentFiles.flatMap((source) => source.data.intents.map((intent) => intent.tree)));
  return treeFiles
    .filter((source) => !used.has(source.data.id))
    .map((source) => issue(source.at(['id']), 'ERR_CONTENT_REF', `tree '${source.data.id}' is not started by any intent (add tree: ${source.data.id} to one)`));
}

const successorsOf = (node: TreeFile['nodes'][string]): string[] => [
  ...(node.next ? [node.next] : []),
  ...(node.choices ?? []).map((choice) => choice.next),
];

function checkTree(source: YamlSource<TreeFile>, intentIds: ReadonlySet<string>): ContentIssue[] {
  const { nodes, start } = source.data;
  const issues: ContentIssue[] = [];
  if (!nodes[start]) issues.push(issue(source.at(['start']), 'ERR_CONTENT_REF', `start node '${start}' does not exist`));

  for (const [id, node] of Object.entries(nodes)) {
    if (node.answer && !intentIds.has(node.answer)) {
      issues.push(issue(source.at(['nodes', id, 'answer']), 'ERR_CONTENT_REF', `unknown intent '${node.answer}'`));
    }
    node.about.forEach((topic, index) => {
      if (!intentIds.has(topic)) issues.push(issue(source.at(['nodes', id, 'about', index]), 'ERR_CONTENT_REF', `unknown intent '${topic}'`));
    });
    if (node.next && !nodes[node.next]) {
      issues.push(issue(source.at(['nodes', id, 'next']), 'ERR_CONTENT_REF', `unknown node '${node.next}'`));
    }
    for (const check of ['elapsed', 'age'] as const) {
      for (const side of ['within', 'beyond'] as const) {
        const label = node[check]?.[side];
        if (label !== undefined && !node.choices?.some((choice) => choice.label === label)) {
          issues.push(issue(source.at(['nodes', id, check, side]), 'ERR_CONTENT_REF', `no choice of this node is labelled '${label}'`));
        }
      }
    }
    node.choices?.forEach((choice, index) => {
      if (!nodes[choice.next]) {
        issues.push(issue(source.at(['nodes', id, 'choices', index, 'next']), 'ERR_CONTENT_REF', `unknown node '${choice.next}'`));
      }
    });
  }

  const reachable = walk([start], (id) => (nodes[id] ? successorsOf(nodes[id]) : []));
  const predecessors = new Map<string, string[]>();
  for (const [id, node] of Object.entries(nodes)) {
    for (const next of successorsOf(node)) predecessors.set(next, [...(predecessors.get(next) ?? []), id]);
  }
  const closing = Object.entries(nodes).filter(([, node]) => node.end || node.handoff).map(([id]) => id);
  const canClose = walk(closing, (id) => predecessors.get(id) ?? []);

  for (const id of Object.keys(nodes)) {
    if (!reachable.has(id)) {
      issues.push(issue(source.at(['nodes', id]), 'ERR_CONTENT_UNREACHABLE', `node '${id}' cannot be reached from start node '${start}'`));
    } else if (!canClose.has(id)) {
      issues.push(issue(source.at(['nodes', id]), 'ERR_CONTENT_DEAD_END', `node '${id}' never leads to a node with end: true or handoff: true`));
    }
  }
  return issues;
}

function walk(from: readonly string[], successors: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...from];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...successors(id));
  }
  return seen;
}
