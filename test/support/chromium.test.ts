import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from './chromium.js';
import { tempDir } from './processes.js';

describe('finding the browser for the browser tests', () => {
  it('uses CHROME_PATH when it names an executable', () => {
    const browser = path.join(tempDir('chrome-'), 'chrome');
    writeFileSync(browser, '#!/bin/sh\n');
    chmodSync(browser, 0o755);
    expect(findChromium({ CHROME_PATH: browser })).toBe(browser);
  });

  it('reports a CHROME_PATH that is not executable instead of falling back to another browser', () => {
    const notABrowser = path.join(tempDir('chrome-'), 'notes.txt');
    writeFileSync(notABrowser, 'not a browser');
    expect(findChromium({ CHROME_PATH: notABrowser })).toBeUndefined();
  });
});
