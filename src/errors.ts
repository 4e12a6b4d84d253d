/**
 * Every error the application raises on purpose has a stable code, listed in docs/errors.md
 * (a test keeps the two in sync). User-caused errors (bad content, bad config, bad request)
 * are reported as one line; anything else is a bug and is logged with its stack.
 */
export const ERROR_CODES = {
  ERR_CONFIG_INVALID: 'a configuration variable has a bad value',
  ERR_CONTENT_YAML: 'a content file is not valid YAML',
  ERR_CONTENT_SCHEMA: 'a content file does not match its schema',
  ERR_CONTENT_REF: 'content refers to an intent, tree or node that does not exist',
  ERR_CONTENT_DUPLICATE: 'the same id or example appears twice',
  ERR_CONTENT_UNREACHABLE: 'a dialog node cannot be reached from the start node',
  ERR_CONTENT_DEAD_END: 'a dialog path never reaches a closing or handoff node',
  ERR_CONTENT_EMPTY: 'a content folder holds no content',
  ERR_CONTENT_UNREADABLE: 'a choice example does not read as its own answer (npm run validate)',
  ERR_CONTENT_UNGROUNDED: 'a menu path or a number in the content does not occur in the source it cites',
  ERR_REQUEST_INVALID: 'an HTTP request body is not a valid activity, or a Direct Line watermark is not a number',
  ERR_REQUEST_MEDIA_TYPE: 'a request body is not JSON, or is compressed (Content-Encoding other than identity)',
  ERR_REQUEST_TOO_LARGE: 'a request body is larger than the server accepts',
  ERR_NOT_FOUND: 'no such route or resource',
  ERR_PEER_REFUSED: 'an unauthenticated request to /api/messages came from outside this machine',
  ERR_AGENT_UNAUTHORIZED: 'an agent console request has no valid agent token',
  ERR_AGENT_NAME: 'an agent name is empty, too long or has characters a name cannot have',
  ERR_AGENT_LINK: "an agent's sign-in address or subject is malformed",
  ERR_AGENT_EXISTS: 'an agent with that name already exists',
  ERR_AGENT_UNKNOWN: 'no agent has that name',
  ERR_AGENT_SIGN_IN: 'a console sign-in through the identity provider failed or was refused by it',
  ERR_AGENT_NOT_LINKED: 'a person signed in at the identity provider, but no agent account is linked to them',
  ERR_AGENT_PROVIDER: 'the identity provider for console sign-in cannot be reached',
  ERR_AGENT_RATE_LIMITED: 'too many failed agent sign-ins or wrong agent tokens came from one address (or for one account); retry after the time given',
  ERR_HANDOFF_TARGET: 'a hand-back names a topic, tree or node that does not exist',
  ERR_PROCESS_UNCAUGHT: 'an error escaped every handler; the process shuts down gracefully and exits for its manager to restart it',
  ERR_INTERNAL: 'a request failed unexpectedly; the log has the details',
  ERR_AUTH_TOKEN: 'a request to /api/messages has no valid Bot Framework token',
  ERR_SHUTTING_DOWN: 'the server is finishing its turns before it stops and takes no new ones',
  ERR_DIRECTLINE_TOKEN_MISSING: 'a Direct Line request has no Bearer token',
  ERR_DIRECTLINE_UNAUTHORIZED: 'a Direct Line request has a token that is unknown, expired or for another conversation',
  ERR_DIRECTLINE_BOT_FAILED: 'the bot could not take a web chat activity',
  ERR_DIRECTLINE_NOT_FOUND: 'a Direct Line request names a conversation that does not exist',
  ERR_DIRECTLINE_ACTIVITY: 'a web chat client posted an activity of a type, field or size the embedded Direct Line does not take',
  ERR_DIRECTLINE_UPSTREAM: "Azure's Direct Line did not hand out a token",
  ERR_DIRECTLINE_RESUME: 'a web chat resume key is unknown, used already or expired, or resuming is off',
  ERR_STORAGE_CONFLICT: 'conversation state kept changing underneath a turn',
  ERR_STORAGE_STALE: 'a state write lost a race: its eTag is stale, or the new conversation already exists',
  ERR_STORAGE_OPEN: 'the configured storage cannot be opened or reached at start-up',
  ERR_STORAGE_TRANSCRIPT: 'transcript lines could not be kept or pruned',
  ERR_STORAGE_UNAVAILABLE: 'conversation state, a handoff case or an agent account could not be read or written',
  ERR_CONNECTOR_SEND: 'the Bot Connector did not take an outbound activity after every retry',
  ERR_UPLOAD_BUSY: 'more web chat uploads arrived at once than the server reads at a time; the customer can send again',
  ERR_UPLOAD_DOWNLOAD: "a file a customer sent (a Teams image or file) could not be downloaded in time; the customer is told it was not kept",
  ERR_TURN_FAILED: 'a turn failed unexpectedly',
  ERR_HANDOFF_UNKNOWN: 'no handoff exists for that conversation',
  ERR_HANDOFF_STATE: 'the handoff is not in a state that allows this action',
  ERR_STORAGE_EVENTS: 'insight events could not be kept, read or pruned',
  ERR_INBOX_UNKNOWN: 'an inbox action names a group or topic that does not exist',
  ERR_CONTENT_EDIT: 'an edit to a content file was refused: the content would not validate, or the file could not be written',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The HTTP answer for each code that can reach a client; the one renderer (src/server/errors.ts)
 * reads it, and any other code is answered 500 without its message.
 */
export const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  ERR_REQUEST_INVALID: 400,
  ERR_HANDOFF_TARGET: 400,
  ERR_AUTH_TOKEN: 401,
  ERR_AGENT_UNAUTHORIZED: 401,
  ERR_AGENT_SIGN_IN: 400,
  ERR_AGENT_NOT_LINKED: 403,
  ERR_AGENT_PROVIDER: 502,
  ERR_AGENT_RATE_LIMITED: 429,
  ERR_DIRECTLINE_ACTIVITY: 400,
  ERR_DIRECTLINE_TOKEN_MISSING: 401,
  ERR_DIRECTLINE_UNAUTHORIZED: 403,
  ERR_DIRECTLINE_RESUME: 403,
  ERR_PEER_REFUSED: 403,
  ERR_NOT_FOUND: 404,
  ERR_DIRECTLINE_NOT_FOUND: 404,
  ERR_HANDOFF_UNKNOWN: 404,
  ERR_HANDOFF_STATE: 409,
  ERR_INBOX_UNKNOWN: 404,
  ERR_CONTENT_EDIT: 422,
  ERR_REQUEST_TOO_LARGE: 413,
  ERR_REQUEST_MEDIA_TYPE: 415,
  ERR_DIRECTLINE_UPSTREAM: 502,
  ERR_DIRECTLINE_BOT_FAILED: 502,
  ERR_CONNECTOR_SEND: 502,
  ERR_SHUTTING_DOWN: 503,
  ERR_UPLOAD_BUSY: 503,
  ERR_STORAGE_UNAVAILABLE: 503,
  ERR_STORAGE_CONFLICT: 503,
  ERR_STORAGE_EVENTS: 503,
};

