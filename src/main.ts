import { assemble } from './app.js';
import { loadConfig } from './config.js';
import { AppError } from './errors.js';
import { createLogger } from './logger.js';

/** Start-up fails loudly: bad config or content prints its problems and exits non-zero. */
function start(): void {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const { server, content, timings } = assemble(config, logger);
  server.listen(config.PORT, config.HOST, () => {
    logger.info(
      {
        port: config.PORT,
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
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  start();
} catch (error) {
  if (error instanceof AppError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
