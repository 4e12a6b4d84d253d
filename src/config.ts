import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * The only reader of process.env. Every variable is listed in .env.example (a test keeps the two
 * in sync); a bad value stops start-up with one line per variable, naming it.
 */
const portNumber = z.coerce.number().int().min(0).max(65535);
const probability = z.coerce.number().min(0).max(1);
/** A Microsoft Entra app id (and any other GUID) in its 8-4-4-4-12 hex form. */
export const GUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const guid = z.string().regex(GUID, 'must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');
const httpsUrl = z
  .string()
  .url()
  .refine((value) => /^https:\/\//i.test(value), 'must be an https:// URL')
  .transform((value) => value.replace(/\/+$/, ''));
/** https://, or http:// to this machine only (a provider or proxy under test). */
const webOrigin = z
  .string()
  .url()
  .refine((value) => /^https:\/\//i.test(value) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(value), 'must be an https:// URL (http:// only to this machine)')
  .transform((value) => value.replace(/\/+$/, ''));
/** Azure's rule for container names: 3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric. */
const containerName = z.string().regex(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/, 'must be 3-63 lowercase letters, digits and single hyphens');

const schema = z.object({
  PORT: portNumber.default(3978),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: z.string().default(''),
  CONTENT_DIR: z.string().min(1).default('.'),
  // Edits under CONTENT_DIR served without a restart (README "Content reload"); SIGHUP reloads either way.
  CONTENT_RELOAD: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  CONTENT_RELOAD_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(300),
  CONTENT_RELOAD_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(2000),
  NLU_THRESHOLD: probability.optional(),
  NLU_AMBIGUITY_MARGIN: probability.optional(),
  NLU_CACHE_SIZE: z.coerce.number().int().min(0).default(1000),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(1).default(2000),
  AGENT_TOKENS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const agents = value.split(',').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at).trim(), token: pair.slice(at + 1).trim() };
      });
      for (const agent of agents) {
        if (!agent.name || agent.name.length > 60) ctx.addIssue({ code: 'custom', message: 'each entry is name=token, the name 1-60 characters' });
        else if (agent.token.length < 16) ctx.addIssue({ code: 'custom', message: `the token of ${agent.name} needs at least 16 characters` });
      }
      if (new Set(agents.map((agent) => agent.token)).size !== agents.length) ctx.addIssue({ code: 'custom', message: 'each agent needs a token of their own' });
      return agents;
    }),
  // Console sign-in (README "Agent accounts and sign-in"): accounts live in the store (npm run agents).
  AGENT_SESSION_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  AGENT_OIDC_ISSUER: webOrigin.optional(),
  AGENT_OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  AGENT_OIDC_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  PUBLIC_BASE_URL: webOrigin.optional(),
  // Failed console sign-ins and wrong agent tokens (README "Agent accounts and sign-in"): distinct attempts per
  // client address (an IPv6 /64) or named account in a window of seconds, then 429 until it ends;
  // addresses remembered at once (under 1 kB each at 10 failures: 8.8 MB for 10,000, measured).
  AGENT_AUTH_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(10),
  AGENT_AUTH_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  AGENT_AUTH_TRACKED: z.coerce.number().int().min(100).max(100_000).default(10_000),
  // Reverse proxies in front of this server: the client address is the one the outermost of them saw,
  // N entries from the right of X-Forwarded-For (README "Behind a reverse proxy"); 0 = the TCP peer.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  AGENT_USER_IDS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean)),
  HANDOFF_QUEUE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  // The console sends a heartbeat every 20 s, so less than 30 s would flicker agents offline between two.
  AGENT_OFFLINE_AFTER_SECONDS: z.coerce.number().int().min(30).max(3600).default(60),
  HANDOFF_HUB_CHANNELS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean)),
  REDACT_PII: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  REDACT_PHONE_COUNTRY: z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code (US, GB, FR, …)').default('US'),
  ALLOW_REMOTE_UNAUTHENTICATED: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15_000),
  // Outbound calls to the Bot Connector (replies, proactive messages).
  CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  CONNECTOR_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  CONNECTOR_BACKOFF_MS: z.coerce.number().int().min(0).default(500),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  DIRECT_LINE_SECRET: z.string().default(''),
  DIRECT_LINE_DOMAIN: httpsUrl.default('https://directline.botframework.com/v3/directline'),
  // Web Chat refreshes its token every 15 minutes whatever the lifetime, so a shorter one would cut conversations off.
  DIRECT_LINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(900).max(86_400).default(1800),
  // Days a web chat stays resumable after its page last had a live token (README "Web chat"); 0 = off.
  WEB_CHAT_RESUME_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  // Bounds of the embedded Direct Line (README "Running in production"): what a page visitor can make this process keep.
  DIRECT_LINE_MAX_CONVERSATIONS: z.coerce.number().int().min(1).default(5000),
  DIRECT_LINE_MAX_PENDING: z.coerce.number().int().min(1).default(10_000),
  DIRECT_LINE_MAX_CONVERSATION_BYTES: z.coerce.number().int().min(16_384).default(262_144),
  DIRECT_LINE_MAX_TOTAL_BYTES: z.coerce.number().int().min(65_536).default(134_217_728),
  DIRECT_LINE_MAX_STREAMS: z.coerce.number().int().min(1).max(100).default(3),
  DIRECT_LINE_STREAM_BUFFER_BYTES: z.coerce.number().int().min(16_384).default(1_048_576),
  // Screenshots customers send (README "Screenshots"): the largest image kept, in bytes; iPhone screenshots are 0.5-3 MB.
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(65_536).max(26_214_400).default(5_242_880),
  // Teams app package (npm run teams:package); the bot itself runs without them.
  TEAMS_APP_ID: guid.optional(),
  TEAMS_APP_VERSION: z
    .string()
    .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, 'must be major.minor.patch, e.g. 1.0.0')
    .default('1.0.0'),
  TEAMS_DEVELOPER_NAME: z.string().min(1).max(32).default('Backup & Restore support'),
  TEAMS_WEBSITE_URL: httpsUrl.optional(),
  TEAMS_PRIVACY_URL: httpsUrl.optional(),
  TEAMS_TERMS_URL: httpsUrl.optional(),
  STORAGE: z.enum(['file', 'memory', 'blob']).default('file'),
  DATA_DIR: z.string().min(1).default('./data'),
  BLOB_CONNECTION_STRING: z.string().default(''),
  BLOB_CONTAINER: containerName.default('bot-state'),
  BLOB_TRANSCRIPT_CONTAINER: containerName.default('bot-transcripts'),
  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  // What happened in conversations (feedback, the unanswered inbox, insights), recorded in STORAGE.
  INSIGHTS_ENABLED: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  INSIGHTS_ABANDON_AFTER_MINUTES: z.coerce.number().int().min(1).default(30),
  // Days events are kept (0: for ever); pruned at start-up and every hour, insights enabled or not.
  INSIGHTS_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(180),
});

