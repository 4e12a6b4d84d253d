import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadContent } from '../src/content/load.js';
import { mulberry32 } from '../src/nlu/linearModel.js';

/**
 * npm run bench [-- --seconds 20 --warmup 5 --concurrency 64 --conversations 4 --runs 1 --profile DIR]
 *
 * Drives POST /api/messages over real HTTP on loopback, closed loop: each of `concurrency` workers
 * owns `conversations` conversations and waits for each turn's answer before sending the next, as
 * customers do. A local connector takes the replies. The support bot (dist/main.js) and the echo
 * bot (bench/echoBot.ts, same botbuilder + restify) run in turn as child processes with
 * LOG_LEVEL=warn and are driven the same way; the warm-up is not measured. Prints turns/s, p50 and
 * p99 latency, errors, memory, the server's CPU time per turn, and the ratios of the bot to the echo
 * bot. On a shared machine turns/s moves with whatever else runs; CPU time per turn moves far less,
 * so it is the figure to compare two versions by.
 */
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
    conversations: { type: 'string', default: '4' },
    runs: { type: 'string', default: '1' },
    // Writes a V8 CPU profile of each server to DIR (open in Chrome DevTools or VS Code).
    profile: { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const WARMUP_SECONDS = Number(args.warmup);
const CONCURRENCY = Number(args.concurrency);
const CONVERSATIONS_PER_WORKER = Number(args.conversations);
const RUNS = Number(args.runs);
const MEMORY_SAMPLE_MS = 5000;

const root = path.join(import.meta.dirname, '..');

/**
 * What customers send: the knowledge base's held-out test questions (never trained on), small talk,
 * and, two times in three when the last reply offered buttons, one of those buttons (tree answers,
 * "did you mean" topics, the menu).
 */
const content = loadContent(root);
const QUESTIONS = content.intents.filter((intent) => intent.action !== 'handoff').flatMap((intent) => intent.tests);

interface Server {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
}

/** The fake Bot Connector: answers 200 at once, remembers each conversation's last buttons and handoffs. */
class Connector {
  replies = 0;
  handoffs = 0;
  readonly choices = new Map<string, string[]>();
  readonly handedOff = new Set<string>();
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      this.replies += 1;
      const conversationId = decodeURIComponent(/\/v3\/conversations\/([^/]+)/.exec(req.url ?? '')?.[1] ?? '');
      const activity = JSON.parse(body || '{}') as { name?: string; suggestedActions?: { actions?: { title?: string }[] } };
      if (activity.name === 'handoff.initiate') {
        this.handoffs += 1;
        this.handedOff.add(conversationId);
      }
      const titles = (activity.suggestedActions?.actions ?? []).map((action) => action.title ?? '').filter(Boolean);
      if (titles.length > 0) this.choices.set(conversationId, titles);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"r"}');
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): void {
    this.server.close();
  }
}

async function freePort(): Promise<number> {
  const probe = http.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  return port;
}

