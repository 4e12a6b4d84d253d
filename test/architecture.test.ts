import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The turn path reads from the folders (server → channels → bot → nlu | dialogs | storage |
 * handoff → content), and botbuilder stays behind channels/. These rules keep it that way.
 */
const src = path.join(import.meta.dirname, '..', 'src');
const FORBIDDEN: Record<string, readonly string[]> = {
  server: ['bot', 'nlu', 'dialogs', 'content', 'storage', 'botbuilder'],
  channels: ['nlu', 'dialogs', 'content'],
  bot: ['channels', 'server', 'botbuilder', 'restify', 'node:fs'],
  // The recogniser is pure and run time only; reading datasets and scoring it is nlu-eval's job.
  nlu: ['bot', 'dialogs', 'storage', 'channels', 'server', 'handoff', 'botbuilder', 'restify', 'node:fs', 'nlu-eval'],
  'nlu-eval': ['bot', 'dialogs', 'storage', 'channels', 'server', 'handoff', 'botbuilder', 'restify'],
  dialogs: ['nlu', 'bot', 'storage', 'channels', 'server', 'handoff', 'botbuilder', 'restify', 'node:fs'],
  content: ['bot', 'channels', 'server', 'nlu', 'dialogs', 'storage', 'handoff', 'botbuilder', 'restify'],
  storage: ['dialogs', 'nlu', 'bot', 'channels', 'server', 'botbuilder'],
  handoff: ['botbuilder', 'restify', 'bot', 'channels', 'server'],
};

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(?:[^'"]*?from\s+)?'([^']+)'/gm), ...text.matchAll(/require\('([^']+)'\)/g)].map((match) => match[1] ?? '');
}

/** 'botbuilder' or the src folder an import lands in ('bot', 'nlu', …). */
function targetOf(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier.split('/')[0] ?? specifier;
  const resolved = path.relative(src, path.resolve(path.dirname(file), specifier));
  return resolved.split(path.sep)[0] ?? resolved;
}

describe('architecture', () => {
  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`keeps src/${folder} from importing ${forbidden.join(', ')}`, () => {
      const dir = path.join(src, folder);
      const offending = filesUnder(dir).flatMap((file) =>
        importsOf(file)
          .filter((specifier) => forbidden.includes(targetOf(file, specifier)) || forbidden.includes(specifier))
          .map((specifier) => `${path.relative(src, file)} imports ${specifier}`),
      );
      expect(offending).toEqual([]);
    });
  }

  it('imports botbuilder only in src/channels', () => {
    const offending = filesUnder(src)
      .filter((file) => !file.startsWith(path.join(src, 'channels')))
      .filter((file) => importsOf(file).some((specifier) => specifier.startsWith('botbuilder')));
    expect(offending.map((file) => path.relative(src, file))).toEqual([]);
  });

  it('leaves offline evaluation (src/nlu-eval) to the command-line tools', () => {
    const offending = filesUnder(src)
      .filter((file) => !file.startsWith(path.join(src, 'cli')) && !file.startsWith(path.join(src, 'nlu-eval')))
      .filter((file) => importsOf(file).some((specifier) => targetOf(file, specifier) === 'nlu-eval'));
    expect(offending.map((file) => path.relative(src, file))).toEqual([]);
  });

  it('imports natural only through its submodules (its index loads dotenv)', () => {
    const offending = filesUnder(src).filter((file) => importsOf(file).includes('natural'));
    expect(offending).toEqual([]);
  });
});
