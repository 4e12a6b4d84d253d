// `npm start`: runs the compiled bot (dist/main.js) in this very process, so the SIGTERM a
// container runtime or systemd sends to npm reaches the bot's own shutdown. dist/ is built at
// install (`prepare`); it is rebuilt here only when a source file is newer than the last build,
// so a developer's edit is never run stale and an unchanged deploy starts without compiling.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');

/** The newest modification time among the compiler's inputs (src/**, tsconfig.json). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestSource(path.join(root, 'src')), statSync(path.join(root, 'tsconfig.json')).mtimeMs);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  console.error(existsSync(stamp) ? 'npm start: src/ changed since the last build; compiling' : 'npm start: no build yet; compiling src/');
  execFileSync(process.execPath, [tsc, '-p', root], { stdio: 'inherit' });
  // tsc leaves its build info untouched when no output changed; the stamp must still move past the sources.
  const now = new Date();
  utimesSync(stamp, now, now);
}
await import(pathToFileURL(path.join(root, 'dist', 'main.js')).href);
