import { parseArgs } from 'node:util';
import { AppError } from '../errors.js';
import type { Insights } from '../insights/report.js';
import { csvField, withInsights } from './insightsStore.js';

/**
 * `npm run insights -- [--json | --csv] [--since DATE]`: per topic, per tree node and the
 * unanswered messages, from the configured store. --json prints exactly one JSON object; --csv
 * three tables (topics, nodes, unanswered) separated by a blank line; plain text otherwise.
 */
const { values } = parseArgs({ options: { json: { type: 'boolean' }, csv: { type: 'boolean' }, since: { type: 'string' } } });

try {
  const since = values.since === undefined ? undefined : sinceOf(values.since);
  const insights = await withInsights((service) => service.insights(since));
  process.stdout.write(values.json ? `${JSON.stringify(insights)}\n` : values.csv ? csv(insights) : text(insights));
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  process.stderr.write(`${error.message} [${error.code}]\n`);
  process.exitCode = 1;
}

function sinceOf(value: string): string {
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at)) throw new AppError('ERR_REQUEST_INVALID', `--since ${JSON.stringify(value)}: must be a date, e.g. 2026-03-01`);
  return new Date(at).toISOString();
}

function csv({ topics, nodes, unanswered }: Insights): string {
  const table = (header: string[], rows: (string | number)[][]) => [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n');
  return `${[
    table(
      ['topic', 'title', 'asked', 'answered', 'helpful', 'notHelpful', 'handoffs', 'handedBack', 'closedByAgent', 'withdrawn', 'timedOut'],
      topics.map((row) => [row.id, row.title, row.asked, row.answered, row.helpful, row.notHelpful, row.handoffs, row.handedBack, row.closedByAgent, row.withdrawn, row.timedOut]),
    ),
    table(['tree', 'node', 'reached', 'resolved', 'handedOff', 'abandoned', 'explained'], nodes.map((row) => [row.tree, row.node, row.reached, row.resolved, row.handedOff, row.abandoned, row.explained])),
    table(['text', 'count', 'lastAt'], unanswered.map((row) => [row.text, row.count, row.lastAt])),
  ].join('\n\n')}\n`;
}

function text({ topics, nodes, unanswered }: Insights): string {
  const pad = (value: string | number, width: number) => (typeof value === 'number' ? String(value).padStart(width) : value.padEnd(width));
  const lines = ['Topics                                   asked answered helpful not-helpful to-a-person handed-back closed-by-agent withdrawn timed-out'];
  for (const row of topics) {
    lines.push(`${pad(row.title.slice(0, 40), 40)} ${pad(row.asked, 5)} ${pad(row.answered, 8)} ${pad(row.helpful, 7)} ${pad(row.notHelpful, 11)} ${pad(row.handoffs, 11)} ${pad(row.handedBack, 11)} ${pad(row.closedByAgent, 15)} ${pad(row.withdrawn, 9)} ${pad(row.timedOut, 9)}`);
  }
  lines.push('', 'Walk-through steps                       reached resolved to-a-person gave-up explained');
  for (const row of nodes.filter((node) => node.reached > 0)) lines.push(`${pad(`${row.tree}/${row.node}`.slice(0, 40), 40)} ${pad(row.reached, 7)} ${pad(row.resolved, 8)} ${pad(row.handedOff, 11)} ${pad(row.abandoned, 7)} ${pad(row.explained, 9)}`);
  lines.push('', 'Not answered (npm run inbox to assign or dismiss)');
  for (const row of unanswered.slice(0, 20)) lines.push(`${pad(row.count, 5)}  ${row.text}`);
  return `${lines.join('\n')}\n`;
}
