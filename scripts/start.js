// `npm start`: runs the compiled bot (dist/main.js) in this very process, so the SIGTERM a
// container runtime or systemd sends to npm reaches the bot's own shutdown. dist/ is built at
// install (`prepare`); it is rebuilt here only when a source file is newer than the last build,
// so a developer's edit is never run stale and an unchanged deploy starts without compiling.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, root, stamp } from './build.js';

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
  console.error(existsSync(stamp) ? 'npm start: src/ changed since the last build; compiling' : 'npm start: no build yet; compiling src/');
  build();
}
await import(pathToFileURL(path.join(root, 'dist', 'main.js')).href);
