import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveContent } from '../../src/content/live.js';
import type { Content } from '../../src/content/types.js';
import { captureLogs, LEVEL } from '../support/logs.js';

const minimal = path.join(import.meta.dirname, '..', 'fixtures', 'minimal');
const temporary: string[] = [];
const opened: LiveContent<unknown>[] = [];

afterEach(() => {
  opened.splice(0).forEach((live) => live.close());
  temporary.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** A copy of the minimal content, live, whose build records each content it was given. */
function liveCopy(build: (content: Content) => void = () => undefined, debounceMs = 0, pollMs = 60_000) {
  const root = mkdtempSync(path.join(tmpdir(), 'live-'));
  temporary.push(root);
  cpSync(minimal, root, { recursive: true });
  const { logger, lines } = captureLogs();
  const builds: Content[] = [];
  const live = new LiveContent({
    root,
    build: (content) => {
      build(content);
      builds.push(content);
      return { examples: content.intentById.get('slow_restore')?.examples ?? [] };
    },
    logger,
    debounceMs,
    pollMs,
  });
  opened.push(live);
  const file = path.join(root, 'kb', 'slow.yaml');
  const edit = (change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));
  return { live, builds, lines, edit, file, root };
}

const addExample = (example: string) => (text: string) => text.replace('      - my restore is slow\n', `      - my restore is slow\n      - ${example}\n`);

describe('live content', { timeout: 60_000 }, () => {
  it('serves the edited content once a reload has validated and built it, and the previous one until then', async () => {
    const { live, edit } = liveCopy();
    const before = live.current;
    edit(addExample('the restore crawls along'));
    expect(live.current).toBe(before);

    const outcome = await live.reload();

    expect(outcome).toMatchObject({ status: 'reloaded', generation: 1, files: { added: [], changed: ['kb/slow.yaml'], removed: [] } });
    expect(live.current.built.examples).toContain('the restore crawls along');
    expect(before.built.examples).not.toContain('the restore crawls along');
  });

  it('logs one line per reload naming the files and topics that changed', async () => {
    const { live, edit, lines } = liveCopy();
    edit(addExample('the restore crawls along'));
    await live.reload();

    const logged = lines.filter((line) => line.msg === 'content reloaded');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ files: { changed: ['kb/slow.yaml'] }, examples: 1, intents: { added: [], removed: [] }, validateMs: expect.any(Number), trainMs: expect.any(Number) });
  });

  it('keeps serving the previous content when an edit fails validation, and logs each problem as file:line:col', async () => {
    const { live, edit, lines } = liveCopy();
    const before = live.current;
    edit((text) => text.replace('    tree: slow_restore\n', '    tree: slow_restor\n'));

    const outcome = await live.reload();

    expect(outcome.status).toBe('invalid');
    expect(live.current).toBe(before);
    const refused = lines.find((line) => line.msg.startsWith('content reload refused'));
    expect(refused?.level).toBe(LEVEL.error);
    expect(refused?.issues).toEqual([
      expect.stringMatching(/kb\/slow\.yaml:6:11: unknown tree 'slow_restor' \[ERR_CONTENT_REF\]$/),
      expect.stringMatching(/dialogs\/slow_restore\.yaml:2:5: tree 'slow_restore' is not started by any intent .*\[ERR_CONTENT_REF\]$/),
    ]);
  });

  it('picks up the fixed file after an edit it refused', async () => {
    const { live, edit } = liveCopy();
    edit((text) => text.replace('    tree: slow_restore\n', '    tree: [\n'));
    expect((await live.reload()).status).toBe('invalid');

    edit((text) => text.replace('    tree: [\n', '    tree: slow_restore\n').replace('      - my restore is slow\n', '      - my restore is slow\n      - restoring drags on\n'));

    expect(await live.reload()).toMatchObject({ status: 'reloaded', generation: 1 });
    expect(live.current.built.examples).toContain('restoring drags on');
  });

  it('reports the same broken bytes once, not on every later check', async () => {
    const { live, edit, lines } = liveCopy();
    edit((text) => text.replace('    tree: slow_restore\n', '    tree: slow_restor\n'));
    await live.reload();

    expect(await live.reload()).toEqual({ status: 'unchanged' });
    expect(lines.filter((line) => line.msg.startsWith('content reload refused'))).toHaveLength(1);
  });

  it('builds nothing when no content file changed its bytes', async () => {
    const { live, builds, file } = liveCopy();
    utimesSync(file, new Date(), new Date(Date.now() + 5000));

    expect(await live.reload()).toEqual({ status: 'unchanged' });
    expect(builds).toHaveLength(1);
  });

  it('runs one more reload, not one per call, for the reloads asked for while one runs', async () => {
    const { live, edit, builds } = liveCopy();
    edit(addExample('first edit'));
    const first = live.reload();
    edit(addExample('second edit'));
    const later = [live.reload(), live.reload(), live.reload()];

    expect(later[1]).toBe(later[0]);
    const outcomes = await Promise.all([first, ...later]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['reloaded', 'reloaded', 'reloaded', 'reloaded']);
    expect(builds).toHaveLength(3);
    expect(live.current.built.examples).toEqual(expect.arrayContaining(['first edit', 'second edit']));
  });

  it('keeps the previous content when building from the new content fails', async () => {
    let fail = false;
    const { live, edit, lines } = liveCopy(() => {
      if (fail) throw new Error('training ran out of memory');
    });
    const before = live.current;
    fail = true;
    edit(addExample('the restore crawls along'));

    expect((await live.reload()).status).toBe('failed');
    expect(live.current).toBe(before);
    expect(lines.find((line) => line.msg.startsWith('content reload failed'))?.level).toBe(LEVEL.error);
  });

  it('retries on the next reload after a failure that was not the content, with no edit needed', async () => {
    let fail = false;
    const { live, edit } = liveCopy(() => {
      if (fail) throw new Error('training ran out of memory');
    });
    fail = true;
    edit(addExample('the restore crawls along'));
    expect((await live.reload()).status).toBe('failed');

    fail = false;
    expect(await live.reload()).toMatchObject({ status: 'reloaded', generation: 1 });
  });

  it('reloads once for a burst of writes to the watched folders', async () => {
    // A debounce far above the gaps between writes, so a busy machine cannot split the burst.
    const { live, edit, lines } = liveCopy(undefined, 1000);
    const reloaded = () => lines.filter((line) => line.msg === 'content reloaded').length;
    live.watch();
    // An editor saving in steps, a few milliseconds apart: each write changes the bytes.
    for (const example of ['one', 'two', 'three', 'four', 'five']) {
      edit(addExample(`burst ${example}`));
      await sleep(20);
    }

    await until(() => reloaded() > 0);
    // Past the debounce again: a second reload would have run by now.
    await sleep(1500);
    expect(reloaded()).toBe(1);
    expect(live.current.built.examples).toContain('burst five');
  });

  it("ignores an editor's hidden files beside the content, even a dangling lock link", async () => {
    const { live, edit, root } = liveCopy();
    symlinkSync(path.join(root, 'kb', 'no-such-file'), path.join(root, 'kb', '.#slow.yaml'));
    writeFileSync(path.join(root, 'kb', '.slow.yaml.swp'), 'not yaml: [');
    expect(await live.reload()).toEqual({ status: 'unchanged' });

    edit(addExample('the restore crawls along'));
    expect(await live.reload()).toMatchObject({ status: 'reloaded' });
  });

  it('keeps picking up edits after a content folder is replaced whole, as a checkout or a copy does', async () => {
    const { live, lines, root } = liveCopy(undefined, 50, 100);
    const reloaded = () => lines.filter((line) => line.msg === 'content reloaded').length;
    live.watch();
    const kb = path.join(root, 'kb');
    cpSync(kb, `${kb}-new`, { recursive: true });
    const file = path.join(`${kb}-new`, 'slow.yaml');
    writeFileSync(file, addExample('first copy')(readFileSync(file, 'utf8')));
    renameSync(kb, `${kb}-old`);
    renameSync(`${kb}-new`, kb);
    await until(() => reloaded() === 1);

    const moved = path.join(kb, 'slow.yaml');
    writeFileSync(moved, addExample('then an edit')(readFileSync(moved, 'utf8')));
    await until(() => reloaded() === 2);
    expect(live.current.built.examples).toEqual(expect.arrayContaining(['first copy', 'then an edit']));
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 800 && !condition(); tries += 1) await sleep(25);
  if (!condition()) throw new Error('condition not met within 20 s');
}
