import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { findChromium, MISSING_CHROMIUM } from './chromium.js';

const found = findChromium();
export const CHROME_PATH = found ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const hasChromium = found !== undefined;
export const ARTIFACTS = path.join(import.meta.dirname, '..', '..', 'test-artifacts');

/** The browser every browser test drives; a missing one fails the test with how to install it. */
export function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(MISSING_CHROMIUM);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROME_PATH,
    // Background networking is refused by this machine's closed network, so it is switched off.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
