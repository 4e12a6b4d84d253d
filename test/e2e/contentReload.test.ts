import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValueStorage } from '../../src/storage/conversationStore.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { agentOnline, caseId, choicesOf, conversation, jsonOf, startBot, textOf, type RunningBot } from '../support/botServer.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { captureLogs, LEVEL, type LogLine } from '../support/logs.js';

/**
 * The real server over a temp copy of kb/ and dialogs/ as CONTENT_DIR, watched as `npm start`
 * watches it: each test edits the files and talks to the bot, which is never restarted.
 */
const projectRoot = path.join(import.meta.dirname, '..', '..');
const AGENT_TOKEN = 'agent-token-of-Ana-0123456789';
let running: { bot: RunningBot; root: string; storage?: StorageBackend } | undefined;

afterEach(async () => {
  if (!running) return;
  running.bot.assembly.live.close();
  await running.bot.close();
  await running.storage?.close();
  rmSync(running.root, { recursive: true, force: true });
  running = undefined;
});

async function startWatched(env: Record<string, string> = {}, storage?: StorageBackend) {
  const root = mkdtempSync(path.join(tmpdir(), 'reload-'));
  for (const folder of ['kb', 'dialogs']) cpSync(path.join(projectRoot, folder), path.join(root, folder), { recursive: true });
  const { logger, lines } = captureLogs();
  const bot = await startBot({ CONTENT_DIR: root, CONTENT_RELOAD_DEBOUNCE_MS: '150', ...env }, { logger, ...(storage ? { storage } : {}) });
  running = { bot, root, ...(storage ? { storage } : {}) };
  bot.assembly.live.watch();
  const edit = (file: string, change: (text: string) => string) => {
    const full = path.join(root, file);
    const before = readFileSync(full, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`the edit changed nothing in ${file}`);
    writeFileSync(full, after);
  };
  const logged = (msg: string) => lines.filter((line) => line.msg.startsWith(msg));
  return { bot, edit, lines, logged };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  // Bounds, not speed targets: a reload trains the recogniser, seconds on a loaded machine.
  for (let tries = 0; tries < 1200 && !condition(); tries += 1) await sleep(25);
  if (!condition()) throw new Error(`not within 30 s: ${what}`);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const reloads = (lines: readonly LogLine[]) => lines.filter((line) => line.msg === 'content reloaded').length;

/** The in-memory store, whose next state read waits until the test lets it go: a turn held in flight. */
class HeldReads implements KeyValueStorage {
  private release: (() => void) | undefined;
  private gate: Promise<void> | undefined;
  waiting = false;

  constructor(private readonly inner: KeyValueStorage) {}

  holdNextRead(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  letGo(): void {
    this.release?.();
  }

  async read(keys: string[]) {
    const gate = this.gate;
    this.gate = undefined;
    if (gate) {
      this.waiting = true;
      await gate;
    }
    return this.inner.read(keys);
  }

  write(changes: Record<string, unknown>) {
    return this.inner.write(changes);
  }

  create(key: string, item: object) {
    return this.inner.create(key, item);
  }

  delete(keys: string[]) {
    return this.inner.delete(keys);
  }
}

/** A wording no topic knows yet; the test teaches it to one. */
const NEW_WORDING = "grandad's birthday slideshow vanished";
const addExample = (example: string) => (text: string) => text.replace('    examples:\n', `    examples:\n      - ${example}\n`);

// Each test starts a bot on the whole content and reloads it at least once.
describe('content reload while the bot runs', { timeout: 90_000 }, () => {
  it('recognises an example added to a topic file, without a restart', async () => {
    const { bot, edit, lines } = await startWatched();
    const photos = bot.assembly.content.intentById.get('photos_in_backup')?.answer ?? '';
    const before = await conversation(bot).say(NEW_WORDING);
    expect(textOf(before.replies)).not.toContain(photos.split('\n')[0]);

    edit('kb/photos_in_backup.yaml', addExample(NEW_WORDING));
    await until(() => reloads(lines) === 1, 'the edit reloaded');

    const after = await conversation(bot).say(NEW_WORDING);
    expect(textOf(after.replies)).toContain(photos.split('\n')[0]);
  });

  it('keeps answering from the old content when an edit breaks a file, and logs where with file:line:col', async () => {
    const { bot, edit, logged } = await startWatched();
    edit('kb/photos_in_backup.yaml', (text) => text.replace('followUps: [restore_across_devices, connection_alerts]', 'followUps: [restore_across_devices, no_such_topic]'));
    await until(() => logged('content reload refused').length === 1, 'the broken edit refused');

    const [refused] = logged('content reload refused');
    expect(refused?.level).toBe(LEVEL.error);
    expect(refused?.issues).toEqual([expect.stringMatching(/kb\/photos_in_backup\.yaml:6:\d+: .*no_such_topic.* \[ERR_CONTENT_REF\]$/)]);
    const answered = await conversation(bot).say('are my photos in my icloud backup');
    expect(choicesOf(answered.replies)).toContain(bot.assembly.content.intentById.get('connection_alerts')?.title);
  });

  it('serves the fixed file once a broken edit is corrected', async () => {
    const { bot, edit, lines, logged } = await startWatched();
    edit('kb/photos_in_backup.yaml', (text) => text.replace('    examples:\n', '    examples: [\n'));
    await until(() => logged('content reload refused').length === 1, 'the broken edit refused');

    edit('kb/photos_in_backup.yaml', (text) => addExample(NEW_WORDING)(text.replace('    examples: [\n', '    examples:\n')));
    await until(() => reloads(lines) === 1, 'the fix reloaded');

    const photos = bot.assembly.content.intentById.get('photos_in_backup')?.answer ?? '';
    expect(textOf((await conversation(bot).say(NEW_WORDING)).replies)).toContain(photos.split('\n')[0]);
  });

  it('tells a customer whose step was removed that the steps changed, and offers the menu instead of another step', async () => {
    const { bot, edit, lines } = await startWatched();
    const chat = conversation(bot);
    await chat.say('connection alerts while restoring');
    const onStep = await chat.say('No, still getting them');
    expect(textOf(onStep.replies)).toMatch(/screenshot/);

    // The step and the person it led to are cut; "no" now leads straight to more help.
    edit('dialogs/connection_alerts.yaml', (text) => text.replaceAll('next: still_alerts', 'next: more_help').replace(/ {2}still_alerts:[\s\S]*?(?= {2}more_help:)/, ''));
    await until(() => reloads(lines) === 1, 'the removal reloaded');

    const { phrases } = bot.assembly.content;
    const next = await chat.say('Yes, get me an agent');
    expect(next.status).toBe(200);
    expect(next.replies.map((reply) => reply.body.text)).toEqual([phrases.contentChanged, phrases.menuPrompt]);
    expect(choicesOf(next.replies)).toEqual(phrases.menu.map((id) => bot.assembly.content.intentById.get(id)?.title));
    // The conversation carries on normally from the menu.
    expect(textOf((await chat.say('connection alerts while restoring')).replies)).toMatch(/Did that stop the alerts/);
  });

  it('finishes a turn in flight on the content it began with, and answers the next one from the new content', async () => {
    const backend = openSqliteStorage(IN_MEMORY);
    const held = new HeldReads(backend.state);
    const { bot, edit } = await startWatched({}, { ...backend, state: held });
    const oldAnswer = 'Whether your photos are in an iCloud backup depends on your iOS version and settings';
    const chat = conversation(bot);

    held.holdNextRead();
    const inFlight = chat.say('are my photos in my icloud backup');
    await until(() => held.waiting, 'the turn waiting on its state');
    edit('kb/photos_in_backup.yaml', (text) => text.replace(oldAnswer, 'Reworded while you waited: it depends on your iOS version and settings'));
    expect(await bot.assembly.live.reload()).toMatchObject({ status: 'reloaded' });
    held.letGo();

    expect(textOf((await inFlight).replies)).toContain(oldAnswer);
    expect(textOf((await conversation(bot).say('are my photos in my icloud backup')).replies)).toContain('Reworded while you waited');
  });

  it('reloads once for a burst of saves, and serves the last of them', async () => {
    // A debounce far above the gaps between saves, so a machine too busy to run a timer on time
    // cannot split the burst.
    const { bot, edit, lines } = await startWatched({ CONTENT_RELOAD_DEBOUNCE_MS: '1000' });
    for (const n of [1, 2, 3, 4, 5]) {
      edit('kb/photos_in_backup.yaml', addExample(`${NEW_WORDING} ${'again '.repeat(n).trim()}`));
      await sleep(20);
    }
    await until(() => reloads(lines) > 0, 'the burst reloaded');
    // Past the debounce again: a second reload would have run by now.
    await sleep(1500);

    expect(reloads(lines)).toBe(1);
    expect(bot.assembly.content.intentById.get('photos_in_backup')?.examples).toContain(`${NEW_WORDING} again again again again again`);
  });

  it("lists only the content's current nodes to agents, and refuses a hand-back to a node a reload removed", async () => {
    const { bot, edit, lines } = await startWatched({ AGENT_TOKENS: `Ana=${AGENT_TOKEN}` });
    const agentApi = (route: string, body?: unknown) =>
      fetch(`${bot.url}${route}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    await agentOnline(bot, AGENT_TOKEN);
    const chat = conversation(bot);
    await chat.say('get me a person');
    expect((await agentApi(`/api/agent/conversations/${caseId(chat.id)}/accept`, {})).status).toBe(200);

    edit('dialogs/connection_alerts.yaml', (text) => text.replaceAll('next: still_alerts', 'next: more_help').replace(/ {2}still_alerts:[\s\S]*?(?= {2}more_help:)/, ''));
    await until(() => reloads(lines) === 1, 'the removal reloaded');

    const catalog = await jsonOf(await agentApi('/api/agent/catalog'));
    expect(catalog.trees.find((tree: { id: string }) => tree.id === 'connection_alerts').nodes).toEqual(['intro', 'connect', 'more_help', 'still_missing', 'missing_offer', 'explained', 'missing_agent', 'resolved']);
    const refused = await agentApi(`/api/agent/conversations/${caseId(chat.id)}/handback`, { mode: 'node', tree: 'connection_alerts', node: 'still_alerts' });
    expect(refused.status).toBe(400);
    expect((await jsonOf(refused)).error.code).toBe('ERR_HANDOFF_TARGET');
    const handedBack = await agentApi(`/api/agent/conversations/${caseId(chat.id)}/handback`, { mode: 'node', tree: 'connection_alerts', node: 'intro' });
    expect(handedBack.status).toBe(200);
  });
});
