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

/**
 * JSON logs on stdout (or `destination`); secrets are redacted wherever they appear in a logged
 * object, and with `maskText` (REDACT_PII) so is personal data in every string a log line carries.
 */
export function createLogger(level: string, destination?: DestinationStream, maskText?: (text: string) => string): Logger {
  const options = {
    level,
    base: { service: 'restore-support-bot' },
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    ...(maskText ? { formatters: { log: (object: Record<string, unknown>) => masked(object, maskText, 0) as Record<string, unknown> } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Deep enough for any object the bot logs; deeper values are logged as they are. */
const MAX_DEPTH = 6;

/** Strings of plain objects and arrays masked; errors and other instances left to pino's serializers. */
function masked(value: unknown, maskText: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => masked(item, maskText, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, masked(item, maskText, depth + 1)]));
}
