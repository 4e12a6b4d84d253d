// `npm run build` and `npm start`'s rebuild: compiles src/ into dist/ and stamps dist/.built. The
// stamp is this script's own file, not tsc's dist/.tsbuildinfo: `tsc --noEmit` (an editor's or a
// developer's type check) rewrites the build info without emitting, which made `npm start` take a
// stale dist/ for a fresh one.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(import.meta.dirname, '..');
export const stamp = path.join(root, 'dist', '.built');

export function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', root], { stdio: 'inherit' });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) build();
