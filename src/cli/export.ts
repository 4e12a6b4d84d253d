import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { openStorage } from '../storage/openStorage.js';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { createRedactor, type Redactor } from '../privacy/redact.js';
import type { TranscriptSpan, TranscriptStore } from '../storage/transcriptStore.js';

/**
 * `npm run export -- [--since DATE] [--conversation ID] [--out FILE]`: the kept conversations as
 * JSON lines, one conversation per line, the earliest started first, its lines in the order they
 * were said — for analysis elsewhere, as `rasa export` does for Rasa's tracker store. Always
 * redacted, whatever REDACT_PII says: an export leaves the bot's control. Format: README "Export".
 */
interface ExportOptions {
  readonly since?: Date;
  /** `channel|conversation` as the console shows it, or the conversation id alone (any channel). */
  readonly conversation?: string;
}

/** One exported conversation: one line of the output. */
interface ExportedConversation {
  readonly channelId: string;
  readonly conversationId: string;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly lines: readonly { readonly seq: number; readonly from: string; readonly text: string; readonly at: string }[];
}

/** Writes the matching conversations to `out` and returns how many; waits for the stream when it is full. */
async function exportConversations(transcripts: TranscriptStore, redact: Redactor, out: Writable, options: ExportOptions): Promise<number> {
  let written = 0;
  for (const span of (await transcripts.conversations(options.since ? { since: options.since } : {})).filter(matching(options.conversation))) {
    const since = options.since?.toISOString() ?? '';
    const lines = (await transcripts.read(span)).filter((line) => line.at >= since).map((line) => ({ ...line, text: redact(line.text) }));
    const exported: ExportedConversation = { channelId: span.channelId, conversationId: span.conversationId, firstAt: span.firstAt, lastAt: span.lastAt, lines };
    if (!out.write(`${JSON.stringify(exported)}\n`)) await once(out, 'drain');
    written += 1;
  }
  return written;
}

const matching = (wanted: string | undefined) => (span: TranscriptSpan) => {
  if (wanted === undefined) return true;
  const bar = wanted.indexOf('|');
  return bar < 0 ? span.conversationId === wanted : span.channelId === wanted.slice(0, bar) && span.conversationId === wanted.slice(bar + 1);
};

function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const since = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(since.getTime())) throw new AppError('ERR_REQUEST_INVALID', `--since takes a date such as 2026-11-30 or 2026-11-30T08:00:00Z, not "${value}"`);
  return since;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { since: { type: 'string' }, conversation: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const since = parseSince(values.since);
  const options: ExportOptions = { ...(since ? { since } : {}), ...(values.conversation ? { conversation: values.conversation } : {}) };
  const config = loadConfig();
  const redact = createRedactor({ phoneCountry: config.REDACT_PHONE_COUNTRY });
  const storage = await openStorage(config);
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  try {
    const written = await exportConversations(storage.transcripts, redact, out, options);
    if (values.out) {
      out.end();
      await once(out, 'finish');
    }
    process.stderr.write(`export: ${written} conversation${written === 1 ? '' : 's'}${values.out ? ` written to ${values.out}` : ''}\n`);
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  console.error(`export: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
