import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { assemble } from '../src/assemble.js';
import type { MessageTurn } from '../src/bot/types.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { IN_MEMORY, openSqliteStorage } from '../src/storage/sqlite/openSqliteStorage.js';

/**
 * `npx tsx scripts/reloadTime.ts [--edits 7] [--debounce 300]`: how long an edit to kb/ takes to be
 * served, as the running bot sees it. The bot is assembled in process over a temp copy of kb/ and
 * dialogs/, watching it as `npm start` does; each edit teaches a topic a wording no topic knew,
 * and the clock runs from the file write until a turn with that wording gets the topic's answer
 * (turns are sent every few milliseconds while waiting). Prints every edit, the median, and the
 * longest the event loop was held (a turn arriving during a reload waits that long at most).
 */
const { values } = parseArgs({ options: { edits: { type: 'string', default: '7' }, debounce: { type: 'string', default: '300' } } });
const POLL_MS = 5;
const GIVE_UP_MS = 30_000;
const TOPIC_FILE = 'kb/photos_in_backup.yaml';

const projectRoot = path.join(import.meta.dirname, '..');
const root = mkdtempSync(path.join(tmpdir(), 'reload-time-'));
for (const folder of ['kb', 'dialogs']) cpSync(path.join(projectRoot, folder), path.join(root, folder), { recursive: true });
const config = loadConfig({ STORAGE: 'memory', LOG_LEVEL: 'silent', CONTENT_DIR: root, CONTENT_RELOAD_DEBOUNCE_MS: values.debounce });
const storage = openSqliteStorage(IN_MEMORY);
const assembly = assemble(config, createLogger('silent'), storage);
assembly.live.watch();
const answer = assembly.content.intentById.get('photos_in_backup')?.answer.split('\n')[0] ?? '';

let turns = 0;
const ask = async (text: string): Promise<string> => {
  turns += 1;
  const turn: MessageTurn = {
    kind: 'message',
    channelId: 'webchat',
    conversationId: `reload-time-${turns}`,
    activityId: `a-${turns}`,
    channel: 'webchat',
    scope: 'personal',
    from: { id: 'customer' },
    text,
    hasAttachments: false,
  };
  return (await assembly.bot.handle(turn)).replies.map((reply) => reply.text).join('\n');
};

// Words no topic has, three new ones per edit (an edit teaches its words to the topic for good),
// so only the edit can make the wording recognised.
const NOVEL = 'quokka zeppelin marimba origami tamarind saxophone kiwano bobsleigh yodel gazebo flamingo tuba walrus accordion pelican trombone igloo kumquat narwhal ukulele zither banjo cobbler sherbet lagoon hammock mongoose ocelot paprika quiche'.split(' ');
const timings: number[] = [];
const held = monitorEventLoopDelay({ resolution: 10 });
held.enable();
for (let edit = 0; edit < Number(values.edits); edit += 1) {
  const words = NOVEL.slice(edit * 3, edit * 3 + 3);
  if (words.length < 3) throw new Error(`at most ${NOVEL.length / 3} edits`);
  const wording = `my ${words.join(' ')} photos`;
  if ((await ask(wording)).includes(answer)) throw new Error(`"${wording}" was recognised before the edit`);
  const file = path.join(root, TOPIC_FILE);
  const text = readFileSync(file, 'utf8').replace('    examples:\n', `    examples:\n      - ${wording}\n`);
  const saved = performance.now();
  writeFileSync(file, text);
  let served = false;
  while (!served && performance.now() - saved < GIVE_UP_MS) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    served = (await ask(wording)).includes(answer);
  }
  if (!served) throw new Error(`edit ${edit + 1} not served within ${GIVE_UP_MS} ms`);
  const ms = performance.now() - saved;
  timings.push(ms);
  console.log(`edit ${edit + 1}: served ${Math.round(ms)} ms after the save (generation ${assembly.live.current.number}: validation ${Math.round(assembly.live.current.validateMs)} ms, training ${Math.round(assembly.live.current.trainMs)} ms)`);
}
const sorted = [...timings].sort((a, b) => a - b);
held.disable();
console.log(`longest event-loop hold during the reloads: ${Math.round(held.max / 1e6)} ms`);
console.log(`median save-to-served over ${sorted.length} edits: ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)} ms (debounce ${config.CONTENT_RELOAD_DEBOUNCE_MS} ms)`);
assembly.live.close();
await storage.close();
rmSync(root, { recursive: true, force: true });
