import type { AddressInfo } from 'node:net';
import { assemble, openStorage } from './app.js';
import { loadConfig } from './config.js';
import { AppError } from './errors.js';
import { createLogger } from './logger.js';
import { TranscriptRetention } from './storage/transcriptStore.js';
import { shutDown } from './server/shutdown.js';

/** Start-up fails loudly: bad config, content or storage prints its problems and exits non-zero. */
async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const storage = await openStorage(config);
  const { server, channel, content, timings } = assemble(config, logger, storage);
  const retention = new TranscriptRetention({ transcripts: storage.transcripts, days: config.TRANSCRIPT_RETENTION_DAYS, logger });
  retention.start();
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
        auth: config.MicrosoftAppId ? 'bot-framework-tokens' : 'none (MicrosoftAppId is empty)',
        webChat: config.DIRECT_LINE_SECRET ? `page at /, Azure Direct Line ${config.DIRECT_LINE_DOMAIN}` : 'page at /, embedded Direct Line',
      },
      'support bot listening',
    );
  });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down: finishing the turns in flight');
    retention.stop();
    shutDown(server, channel, config.SHUTDOWN_GRACE_MS, logger)
      .then(() => storage.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

start().catch((error: unknown) => {
  if (error instanceof AppError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
