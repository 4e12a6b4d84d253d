import type { AddressInfo } from 'node:net';
import { assemble } from './assemble.js';
import { loadConfig } from './config.js';
import { AppError } from './errors.js';
import { createLogger } from './logger.js';
import { openStorage } from './storage/openStorage.js';
import { EventRetention } from './storage/eventLog.js';
import { TranscriptRetention } from './storage/transcriptStore.js';
import { redactorFor } from './privacy/redact.js';
import { lastResort } from './server/lastResort.js';
import { shutDown } from './server/shutdown.js';

/** Start-up fails loudly: bad config, content or storage prints its problems and exits non-zero. */
async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, undefined, redactorFor(config));
  const storage = await openStorage(config);
  const { server, gate, content, timings, live } = assemble(config, logger, storage);
  if (config.CONTENT_RELOAD) live.watch();
  const retention = new TranscriptRetention({ transcripts: storage.transcripts, uploads: storage.uploads, days: config.TRANSCRIPT_RETENTION_DAYS, logger });
  retention.start();
  const eventRetention = new EventRetention({ events: storage.events, days: config.INSIGHTS_RETENTION_DAYS, logger });
  eventRetention.start();
  server.listen(config.PORT, config.HOST, () => {
    logger.info(
      {
        // The bound port, which differs from PORT when PORT=0 asks for any free one.
        port: (server.address() as AddressInfo).port,
        storage: config.STORAGE,
        intents: content.intents.length,
        trees: content.trees.size,
        contentMs: Math.round(timings.contentMs),
        trainMs: Math.round(timings.trainMs),
        contentReload: config.CONTENT_RELOAD ? 'watching kb/ and dialogs/' : 'on SIGHUP only',
        auth: config.MicrosoftAppId ? 'bot-framework-tokens' : 'none (MicrosoftAppId is empty)',
        webChat: config.DIRECT_LINE_SECRET ? `page at /, Azure Direct Line ${config.DIRECT_LINE_DOMAIN}` : 'page at /, embedded Direct Line',
      },
      'support bot listening',
    );
  });
  let stopping: Promise<void> | undefined;
  const stop = (why: string, exitCode: number) => {
    stopping ??= (async () => {
      logger.info({ why, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down: finishing the turns in flight');
      retention.stop();
      eventRetention.stop();
      live.close();
      try {
        await shutDown(server, gate, config.SHUTDOWN_GRACE_MS, logger);
        await storage.close();
        process.exit(exitCode);
      } catch (error) {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      }
    })();
  };
  // on, not once: systemd and `timeout` signal npm and node alike, and npm forwards its own, so a
  // second SIGTERM must not fall back to Node's default of dying mid-turn.
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  // The conventional "re-read your files" signal; the reload logs its own outcome line.
  process.on('SIGHUP', () => void live.reload());
  lastResort(logger, (why) => stop(why, 1));
}

start().catch((error: unknown) => {
  if (error instanceof AppError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
