import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { Logger } from 'pino';
import { assemble, type Assembly } from '../../src/assemble.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { sentActivity } from './processes.js';

export const SERVICE_URL = 'https://connector.test';

export interface SentActivity {
  serviceUrl: string;
  conversationId: string;
  replyToId: string;
  body: Record<string, any>;
  /** The bot's credentials on the call (a bearer token when MicrosoftAppId is set). */
  authorization?: string;
}

export interface RunningBot {
  readonly url: string;
  readonly assembly: Assembly;
  /** Everything the bot sent to the fake connectors, in order. */
  readonly sent: SentActivity[];
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real restify server on an ephemeral port, with nock standing in for the Bot Connector at
 * SERVICE_URL and at each of `serviceUrls` (a Teams serviceUrl has a path: …/amer/<tenant>/):
 * outbound activities are recorded instead of leaving the machine. State is in memory unless a
 * test passes its own storage (which it then closes itself).
 */
export async function startBot(
  env: Record<string, string> = {},
  options: { readonly now?: () => number; readonly storage?: StorageBackend; readonly serviceUrls?: readonly string[]; readonly logger?: Logger } = {},
): Promise<RunningBot> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  const sent: SentActivity[] = [];
  for (const serviceUrl of [SERVICE_URL, ...(options.serviceUrls ?? [])]) {
    const { origin, pathname } = new URL(serviceUrl);
    const prefix = pathname.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    nock(origin)
      .persist()
      .post(new RegExp(`^${prefix}/+v3/conversations/[^/]+/activities(/.*)?$`))
      .reply(200, function (uri, body) {
        const authorization = this.req.headers.authorization;
        sent.push({ ...sentActivity(serviceUrl, uri, body), ...(authorization ? { authorization } : {}) });
        return { id: `sent-${sent.length}` };
      });
  }

  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STORAGE: 'memory', ...env });
  const storage = options.storage ?? openSqliteStorage(IN_MEMORY);
  const assembly = assemble(config, options.logger ?? createLogger(config.LOG_LEVEL), storage, options.now);
  await new Promise<void>((resolve) => assembly.server.listen(0, '127.0.0.1', resolve));
  const { port } = assembly.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    assembly,
    sent,
    post: (body, headers = {}) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await new Promise<void>((resolve) => assembly.server.close(() => resolve()));
      if (!options.storage) await storage.close();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

let sequence = 0;

/** Where a conversation posts its activities and where the bot's replies are recorded. */
export type BotEndpoint = Pick<RunningBot, 'post' | 'sent'>;

/** A conversation as a channel would send it: each call posts one activity from the customer. */
export function conversation(bot: BotEndpoint, options: { channelId?: string; id?: string; serviceUrl?: string; extra?: Record<string, unknown> } = {}) {
  const id = options.id ?? `conv-${process.pid}-${++sequence}`;
  const user = { id: `user-${id}`, name: 'Customer' };
  const botAccount = { id: 'bot-id', name: 'Support Bot' };
  const base = { channelId: options.channelId ?? 'webchat', serviceUrl: options.serviceUrl ?? SERVICE_URL, conversation: { id }, recipient: botAccount, ...options.extra };
  let count = 0;
  const repliesSince = (mark: number) => bot.sent.slice(mark).filter((activity) => activity.conversationId === id);
  return {
    id,
    user,
    async join() {
      const mark = bot.sent.length;
      // Each join is a new activity (its own id): a repeated id would be dropped as a replay.
      const response = await bot.post({ ...base, type: 'conversationUpdate', id: `${id}-join${++count}`, from: user, membersAdded: [botAccount, user] });
      return { status: response.status, replies: repliesSince(mark) };
    },
    async say(text: string, extra: Record<string, unknown> = {}) {
      const mark = bot.sent.length;
      const activityId = `${id}-m${++count}`;
      const response = await bot.post({ ...base, type: 'message', id: activityId, from: user, text, locale: 'en-US', ...extra });
      return { status: response.status, activityId, replies: repliesSince(mark) };
    },
  };
}

/** What an Adaptive Card shows: its TextBlocks (list items are `\r`-separated) and its buttons. */
const cardText = (attachment: any): string[] =>
  (attachment.content?.body ?? []).filter((element: any) => element.type === 'TextBlock').map((element: any) => String(element.text).replace(/\r/g, '\n'));
const cardButtons = (attachment: any): string[] => (attachment.content?.actions ?? []).map((action: any) => action.title);

/** The text a customer reads in a set of sent activities (message text and card bodies). */
export const textOf = (activities: readonly SentActivity[]): string =>
  activities
    .filter((activity) => activity.body.type === 'message')
    .map((activity) => [activity.body.text ?? '', ...(activity.body.attachments ?? []).flatMap(cardText)].join('\n'))
    .join('\n');

export const choicesOf = (activities: readonly SentActivity[]): string[] =>
  activities.flatMap((activity) => [
    ...(activity.body.suggestedActions?.actions ?? []).map((action: any) => action.title),
    ...(activity.body.attachments ?? []).flatMap(cardButtons),
  ]);

/** The agent console's id of a web chat conversation's case (channel|conversation, URL-encoded). */
export const caseId = (conversationId: string): string => encodeURIComponent(`webchat|${conversationId}`);

/** A JSON response body, loosely typed as tests read it. */
export const jsonOf = (response: Response): Promise<any> => response.json();

/**
 * An agent's console is open (one heartbeat, as the console sends every 20 s), so the bot queues
 * customers who ask for a person instead of offering to leave a message.
 */
export async function agentOnline(bot: Pick<RunningBot, 'url'>, token: string, status: 'available' | 'away' | 'offline' = 'available'): Promise<void> {
  const response = await fetch(`${bot.url}/api/agent/presence`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
  if (!response.ok) throw new Error(`heartbeat answered ${response.status}`);
}
