import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ContentError, formatIssue, type ContentIssue } from '../errors.js';
import { isContentFile, loadContent } from './load.js';
import type { Content } from './types.js';

/** The content folders a reload reads, as loadContent does. */
const FOLDERS = ['kb', 'dialogs'] as const;

/** Content with what was built from it (the trained recogniser, the bot over them), swapped as one. */
interface Generation<T> {
  readonly content: Content;
  readonly built: T;
  /** 0 for the content loaded at start-up, then one more per reload that was swapped in. */
  readonly number: number;
  /** How long reading and checking the files, and building from them, took. */
  readonly validateMs: number;
  readonly trainMs: number;
}

type ReloadOutcome =
  | { readonly status: 'reloaded'; readonly generation: number; readonly files: FileChanges; readonly validateMs: number; readonly trainMs: number }
  | { readonly status: 'unchanged' }
  | { readonly status: 'invalid'; readonly issues: readonly ContentIssue[] }
  | { readonly status: 'failed'; readonly error: unknown };

interface FileChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

interface LiveContentOptions<T> {
  /** CONTENT_DIR: the folder holding kb/ and dialogs/. */
  readonly root: string;
  /** Trains and wires what serves turns from `content`; a throw keeps the previous generation. */
  readonly build: (content: Content) => T;
  readonly logger: Logger;
  /** Quiet time after the last file event before reloading: an editor's save is several events. */
  readonly debounceMs: number;
  /** How often the files are stat-checked, for mounts where fs.watch reports nothing. */
  readonly pollMs: number;
}

/**
 * The content that serves new turns, and its reload. `current` is read once at the start of a
 * turn, so a turn in flight finishes on the generation it began with; a reload builds the next
 * generation aside and replaces the reference in one assignment, and only if the whole content
 * validated and trained. Reloads never overlap: one asked for while another runs is coalesced
 * into a single run after it, which reads the files as they are by then.
 */
export class LiveContent<T> {
  private generation: Generation<T>;
  /** Hashes of the files as last read (served, or refused as invalid): a reload of identical bytes is skipped. */
  private hashes: ReadonlyMap<string, string>;
  private running: Promise<ReloadOutcome> | undefined;
  private queued: Promise<ReloadOutcome> | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private lastStat = '';
  /** Whether a file event came since the last stat check. */
  private heard = false;

  constructor(private readonly options: LiveContentOptions<T>) {
    this.hashes = hashFiles(options.root);
    const t0 = performance.now();
    const content = loadContent(options.root);
    const t1 = performance.now();
    const built = options.build(content);
    this.generation = { content, built, number: 0, validateMs: t1 - t0, trainMs: performance.now() - t1 };
  }

  get current(): Generation<T> {
    return this.generation;
  }

  /**
   * Reads, validates and trains the content now (SIGHUP, the inbox's "assign to topic"). The
   * promise settles with what came of the run that includes every file write made before the call.
   */
  reload(): Promise<ReloadOutcome> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  /** Reloads after edits: fs.watch on kb/ and dialogs/, and a stat check every pollMs as a fallback. */
  watch(): void {
    if (this.poller) return;
    this.watchFolders((folder, error) =>
      this.options.logger.warn({ folder, reason: String(error) }, 'content folder not watched; the periodic check still picks up edits'),
    );
    this.lastStat = statPrint(this.options.root);
    this.poller = setInterval(() => this.check(), this.options.pollMs);
    this.poller.unref();
  }

  /** Stops watching; a reload already running still finishes. */
  close(): void {
    clearTimeout(this.debounce);
    clearInterval(this.poller);
    this.poller = undefined;
    this.unwatchFolders();
  }

  private watchFolders(unwatched: (folder: string, error: unknown) => void = () => undefined): void {
    for (const folder of FOLDERS) {
      try {
        const watcher = watch(path.join(this.options.root, folder), (_event, name) => {
          this.heard = true;
          // Editors' swap, backup and lock files (.file.swp, file~, .#file.yaml) are not content.
          if (name === null || isContentFile(String(name))) this.soon();
        });
        watcher.on('error', () => watcher.close());
        watcher.unref();
        this.watchers.push(watcher);
      } catch (error) {
        unwatched(folder, error);
      }
    }
  }

  private unwatchFolders(): void {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }

