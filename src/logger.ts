import { pino, type Logger } from 'pino';

/** JSON logs on stdout; secrets are redacted wherever they appear in a logged object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'restore-support-bot' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.MicrosoftAppPassword', 'MicrosoftAppPassword', '*.DIRECT_LINE_SECRET', 'DIRECT_LINE_SECRET', '*.secret', '*.token'],
      censor: '[redacted]',
    },
  });
}
