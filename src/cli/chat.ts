import { createInterface } from 'node:readline/promises';
import { stdin, stdout } from 'node:process';
import { assemble } from '../assemble.js';
import type { Reply } from '../bot/types.js';
import { versionsNamed } from '../bot/versionsNamed.js';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import type { Recognition } from '../nlu/recognizer.js';
import { IN_MEMORY, openSqliteStorage } from '../storage/sqlite/openSqliteStorage.js';

/**
 * `npm run chat [-- --explain]`: the same bot, in a terminal, for content authors (like
 * `rasa shell`). Type a number to press a button; --explain shows why each message matched.
 */
const explain = process.argv.includes('--explain');

async function main(): Promise<void> {
  const config = loadConfig();
  // A content author's trial chat is throwaway: never written into the deployment's store.
  const { bot, recognizer } = assemble(config, createLogger('silent'), openSqliteStorage(IN_MEMORY));
  const conversationId = `terminal-${process.pid}`;
  const base = { channelId: 'terminal', conversationId, channel: 'terminal', scope: 'personal' } as const;
  const terminal = createInterface({ input: stdin, output: stdout, terminal: stdin.isTTY });
  // Attached before the first await: lines piped in while the welcome is built would be lost.
  const lines = terminal[Symbol.asyncIterator]();
  let buttons: readonly string[] = [];

  const show = (replies: readonly Reply[]) => {
    for (const reply of replies) {
      stdout.write(`\nbot> ${reply.text.trim().replace(/\n/g, '\n     ')}\n`);
      buttons = reply.choices ?? [];
      buttons.forEach((label, index) => stdout.write(`     [${index + 1}] ${label}\n`));
    }
  };

  show((await bot.handle({ ...base, kind: 'membersAdded', members: [{ id: 'you', name: 'You' }] })).replies);
  for await (const line of { [Symbol.asyncIterator]: () => lines }) {
    const typed = line.trim();
    if (typed === '/quit' || typed === '/exit') break;
    const pressed = /^\d+$/.test(typed) ? buttons[Number(typed) - 1] : undefined;
    const text = pressed ?? typed;
    // What the bot recognises: a bare iOS version named as one, as assemble does.
    if (explain) stdout.write(describe(recognizer.recognize(versionsNamed(text))));
    const result = await bot.handle({ ...base, kind: 'message', from: { id: 'you' }, text, hasAttachments: false });
    show(result.replies);
    if (result.handoff) stdout.write(`\n     (handoff requested: ${result.handoff.reason}; topic ${result.handoff.summary.topic ?? 'none'})\n`);
    stdout.write('\nyou> ');
  }
  terminal.close();
}

function describe(recognition: Recognition): string {
  const { explanation: why } = recognition;
  const lines = [
    `  verdict ${recognition.verdict}${recognition.intent ? ` → ${recognition.intent}` : ''} (confidence ${recognition.confidence.toFixed(3)}, coverage ${why.coverage.toFixed(2)})`,
    `  candidates ${recognition.candidates.map((candidate) => `${candidate.intent} ${candidate.confidence.toFixed(3)}`).join(', ') || 'none'}`,
    `  stems [${why.stems.join(' ')}]`,
    why.corrections.length ? `  corrected ${why.corrections.map((fix) => `${fix.from}→${fix.to}`).join(', ')}` : '',
    why.synonyms.length ? `  synonyms ${why.synonyms.map((rule) => `${rule.from}→${rule.to}`).join(', ')}` : '',
    why.unknown.length ? `  unknown words ${why.unknown.join(', ')}` : '',
    why.nearestExample ? `  nearest example "${why.nearestExample}" sharing [${why.matched.join(', ')}]` : '',
  ];
  return `${lines.filter(Boolean).join('\n')}\n`;
}

main().catch((error: unknown) => {
  console.error(error instanceof AppError ? error.message : error);
  process.exitCode = 1;
});