/** A schema failure (zod's error shape) as one line for a 400: where the first problem is (`conversation.id`, or `body`) and what it is. */
export function firstIssueOf(error: { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] }, otherwise: string): string {
  const [issue] = error.issues;
  return issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : otherwise;
}

/** The HTTP status of an error: its code's, or 500 for an uncoded one or a code no client sees. */
export const httpStatusOf = (error: unknown): number => (error instanceof AppError ? (HTTP_STATUS[error.code] ?? 500) : 500);

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A refusal for now: the HTTP answer carries `Retry-After` with these seconds. */
export class RetryLaterError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(code: ErrorCode, message: string, retryAfterSeconds: number) {
    super(code, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ConfigError extends AppError {
  constructor(message: string) {
    super('ERR_CONFIG_INVALID', message);
  }
}

/** Thrown by storage backends when a write lost a race; the conversation store re-runs the turn. */
export class StorageConflictError extends AppError {
  constructor(key: string, options?: { cause?: unknown }) {
    super('ERR_STORAGE_STALE', `state of ${key} was written by someone else first`, options);
  }
}

export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** One content problem, printed in compiler format: `file:line:col message [CODE]`. */
export interface ContentIssue extends SourcePosition {
  code: ErrorCode;
  message: string;
}

export const formatIssue = (issue: ContentIssue): string =>
  `${issue.file}:${issue.line}:${issue.col}: ${issue.message} [${issue.code}]`;

/** All problems found in the content; start-up stops on it rather than load half a KB. */
export class ContentError extends AppError {
  readonly issues: readonly ContentIssue[];

  constructor(issues: readonly ContentIssue[]) {
    super(issues[0]?.code ?? 'ERR_CONTENT_SCHEMA', issues.map(formatIssue).join('\n'));
    this.issues = issues;
  }
}
