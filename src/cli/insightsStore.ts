import { insightService } from '../assemble.js';
import { openStorage } from '../storage/openStorage.js';
import { loadConfig } from '../config.js';
import { loadContent } from '../content/load.js';
import { InsightRecorder } from '../insights/recorder.js';
import type { InsightService } from '../insights/service.js';
import { createLogger } from '../logger.js';

/**
 * The configured store's insights, as the running bot sees them (DATA_DIR's SQLite file, read
 * beside a running bot thanks to WAL, or the blob container). Closes the store when done.
 */
export async function withInsights<T>(use: (service: InsightService) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger('warn');
  const storage = await openStorage(config);
  try {
    const content = loadContent(config.CONTENT_DIR);
    return await use(insightService(config, storage, new InsightRecorder(storage.events, logger), () => content, () => new Date()));
  } finally {
    await storage.close();
  }
}

/**
 * One CSV field: quoted when it must be, and a text a spreadsheet would run as a formula
 * (=, +, -, @ first: customers wrote these) is prefixed with an apostrophe.
 */
export function csvField(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
