import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { redactorFor } from '../../src/privacy/redact.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { captureLogs } from '../support/logs.js';
import { agentOnline, caseId, conversation, jsonOf, startBot, type RunningBot } from '../support/botServer.js';
import { tempDir } from '../support/processes.js';

const run = promisify(execFile);
const projectRoot = path.join(import.meta.dirname, '..', '..');
const HUB = 'contact-centre';
const AGENT = 'ana=privacy-test-token-0001';
const PERSONAL = ['jane.doe@example.com', 'jane', '555-2671', '4111 1111 1111 1111', '352099001761481'];
const TYPED = 'my backup will not restore, mail jane.doe@example.com or call (415) 555-2671';
const PAID = 'I paid with 4111 1111 1111 1111 and the imei is 352099001761481';

let dataDir: string;
let storage: StorageBackend;
let logs: ReturnType<typeof captureLogs>;
let bot: RunningBot;
beforeAll(async () => {
  dataDir = tempDir('privacy-');
  storage = openSqliteStorage(path.join(dataDir, 'bot.sqlite'));
  const env = { AGENT_TOKENS: AGENT, HANDOFF_HUB_CHANNELS: HUB, LOG_LEVEL: 'debug' };
  logs = captureLogs('debug', redactorFor(loadConfig({ ...env, STORAGE: 'memory' })));
  bot = await startBot(env, { storage, logger: logs.logger });
});
afterAll(async () => {
  await bot.close();
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const leaks = (kept: string): string[] => PERSONAL.filter((value) => kept.includes(value));

describe('personal data at rest (REDACT_PII, on by default)', () => {
  it('is masked in the transcript, the state and the logs, while the bot still answers', async () => {
    const customer = conversation(bot);
    const first = await customer.say(TYPED);
    expect(first.replies.length).toBeGreaterThan(0);
    await customer.say(PAID);
    await customer.say('talk to a person');

    const lines = await storage.transcripts.read({ channelId: 'webchat', conversationId: customer.id });
    const said = lines.filter((line) => line.from === 'customer').map((line) => line.text);
    expect(said).toEqual([
      'my backup will not restore, mail [email] or call [phone]',
      'I paid with [card] and the imei is [imei]',
      'talk to a person',
    ]);
    const state = await storage.state.read([`webchat|${customer.id}`]);
    expect(leaks(JSON.stringify(state))).toEqual([]);
    expect(leaks(logs.raw.join(''))).toEqual([]);

  });

  it("is masked in the summary a hub receives with the handoff", async () => {
    const customer = conversation(bot, { channelId: HUB });
    await customer.say(TYPED);
    const handedOff = await customer.say('get me a human');
    const initiate = handedOff.replies.find((activity) => activity.body.name === 'handoff.initiate');
    expect(initiate).toBeDefined();
    expect(leaks(JSON.stringify(initiate?.body))).toEqual([]);
    expect(JSON.stringify(initiate?.body)).toContain('[phone]');
  });

  it("is masked in a web chat's kept history, while the customer's own page shows what they typed", async () => {
    const session = await jsonOf(await fetch(`${bot.url}/api/directline/token`, { method: 'POST' }));
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${session.token}` };
    const started = await jsonOf(await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST', headers: auth, body: JSON.stringify({ user: { id: session.userId } }) }));
    const posted = await fetch(`${bot.url}/v3/directline/conversations/${started.conversationId}/activities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', text: TYPED, from: { id: session.userId }, channelData: { clientActivityID: 'c-1' } }),
    });
    expect(posted.status).toBe(200);
    const live = await jsonOf(await fetch(`${bot.url}/v3/directline/conversations/${started.conversationId}/activities`, { headers: auth }));
    expect(live.activities.map((activity: { text?: string }) => activity.text)).toContain(TYPED);
    const kept = await storage.directLine.load(started.conversationId);
    const keptText = (kept?.activities ?? []).map((activity) => activity.json).join('\n');
    expect(keptText).toContain('mail [email] or call [phone]');
    expect(leaks(keptText)).toEqual([]);
  });
  it('is masked in the unanswered inbox, as in everything the insights keep', async () => {
    const customer = conversation(bot);
    await customer.say('can you print my invoice and send it to jane.doe@example.com');
    const inbox = async () => JSON.stringify(await jsonOf(await fetch(`${bot.url}/api/agent/inbox`, { headers: { authorization: 'Bearer privacy-test-token-0001' } })));
    await expect.poll(inbox).toContain('send it to [email]');
    expect(leaks(await inbox())).toEqual([]);
    expect(leaks(JSON.stringify(await jsonOf(await fetch(`${bot.url}/api/agent/insights`, { headers: { authorization: 'Bearer privacy-test-token-0001' } }))))).toEqual([]);
  });

  // Last: a second bot's close resets the fake connector this file's bot sends through.
  it('reaches an agent as typed while live, from this process memory only: another instance reads it masked', async () => {
    await agentOnline(bot, 'privacy-test-token-0001');
    const customer = conversation(bot);
    await customer.say(TYPED);
    await customer.say('talk to a person');
    const read = async (running: RunningBot) =>
      JSON.stringify(await jsonOf(await fetch(`${running.url}/api/agent/conversations/${caseId(customer.id)}`, { headers: { authorization: 'Bearer privacy-test-token-0001' } })));
    expect(await read(bot)).toContain(TYPED);
    const other = await startBot({ AGENT_TOKENS: AGENT }, { storage });
    try {
      const seen = await read(other);
      expect(seen).toContain('mail [email] or call [phone]');
      expect(leaks(seen)).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('REDACT_PII=false', () => {
  it('keeps what the customer typed, for deployments that must', async () => {
    const own = openSqliteStorage(IN_MEMORY);
    const raw = await startBot({ REDACT_PII: 'false' }, { storage: own });
    try {
      const customer = conversation(raw);
      await customer.say(TYPED);
      const lines = await own.transcripts.read({ channelId: 'webchat', conversationId: customer.id });
      expect(lines[0]?.text).toBe(TYPED);
    } finally {
      await raw.close();
      await own.close();
    }
  });
});

/** The export runs as its own process through tsx, which compiles it first: slow on a busy machine. */
describe('npm run export', { timeout: 90_000 }, () => {
  const exportCli = (...args: string[]) =>
    run(process.execPath, ['--disable-warning=DEP0111', '--import', pathToFileURL(path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, path.join(projectRoot, 'src', 'cli', 'export.ts'), ...args], {
      cwd: dataDir,
      env: { PATH: process.env.PATH ?? '', STORAGE: 'file', DATA_DIR: dataDir, REDACT_PII: 'false' },
    });

  it('writes one redacted conversation per line, earliest first, lines in order, even with REDACT_PII=false', async () => {
    const { stdout, stderr } = await exportCli();
    const conversations = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(conversations.length).toBeGreaterThanOrEqual(3);
    expect(stderr).toMatch(/export: \d+ conversations/);
    expect(leaks(stdout)).toEqual([]);
    for (const exported of conversations) {
      expect(Object.keys(exported)).toEqual(['channelId', 'conversationId', 'firstAt', 'lastAt', 'lines']);
      expect(exported.lines.map((line: { seq: number }) => line.seq)).toEqual([...exported.lines.keys()]);
    }
    const starts = conversations.map((exported) => exported.firstAt);
    expect(starts).toEqual([...starts].sort());
  });

  it('exports one conversation by id, and nothing since a date after the last line', async () => {
    const all = (await exportCli()).stdout.trim().split('\n').map((line) => JSON.parse(line));
    const hub = all.find((exported) => exported.channelId === HUB);
    const one = await exportCli('--conversation', `${HUB}|${hub.conversationId}`);
    expect(one.stdout.trim().split('\n').map((line) => JSON.parse(line).conversationId)).toEqual([hub.conversationId]);
    const none = await exportCli('--since', '2999-01-01');
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/export: 0 conversations/);
  });

  it('refuses a date it cannot read, saying what it takes', async () => {
    await expect(exportCli('--since', 'yesterday')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--since takes a date') });
  });
});
