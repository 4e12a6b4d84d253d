import { parseArgs } from 'node:util';
import { AppError } from '../errors.js';
import { withInsights } from './insightsStore.js';

/**
 * `npm run inbox -- [--json] [--dismiss GROUP] [--assign GROUP --topic TOPIC] [--as NAME]`: the
 * unanswered inbox of the configured store, grouped as in the console; a group can be dismissed
 * or assigned to a topic (its wordings appended to the topic's kb/ file under CONTENT_DIR).
 */
const { values } = parseArgs({
  options: { json: { type: 'boolean' }, dismiss: { type: 'string' }, assign: { type: 'string' }, topic: { type: 'string' }, as: { type: 'string', default: 'terminal' } },
});

try {
  await withInsights(async (service) => {
    if (values.dismiss) {
      await service.dismiss(values.dismiss, values.as);
      process.stdout.write(`dismissed ${values.dismiss}\n`);
      return;
    }
    if (values.assign) {
      if (!values.topic) throw new AppError('ERR_REQUEST_INVALID', '--assign needs --topic TOPIC');
      const result = await service.assign(values.assign, values.topic, values.as);
      process.stdout.write(`added ${result.added.length} example(s) to ${result.file}${result.skipped.length > 0 ? `, skipped ${result.skipped.length} already known` : ''}\n`);
      return;
    }
    const { groups, overflow } = await service.inbox();
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ groups, overflow })}\n`);
      return;
    }
    const lines = groups.flatMap((group) => [
      `${group.id}  ${String(group.count).padStart(4)}x  ${group.firstAt.slice(0, 16)} … ${group.lastAt.slice(0, 16)}  ${group.text}`,
      ...group.examples.slice(1).map((example) => `${' '.repeat(14)}- ${example}`),
      ...group.comments.map((comment) => `${' '.repeat(14)}  said: ${comment.text}`),
    ]);
    if (groups.length === 0) lines.push('The inbox is empty.');
    if (overflow > 0) lines.push(`${overflow} more message(s) did not fit in the inbox's groups.`);
    process.stdout.write(`${lines.join('\n')}\n`);
  });
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  process.stderr.write(`${error.message} [${error.code}]\n`);
  process.exitCode = 1;
}
