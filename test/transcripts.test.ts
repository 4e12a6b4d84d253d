import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choicesOf, conversation, startBot, textOf, type RunningBot } from './support/botServer.js';

/**
 * Whole conversations written as YAML (test/transcripts/*.yaml), replayed over HTTP through the
 * real server and bot, with nock as the Bot Connector. A failing step is reported as file:line.
 *
 *   channel: webchat | emulator | msteams      (default webchat)
 *   steps:
 *     - user: what the customer types            (or `join: true` for a conversationUpdate)
 *       bot: text the replies must contain       (string or list; /regex/ for a pattern)
 *       not: text the replies must not contain   (string or list)
 *       choices: [labels that must be offered]
 *       handoff: true                            (a handoff.initiate event must be sent)
 */
interface Step {
  user?: string;
  join?: boolean;
  bot?: string | string[];
  not?: string | string[];
  choices?: string[];
  handoff?: boolean;
  line: number;
}

const folder = path.join(import.meta.dirname, 'transcripts');
const files = readdirSync(folder).filter((name) => name.endsWith('.yaml')).sort();

function readTranscript(file: string): { name: string; channel: string; steps: Step[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(path.join(folder, file), 'utf8'), { lineCounter });
  const data = doc.toJS() as { name?: string; channel?: string; steps: Omit<Step, 'line'>[] };
  const stepNodes = doc.get('steps', true);
  const steps = data.steps.map((step, index) => {
    const node = isSeq(stepNodes) ? (stepNodes.items[index] as YAMLMap | undefined) : undefined;
    const offset = isMap(node) && node.range ? node.range[0] : 0;
    return { ...step, line: lineCounter.linePos(offset).line };
  });
  return { name: data.name ?? file, channel: data.channel ?? 'webchat', steps };
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function matches(text: string, expected: string): boolean {
  const pattern = /^\/(.*)\/([a-z]*)$/s.exec(expected);
  return pattern ? new RegExp(pattern[1] ?? '', pattern[2] || 'i').test(text) : text.toLowerCase().includes(expected.toLowerCase());
}

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ HANDOFF_HUB_CHANNELS: 'webchat,msteams,emulator' });
});
afterAll(async () => {
  await bot.close();
});

describe('conversation transcripts', () => {
  it.each(files)('%s', async (file) => {
    const transcript = readTranscript(file);
    const chat = conversation(bot, { channelId: transcript.channel });
    for (const step of transcript.steps) {
      const where = `test/transcripts/${file}:${step.line}`;
      const { status, replies } = step.join ? await chat.join() : await chat.say(step.user ?? '');
      expect(status, `${where} HTTP status`).toBe(200);
      const text = textOf(replies);
      for (const expected of asList(step.bot)) expect(matches(text, expected), `${where} bot should say ${expected}\n--- bot said:\n${text}`).toBe(true);
      for (const forbidden of asList(step.not)) expect(matches(text, forbidden), `${where} bot must not say ${forbidden}\n--- bot said:\n${text}`).toBe(false);
      const offered = choicesOf(replies);
      for (const label of step.choices ?? []) expect(offered, `${where} choices`).toContain(label);
      const handedOff = replies.some((reply) => reply.body.type === 'event' && reply.body.name === 'handoff.initiate');
      if (step.handoff !== undefined) expect(handedOff, `${where} handoff.initiate`).toBe(step.handoff);
    }
  });
});
