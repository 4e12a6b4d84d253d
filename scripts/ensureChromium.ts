import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { findChromium, MISSING_CHROMIUM } from '../test/support/chromium.js';

/**
 * `npm test`'s pretest: the two browser test files need Chromium. When none is found on Linux and
 * apt-get can run (as root, or through sudo without a password), Debian's chromium is installed
 * the way CI does it (.ci/install-chromium.sh); otherwise the run stops here with what to do,
 * rather than the browser tests failing (or skipping) later. Silent when a browser is found.
 */
if (!findChromium()) {
  if (process.platform === 'linux' && !process.env.CHROME_PATH && canInstall()) {
    console.log('npm test: no Chromium found; installing Debian\'s chromium (.ci/install-chromium.sh)');
    execFileSync('bash', [path.join(import.meta.dirname, '..', '.ci', 'install-chromium.sh')], { stdio: 'inherit' });
  }
  if (!findChromium()) {
    console.error(`npm test: ${MISSING_CHROMIUM}`);
    process.exit(1);
  }
}

function canInstall(): boolean {
  const run = (command: string, args: string[]): boolean => {
    try {
      execFileSync(command, args, { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (!run('sh', ['-c', 'command -v apt-get'])) return false;
  return process.getuid?.() === 0 || run('sudo', ['-n', 'true']);
}