async function startServer(name: string, entry: string): Promise<Server> {
  const port = await freePort();
  const log = openSync(path.join(tmpdir(), `bench-${name}-${port}.log`), 'w');
  // One folder per server: the main thread's profile is the large one, tsx's loader thread writes one too.
  const profiling = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profile, name)}`] : [];
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--expose-gc', ...profiling, '--import', 'tsx', '--import', './bench/memoryProbe.ts', entry], {
    cwd: root,
    // The caller's environment passes through, so `NLU_CACHE_SIZE=0 npm run bench` measures the bot without its cache.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MicrosoftAppId: '', MicrosoftAppPassword: '', NODE_ENV: 'production' },
    stdio: ['ignore', log, log, 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ; ) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${tmpdir()}/bench-${name}-${port}.log`);
    const up = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (up) return { name, url, child };
    if (Date.now() > deadline) throw new Error(`${name} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopServer(server: Server): Promise<void> {
  const exited = once(server.child, 'exit');
  server.child.send('exit');
  await exited;
}

interface Memory {
  rss: number;
  heapUsed: number;
}

/** CPU microseconds the server has used so far, user and system, over all its threads. */
async function cpuOf(server: Server): Promise<number> {
  const answer = once(server.child, 'message') as Promise<[NodeJS.CpuUsage]>;
  server.child.send('cpu');
  const [usage] = await answer;
  return usage.user + usage.system;
}

async function memoryOf(server: Server, afterGc: boolean): Promise<Memory> {
  const answer = once(server.child, 'message') as Promise<[NodeJS.MemoryUsage]>;
  server.child.send(afterGc ? 'memory-after-gc' : 'memory');
  const [usage] = await answer;
  return { rss: usage.rss, heapUsed: usage.heapUsed };
}

interface Load {
  readonly turns: number;
  readonly errors: number;
  readonly seconds: number;
  readonly latencies: number[];
  readonly replies: number;
  readonly handoffs: number;
}

/** Closed-loop load for `seconds`; every worker finishes its turn in flight before this resolves. */
async function drive(server: Server, connector: Connector, serviceUrl: string, seconds: number, label: string): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL('/api/messages', server.url);
  const post = (activity: object) =>
    new Promise<number>((resolve) => {
      const body = JSON.stringify(activity);
      const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end(body);
    });

  const latencies: number[] = [];
  let turns = 0;
  let errors = 0;
  const repliesBefore = connector.replies;
  const handoffsBefore = connector.handoffs;
  const started = performance.now();
  const until = started + seconds * 1000;
  let sequence = 0;

  async function worker(index: number): Promise<void> {
    // Seeded, so every run and both servers get the same sequence of choices.
    const next = mulberry32(index + 1);
    const conversations = Array.from({ length: CONVERSATIONS_PER_WORKER }, (_, k) => ({ id: `${label}-${index}-${k}`, joined: false }));
    for (let turn = 0; performance.now() < until; turn += 1) {
      const chat = conversations[turn % conversations.length]!;
      const user = { id: `user-${chat.id}`, name: 'Customer' };
      const base = { channelId: 'emulator', serviceUrl, conversation: { id: chat.id }, recipient: { id: 'bot', name: 'Bot' }, from: user };
      if (!chat.joined) {
        chat.joined = true;
        await post({ ...base, type: 'conversationUpdate', id: `${chat.id}-join`, membersAdded: [user, base.recipient] });
      }
      const buttons = connector.choices.get(chat.id);
      connector.choices.delete(chat.id);
      const roll = next();
      // A customer who got handed to a person withdraws at once: while waiting the bot stays
      // quiet, and quiet turns would flatter its throughput against the always-answering echo.
      const waiting = connector.handedOff.delete(chat.id);
      const text = waiting ? 'cancel' : buttons && roll < 2 / 3 ? buttons[Math.floor(next() * buttons.length)]! : QUESTIONS[Math.floor(next() * QUESTIONS.length)]!;
      const t0 = performance.now();
      const status = await post({ ...base, type: 'message', id: `${chat.id}-${++sequence}`, text, locale: 'en-US', timestamp: new Date().toISOString() });
      latencies.push(performance.now() - t0);
      if (status >= 200 && status < 300) turns += 1;
      else errors += 1;
    }
  }

  await Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => worker(index)));
  agent.destroy();
  return { turns, errors, seconds: (performance.now() - started) / 1000, latencies, replies: connector.replies - repliesBefore, handoffs: connector.handoffs - handoffsBefore };
}

const percentile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

interface Result {
  readonly name: string;
  readonly tps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly cpuPerTurnUs: number;
  readonly repliesPerTurn: number;
  readonly handoffShare: number;
  readonly start: Memory;
  readonly end: Memory;
  readonly samples: Memory[];
}

async function measure(name: string, entry: string, run: number): Promise<Result> {
  const connector = new Connector();
  const serviceUrl = await connector.start();
  const server = await startServer(name, entry);
  try {
    await drive(server, connector, serviceUrl, WARMUP_SECONDS, `warm${run}`);
    const start = await memoryOf(server, true);
    const samples: Memory[] = [];
    let sampling = Promise.resolve();
    const sampler = setInterval(() => {
      sampling = memoryOf(server, false).then((memory) => void samples.push(memory));
    }, MEMORY_SAMPLE_MS);
    const cpuBefore = await cpuOf(server);
    const load = await drive(server, connector, serviceUrl, SECONDS, `run${run}`);
    const cpu = (await cpuOf(server)) - cpuBefore;
    clearInterval(sampler);
    await sampling;
    const end = await memoryOf(server, true);
    const sorted = load.latencies.sort((a, b) => a - b);
    return {
      name,
      tps: load.turns / load.seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      errors: load.errors,
      cpuPerTurnUs: cpu / Math.max(1, load.turns),
      repliesPerTurn: load.replies / Math.max(1, load.turns),
      handoffShare: load.handoffs / Math.max(1, load.turns),
      start,
      end,
      samples,
    };
  } finally {
    await stopServer(server);
    connector.close();
  }
}

const describe = (result: Result): string =>
  `${result.name.padEnd(5)} ${result.tps.toFixed(0).padStart(6)} turns/s  p50 ${result.p50.toFixed(1).padStart(6)} ms  p99 ${result.p99.toFixed(1).padStart(6)} ms  ` +
  `errors ${result.errors}  cpu/turn ${result.cpuPerTurnUs.toFixed(0)} µs  replies/turn ${result.repliesPerTurn.toFixed(2)}${result.handoffShare > 0 ? ` (handoffs ${(result.handoffShare * 100).toFixed(1)}% of turns)` : ''}  ` +
  `rss ${mib(result.start.rss)} -> ${mib(result.end.rss)} MiB  heap after GC ${mib(result.start.heapUsed)} -> ${mib(result.end.heapUsed)} MiB`;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

console.log(
  `bench: ${CONCURRENCY} concurrent customers x ${CONVERSATIONS_PER_WORKER} conversations, ${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up, ` +
    `${QUESTIONS.length} held-out questions + tree buttons, loopback, ${RUNS} run(s)`,
);
const results: { bot: Result; echo: Result }[] = [];
for (let run = 1; run <= RUNS; run += 1) {
  const bot = await measure('bot', 'dist/main.js', run);
  console.log(describe(bot));
  const echo = await measure('echo', 'bench/echoBot.ts', run);
  console.log(describe(echo));
  if (SECONDS >= 30) console.log(`bot memory every ${MEMORY_SAMPLE_MS / 1000} s (rss/heap MiB): ${bot.samples.map((m) => `${mib(m.rss)}/${mib(m.heapUsed)}`).join(' ')}`);
  results.push({ bot, echo });
}
const throughput = median(results.map((r) => r.bot.tps / r.echo.tps));
const p99 = median(results.map((r) => r.bot.p99 / r.echo.p99));
const cpu = median(results.map((r) => r.bot.cpuPerTurnUs / r.echo.cpuPerTurnUs));
console.log(
  `bot/echo${RUNS > 1 ? ' (median of runs)' : ''}: throughput ${throughput.toFixed(2)}x (goal >= 0.90), p99 ${p99.toFixed(2)}x (goal <= 1.30), cpu/turn ${cpu.toFixed(2)}x, ` +
    `bot errors ${results.reduce((sum, r) => sum + r.bot.errors, 0)}`,
);
