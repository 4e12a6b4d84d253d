import { accessSync, constants } from 'node:fs';

/**
 * Where a Chromium-family browser usually is. playwright-core never downloads one; `npm test`
 * (pretest: scripts/ensureChromium.ts) installs Debian's chromium when none is found and it can.
 */
const CANDIDATES: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: [String.raw`C:\Program Files\Google\Chrome\Application\chrome.exe`, String.raw`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`],
};

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** CHROME_PATH when set (and only it, so a wrong value is reported rather than passed over), else the first browser found. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROME_PATH) return executable(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  return (CANDIDATES[process.platform] ?? []).find(executable);
}

export const MISSING_CHROMIUM = process.env.CHROME_PATH
  ? `CHROME_PATH=${process.env.CHROME_PATH} is not an executable browser`
  : `no Chromium or Chrome found (looked in ${(CANDIDATES[process.platform] ?? []).join(', ') || 'no known place on this platform'}); install one (Debian: apt-get install chromium, which .ci/install-chromium.sh does) or set CHROME_PATH`;