  /**
   * The stat check. A change no file event announced means the watchers have gone deaf (a folder
   * replaced by a checkout or a copy keeps them on the old one), so they are set up again.
   */
  private check(): void {
    const now = statPrint(this.options.root);
    if (now !== this.lastStat) {
      this.lastStat = now;
      if (!this.heard) {
        this.unwatchFolders();
        this.watchFolders();
      }
      this.soon();
    }
    this.heard = false;
  }

  private soon(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reload(), this.options.debounceMs);
    this.debounce.unref();
  }

  private start(): Promise<ReloadOutcome> {
    const run = this.run();
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = undefined;
    });
    return run;
  }

  private async run(): Promise<ReloadOutcome> {
    const { root, build, logger } = this.options;
    const hashes = hashFiles(root);
    const files = changesBetween(this.hashes, hashes);
    if (files.added.length + files.changed.length + files.removed.length === 0) {
      logger.info('content unchanged, nothing reloaded');
      return { status: 'unchanged' };
    }
    try {
      const t0 = performance.now();
      const content = loadContent(root);
      const t1 = performance.now();
      // Lets requests that arrived during validation in before training holds the event loop.
      await nextTick();
      const t2 = performance.now();
      const built = build(content);
      const t3 = performance.now();
      const before = this.generation.content;
      this.generation = { content, built, number: this.generation.number + 1, validateMs: t1 - t0, trainMs: t3 - t2 };
      this.hashes = hashes;
      const outcome = { status: 'reloaded', generation: this.generation.number, files, validateMs: round(t1 - t0), trainMs: round(t3 - t2) } as const;
      logger.info({ ...outcome, ...contentChanges(before, content) }, 'content reloaded');
      return outcome;
    } catch (error) {
      if (error instanceof ContentError) {
        // Broken bytes count as seen: they are reported once, not again at every later check.
        this.hashes = hashes;
        logger.error({ code: error.code, issues: error.issues.map(formatIssue), files }, 'content reload refused, the previous content keeps serving');
        return { status: 'invalid', issues: error.issues };
      }
      // Not a content problem (a file unreadable, training out of memory): the next reload retries.
      logger.error({ err: error, files }, 'content reload failed, the previous content keeps serving');
      return { status: 'failed', error };
    }
  }
}

/** Relative path → hash of the bytes of every content file; a folder that cannot be read counts as empty. */
function hashFiles(root: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const { file, full } of contentFiles(root)) {
    try {
      hashes.set(file, createHash('sha256').update(readFileSync(full)).digest('hex'));
    } catch {
      // Removed between listing and reading: the next event brings the folder as it is then.
    }
  }
  return hashes;
}

/** Names, sizes and modification times: cheap enough to compare every few seconds. */
function statPrint(root: string): string {
  return contentFiles(root)
    .map(({ file, full }) => {
      try {
        const stat = statSync(full);
        return `${file}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return `${file}:gone`;
      }
    })
    .join('\n');
}

function contentFiles(root: string): { file: string; full: string }[] {
  return FOLDERS.flatMap((folder) => {
    let names: string[];
    try {
      names = readdirSync(path.join(root, folder));
    } catch {
      names = [];
    }
    return names
      .filter(isContentFile)
      .sort()
      .map((name) => ({ file: `${folder}/${name}`, full: path.join(root, folder, name) }));
  });
}

function changesBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FileChanges {
  return {
    added: [...after.keys()].filter((file) => !before.has(file)),
    changed: [...after.keys()].filter((file) => before.has(file) && before.get(file) !== after.get(file)),
    removed: [...before.keys()].filter((file) => !after.has(file)),
  };
}

/** What the log line says changed, in the content's own terms. */
function contentChanges(before: Content, after: Content) {
  const added = <K>(a: Iterable<K>, b: ReadonlySet<K>) => [...a].filter((key) => !b.has(key));
  const intentsBefore = new Set(before.intentById.keys());
  const intentsAfter = new Set(after.intentById.keys());
  const treesBefore = new Set(before.trees.keys());
  const treesAfter = new Set(after.trees.keys());
  const examples = (content: Content) => content.intents.reduce((sum, intent) => sum + intent.examples.length, 0);
  return {
    intents: { added: added(intentsAfter, intentsBefore), removed: added(intentsBefore, intentsAfter) },
    trees: { added: added(treesAfter, treesBefore), removed: added(treesBefore, treesAfter) },
    examples: examples(after) - examples(before),
  };
}

const round = (ms: number): number => Math.round(ms);
