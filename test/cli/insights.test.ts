import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { conversation, startBot } from '../support/botServer.js';
import { tempDir } from '../support/processes.js';

/**
 * `npm run insights` and `npm run inbox` as processes (through tsx, no build step) over a file
 * store that the real server filled, as an operator runs them beside the bot.
 */
const projectRoot = path.join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
let dataDir: string;
let cwd: string;

beforeAll(async () => {
  dataDir = tempDir('insights-data-');
  cwd = tempDir('insights-cli-');
  const storage = openSqliteStorage(path.join(dataDir, 'bot.sqlite'));
  const bot = await startBot({}, { storage, now: () => Date.parse('2026-03-01T10:00:00.000Z') });
  await conversation(bot).say('=HYPERLINK("http://evil.test") will it rain in Paris');
  await conversation(bot).say('it keeps saying cannot restore backup');
  await bot.close();
  await storage.close();
}, 60_000);
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

async function cli(name: 'insights' | 'inbox', ...args: string[]): Promise<string> {
  const loader = pathToFileURL(path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const { stdout } = await run(process.execPath, ['--disable-warning=DEP0111', '--import', loader, path.join(projectRoot, 'src', 'cli', `${name}.ts`), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', STORAGE: 'file', DATA_DIR: dataDir, CONTENT_DIR: projectRoot },
  });
  return stdout;
}

describe('npm run insights', () => {
  it('prints exactly one JSON object with topics, nodes and unanswered messages', async () => {
    const output = await cli('insights', '--json');
    expect(output.trim().split('\n')).toHaveLength(1);
    const insights = JSON.parse(output);
    expect(Object.keys(insights)).toEqual(['topics', 'nodes', 'unanswered']);
    expect(insights.topics.find((topic: { id: string }) => topic.id === 'cannot_restore')).toEqual({ id: 'cannot_restore', title: expect.any(String), asked: 1, answered: 0, helpful: 0, notHelpful: 0, handoffs: 0, handedBack: 0, closedByAgent: 0, withdrawn: 0, timedOut: 0 });
    // The customer left at the first question months before the report runs: abandoned there.
    expect(insights.nodes).toContainEqual({ tree: 'cannot_restore', node: 'intro', reached: 1, resolved: 0, handedOff: 0, abandoned: 1, explained: 0 });
    expect(insights.unanswered).toEqual([{ text: '=HYPERLINK("http://evil.test") will it rain in Paris', count: 1, lastAt: '2026-03-01T10:00:00.000Z' }]);
  }, 60_000);

  it('counts only events since --since', async () => {
    expect(JSON.parse(await cli('insights', '--json', '--since', '2026-03-02')).unanswered).toEqual([]);
  }, 60_000);

  it('writes CSV a spreadsheet cannot run as a formula', async () => {
    const output = await cli('insights', '--csv');
    expect(output).toContain('topic,title,asked,answered,helpful,notHelpful,handoffs,handedBack,closedByAgent,withdrawn,timedOut\n');
    expect(output).toContain(`"'=HYPERLINK(""http://evil.test"") will it rain in Paris",1,2026-03-01T10:00:00.000Z`);
  }, 60_000);
});

describe('npm run inbox', () => {
  it('lists the groups, and dismisses one by its id', async () => {
    const { groups } = JSON.parse(await cli('inbox', '--json'));
    expect(groups).toEqual([expect.objectContaining({ text: '=HYPERLINK("http://evil.test") will it rain in Paris', count: 1 })]);
    expect(await cli('inbox')).toContain(groups[0].id);
    expect(await cli('inbox', '--dismiss', groups[0].id)).toBe(`dismissed ${groups[0].id}\n`);
    expect(JSON.parse(await cli('inbox', '--json')).groups).toEqual([]);
  }, 120_000);
});