export type Config = Readonly<z.infer<typeof schema>>;
export const CONFIG_KEYS = Object.keys(schema.shape) as (keyof Config)[];

/** Reads `.env` (when present) under the real environment: a variable set in the shell wins. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env, dotenvPath = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(dotenvPath) ? parseEnv(readFileSync(dotenvPath, 'utf8')) : {};
  return { ...fromFile, ...env };
}

export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const picked = Object.fromEntries(CONFIG_KEYS.map((key) => [key, blankToUndefined(key, env[key])]));
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(env[name])}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (env.AGENT_TOKEN !== undefined && env.AGENT_TOKEN !== '') {
    throw new ConfigError('Invalid configuration:\nAGENT_TOKEN: replaced by AGENT_TOKENS=name=token,… (one token per agent, so each acts under their own name)');
  }
  if (config.MicrosoftAppType === 'SingleTenant' && config.MicrosoftAppId && !config.MicrosoftAppTenantId) {
    throw new ConfigError('Invalid configuration:\nMicrosoftAppTenantId="": required when MicrosoftAppType is SingleTenant');
  }
  if (config.MicrosoftAppId && config.MicrosoftAppType !== 'UserAssignedMSI' && !config.MicrosoftAppPassword) {
    throw new ConfigError('Invalid configuration:\nMicrosoftAppPassword="": required when MicrosoftAppId is set');
  }
  if (config.AGENT_OIDC_ISSUER && (!config.AGENT_OIDC_CLIENT_ID || !config.PUBLIC_BASE_URL)) {
    throw new ConfigError('Invalid configuration:\nAGENT_OIDC_ISSUER: console sign-in also needs AGENT_OIDC_CLIENT_ID and PUBLIC_BASE_URL (its redirect URI is PUBLIC_BASE_URL/agent/sign-in/callback)');
  }
  if (config.STORAGE === 'blob' && !config.BLOB_CONNECTION_STRING) {
    throw new ConfigError('Invalid configuration:\nBLOB_CONNECTION_STRING="": required when STORAGE is blob');
  }
  // Retention deletes whatever in the transcript container looks old, state blobs included if they shared it.
  if (config.STORAGE === 'blob' && config.BLOB_CONTAINER === config.BLOB_TRANSCRIPT_CONTAINER) {
    throw new ConfigError(`Invalid configuration:\nBLOB_TRANSCRIPT_CONTAINER="${config.BLOB_TRANSCRIPT_CONTAINER}": must differ from BLOB_CONTAINER`);
  }
  return Object.freeze(config);
}

/** An empty value means "use the default", except for the app credentials where empty is meaningful. */
function blankToUndefined(key: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' && !key.startsWith('Microsoft')) return undefined;
  return value;
}
