import type { Attachment, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.js';
import type { UploadInfo } from '../bot/types.js';
import { firstLine } from '../text.js';

/** A file a customer sent, read in full (or up to one byte past the limit). */
interface ReceivedFile {
  readonly channelId: string;
  readonly conversationId: string;
  readonly activityId?: string;
  /** Position among the message's files: with the activity id, it names the upload on a retry. */
  readonly index: number;
  readonly name?: string;
  readonly data: Buffer;
}

/**
 * Where channels/ hands a customer's file (assemble.ts builds it over storage/): a picture, by
 * its bytes, is kept and described; anything else gives undefined and nothing is kept.
 */
export interface PictureKeeper {
  keep(file: ReceivedFile): Promise<UploadInfo | undefined>;
}

interface AttachmentReaderOptions {
  readonly keeper: PictureKeeper;
  /** UPLOAD_MAX_BYTES: a larger file is refused, and no more of it is read. */
  readonly maxBytes: number;
  /** How long one download may take (CONNECTOR_TIMEOUT_MS): a stalled file server must not hold the turn. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** What the customer sent besides words: pictures kept, and names of files refused. */
interface ReadAttachments {
  readonly uploads: readonly UploadInfo[];
  readonly refused: readonly string[];
}

/** Web Chat lets a customer pick several files at once; more than this in one message is refused. */
const MAX_FILES = 4;

/** A Teams file sent in a personal chat: a pre-authorised download URL, no token needed (TEAMS.md). */
const TEAMS_FILE = 'application/vnd.microsoft.teams.file.download.info';

/**
 * Hosts that may receive the bot's own token with a download: the conversation's serviceUrl
 * (Teams serves inline images under it, /v3/attachments/…), and Microsoft's connector and Teams
 * media hosts. The token authenticates this bot to the Bot Framework: sent anywhere else, it
 * would let that host act as the bot.
 */
const TOKEN_HOSTS = ['.botframework.com', '.skype.com', 'smba.trafficmanager.net'];

/**
 * Reads the files of a customer's message. The embedded Direct Line hands its uploads over in
 * process, already read (a Buffer as `content`, which no JSON body can produce); any other
 * channel's files are downloaded over https with bounded size and time: Teams inline images
 * with the bot's token, Teams file download info from its pre-authorised URL. The text/html
 * copy Teams adds to typed messages is not a file.
 */
export class AttachmentReader {
  constructor(private readonly options: AttachmentReaderOptions) {}

  async read(context: TurnContext, embedded: boolean): Promise<ReadAttachments> {
    const { activity } = context;
    const files = (activity.attachments ?? []).filter((attachment) => attachment.contentType !== 'text/html');
    const uploads: UploadInfo[] = [];
    const refused: string[] = [];
    for (const [index, attachment] of files.entries()) {
      const name = attachment.name ?? 'file';
      const data = index < MAX_FILES ? await this.bytesOf(context, attachment, embedded) : undefined;
      const kept =
        data && data.length <= this.options.maxBytes
          ? await this.options.keeper.keep({
              channelId: activity.channelId,
              conversationId: activity.conversation.id,
              ...(activity.id ? { activityId: activity.id } : {}),
              index,
              ...(attachment.name ? { name: attachment.name } : {}),
              data,
            })
          : undefined;
      if (kept) uploads.push(kept);
      else refused.push(name);
    }
    return { uploads, refused };
  }

  /** The file's bytes (the embedded Direct Line's stop one byte past the limit), or undefined when it cannot be read or is too large. */
  private async bytesOf(context: TurnContext, attachment: Attachment, embedded: boolean): Promise<Buffer | undefined> {
    if (embedded) return Buffer.isBuffer(attachment.content) ? attachment.content : undefined;
    if (attachment.contentType === TEAMS_FILE) {
      const url = (attachment.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
      return typeof url === 'string' ? this.download(context, url, false) : undefined;
    }
    // Cards, stickers and the like are not files; only an image's URL is worth fetching.
    if (!attachment.contentType?.startsWith('image/') || !attachment.contentUrl) return undefined;
    return this.download(context, attachment.contentUrl, true);
  }

  private async download(context: TurnContext, raw: string, withToken: boolean): Promise<Buffer | undefined> {
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (url?.protocol !== 'https:') return undefined;
    const log = this.options.logger.child({ conversationId: context.activity.conversation.id, activityId: context.activity.id, host: url.host });
    try {
      const authorization = withToken && tokenMayGoTo(url, context.activity.serviceUrl) ? await botAuthorization(context) : undefined;
      const response = await fetch(url, {
        headers: authorization ? { authorization } : {},
        // With the bot's token, a redirect could carry it elsewhere: refused rather than followed.
        redirect: authorization ? 'error' : 'follow',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!response.ok || !response.body) {
        log.warn({ code: DOWNLOAD_FAILED, status: response.status }, 'a customer file could not be downloaded');
        await response.body?.cancel();
        return undefined;
      }
      return await readAtMost(response, this.options.maxBytes);
    } catch (error) {
      log.warn({ code: DOWNLOAD_FAILED, reason: firstLine(error) }, 'a customer file could not be downloaded');
      return undefined;
    }
  }
}

const DOWNLOAD_FAILED: ErrorCode = 'ERR_UPLOAD_DOWNLOAD';

function tokenMayGoTo(url: URL, serviceUrl: string | undefined): boolean {
  const service = serviceUrl && URL.canParse(serviceUrl) ? new URL(serviceUrl) : undefined;
  if (service && service.protocol === 'https:' && service.host === url.host) return true;
  return TOKEN_HOSTS.some((host) => (host.startsWith('.') ? url.hostname.endsWith(host) : url.hostname === host));
}

/**
 * The bot's own Authorization header, from the connector client botbuilder made for this turn
 * (its credentials renew their token); none when MicrosoftAppId is empty.
 */
async function botAuthorization(context: TurnContext): Promise<string | undefined> {
  const client = context.turnState.get(context.adapter.ConnectorClientKey) as { credentials?: { signRequest(resource: unknown): Promise<unknown> } } | undefined;
  if (!client?.credentials) return undefined;
  let authorization: string | undefined;
  await client.credentials.signRequest({
    headers: {
      set: (name: string, value: string) => {
        if (name.toLowerCase() === 'authorization') authorization = value;
      },
    },
  });
  return authorization;
}

/** The body, or undefined (the rest cancelled, unread) as soon as it is known to be over `limit` bytes. */
async function readAtMost(response: Response, limit: number): Promise<Buffer | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early cancels the stream: nothing more is downloaded.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
