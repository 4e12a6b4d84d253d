import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assemble } from '../src/assemble.js';
import type { MessageTurn } from '../src/bot/types.js';
import { loadConfig } from '../src/config.js';
import { mulberry32 } from '../src/nlu/linearModel.js';
import { createLogger } from '../src/logger.js';
import { openSqliteStorage } from '../src/storage/sqlite/openSqliteStorage.js';

/**
 * npx tsx bench/insightsCost.ts [--rounds 12 --turns 600 --concurrency 32]
 *
 * What recording insights costs a turn, without HTTP: two bots over file stores (SQLite in a temp
 * folder), one with INSIGHTS_ENABLED=true and one with false, get the same seeded turns (held-out
 * questions, and the buttons they were offered two times in three), in alternating rounds so
 * that a busy machine slows both alike. Prints each round's turns/s and the median ratio on/off.
 */
const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '12' }, turns: { type: 'string', default: '600' }, concurrency: { type: 'string', default: '32' } } });
const ROUNDS = Number(args.rounds);
const TURNS = Number(args.turns);
const CONCURRENCY = Number(args.concurrency);

const folder = mkdtempSync(path.join(tmpdir(), 'insights-cost-'));
const bots = ['true', 'false'].map((enabled) => {
  const config = loadConfig({ LOG_LEVEL: 'silent', STORAGE: 'file', INSIGHTS_ENABLED: enabled });
  const storage = openSqliteStorage(path.join(folder, `bot-${enabled}.sqlite`));
  const { bot, content } = assemble(config, createLogger('silent'), storage);
  return { enabled, storage, bot, content };
});
const { content } = bots[0]!;
const QUESTIONS = content.intents.filter((intent) => intent.action !== 'handoff').flatMap((intent) => intent.tests);

async function round(bot: (typeof bots)[number]['bot'], seed: number): Promise<number> {
  const next = mulberry32(seed);
  const offered = new Map<string, readonly string[]>();
  let sent = 0;
  const worker = async (id: number) => {
    while (sent < TURNS) {
      const n = (sent += 1);
      const conversationId = `r${seed}-w${id}-c${n % 4}`;
      const buttons = offered.get(conversationId);
      const text = buttons && buttons.length > 0 && next() < 2 / 3 ? buttons[Math.floor(next() * buttons.length)]! : QUESTIONS[Math.floor(next() * QUESTIONS.length)]!;
      const turn: MessageTurn = { kind: 'message', channelId: 'webchat', conversationId, activityId: `a${n}`, channel: 'webchat', scope: 'personal', from: { id: 'u' }, text, hasAttachments: false };
      const result = await bot.handle(turn);
      // The buttons a customer sees: the replies' choices, and the feedback buttons Web Chat adds.
      const feedback = result.replies.some((reply) => reply.askFeedback) ? [content.phrases.helpfulChoice, content.phrases.notHelpfulChoice] : [];
      offered.set(conversationId, [...result.replies.flatMap((reply) => reply.choices ?? []), ...feedback]);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => worker(id)));
  return TURNS / ((performance.now() - started) / 1000);
}

const rates: Record<string, number[]> = { true: [], false: [] };
for (let index = 0; index < ROUNDS; index += 1) {
  // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
  const order = index % 2 === 0 ? bots : [...bots].reverse();
  for (const { enabled, bot } of order) rates[enabled]!.push(await round(bot, index + 1));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ratios = rates.true!.map((rate, index) => rate / (rates.false![index] ?? 1));
console.log(`${ROUNDS} rounds x ${TURNS} turns, ${CONCURRENCY} at a time, file stores`);
console.log(`insights on : ${rates.true!.map((rate) => rate.toFixed(0)).join(' ')} turns/s (median ${median(rates.true!).toFixed(0)})`);
console.log(`insights off: ${rates.false!.map((rate) => rate.toFixed(0)).join(' ')} turns/s (median ${median(rates.false!).toFixed(0)})`);
console.log(`on/off per round: median ${median(ratios).toFixed(3)}, range ${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}`);
for (const { storage } of bots) await storage.close();
rmSync(folder, { recursive: true, force: true });
