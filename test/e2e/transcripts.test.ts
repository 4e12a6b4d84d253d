import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseYamlFile } from '../../src/content/yamlFile.js';
import { formatIssue } from '../../src/errors.js';
import { choicesOf, conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * Whole conversations written as YAML (test/transcripts/*.yaml), replayed over HTTP through the
 * real server and bot, with nock as the Bot Connector. A failing step is reported as file:line.
 *
 *   name: what the conversation shows
 *   channel: webchat | emulator | msteams      (default webchat)
 *   steps:
 *     - user: what the customer types            (or `join: true` for a conversationUpdate)
 *       bot: text the replies must contain       (string or list; /regex/ for a pattern)
 *       not: text the replies must not contain   (string or list)
 *       choices: [labels that must be offered]
 *       handoff: true                            (a handoff.initiate event must be sent)
 */
const texts = z.union([z.string(), z.array(z.string()).min(1)]);

/** Strict, as content is: a misspelt key (`bots:`) fails with its file:line:col instead of checking nothing. */
const stepSchema = z
  .strictObject({
    user: z.string().optional(),
    join: z.literal(true).optional(),
    bot: texts.optional(),
    not: texts.optional(),
    choices: z.array(z.string()).min(1).optional(),
    handoff: z.boolean().optional(),
  })
  .refine((step) => (step.user === undefined) !== (step.join === undefined), 'a step has exactly one of `user` and `join`');

const transcriptSchema = z.strictObject({
  name: z.string().min(1),
  channel: z.enum(['webchat', 'emulator', 'msteams']).default('webchat'),
  steps: z.array(stepSchema).min(1),
});

type Step = z.infer<typeof stepSchema> & { readonly line: number };

const projectRoot = path.join(import.meta.dirname, '..', '..');
const folder = path.join(import.meta.dirname, '..', 'transcripts');
const files = readdirSync(folder).filter((name) => name.endsWith('.yaml')).sort();

/** Reads and validates a transcript with the content's YAML reader; a bad one throws every problem as file:line:col. */
function readTranscript(file: string): { name: string; channel: string; steps: Step[] } {
  const relative = path.relative(projectRoot, file).split(path.sep).join('/');
  const parsed = parseYamlFile(relative, readFileSync(file, 'utf8'), transcriptSchema);
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const { data, at } = parsed.source;
  return { ...data, steps: data.steps.map((step, index) => ({ ...step, line: at(['steps', index]).line })) };
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

describe('the transcript format', () => {
  it('refuses a misspelt key with its file:line:col before replaying anything', () => {
    expect(() => readTranscript(path.join(projectRoot, 'test', 'fixtures', 'transcripts', 'misspelt_key.yaml'))).toThrow(
      "test/fixtures/transcripts/misspelt_key.yaml:5:5: steps.0: unknown key 'bots' [ERR_CONTENT_SCHEMA]",
    );
  });
});

describe('conversation transcripts', () => {
  it.each(files)('%s', async (file) => {
    const transcript = readTranscript(path.join(folder, file));
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
