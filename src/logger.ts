import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Paths of logged objects that may hold a secret: app password, Direct Line secret, agent token,
 * bearer tokens in authorization headers.
 */
const SECRET_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  '*.authorization',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  'DIRECT_LINE_SECRET',
  '*.DIRECT_LINE_SECRET',
  'AGENT_TOKEN',
  '*.AGENT_TOKEN',
  '*.secret',
  '*.token',
];

/** JSON logs on stdout (or `destination`); secrets are redacted wherever they appear in a logged object. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'restore-support-bot' }, redact: { paths: SECRET_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
