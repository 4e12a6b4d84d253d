import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { TranscriptKey } from './transcriptKey.js';

/** The image types a customer may send, named by what their bytes are, never by what a client declared. */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/heic' | 'image/heif';

/** What is known of a kept upload without its bytes: what transcripts, summaries and the console list. */
export interface UploadInfo {
  readonly id: string;
  /** The customer's file name, cut and cleaned: a label, never a path. */
  readonly name: string;
  readonly contentType: ImageType;
  readonly bytes: number;
}

export interface StoredUpload extends UploadInfo, TranscriptKey {
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly data: Buffer;
}

/**
 * Customers' pictures (screenshots of an alert), kept beside the conversation they were sent in
 * and served to agents only. `put` is idempotent on the id: a channel retrying an activity keeps
 * the first copy.
 */
export interface UploadStore {
  put(upload: StoredUpload): Promise<void>;
  get(id: string): Promise<StoredUpload | undefined>;
  /** Removes uploads older than `before` (they follow the transcripts' retention); returns how many. */
  prune(before: Date): Promise<number>;
}

/**
 * The type of an image from its first bytes (file-type would do this, but needs Node 22; these
 * are the three formats phones save screenshots in, so the signatures are checked here by hand):
 * - PNG: the 8-byte signature 89 50 4E 47 0D 0A 1A 0A (PNG spec, 5.2).
 * - JPEG: SOI FF D8 followed by a marker FF (JFIF and Exif files alike).
 * - HEIC/HEIF: an ISO-BMFF `ftyp` box at offset 4 whose major brand (offset 8) names the HEIF
 *   family (ISO/IEC 23008-12): heic/heix/heim/heis (HEVC stills: image/heic), mif1/msf1/heif
 *   (generic: image/heif). iPhones write `heic`. MP4 and MOV share the box but not these brands.
 * Anything else, an SVG (script inside an "image") or HTML included, is not an image here.
 */
export function imageTypeOf(data: Buffer): ImageType | undefined {
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 12 && data.toString('latin1', 4, 8) === 'ftyp') {
    const brand = data.toString('latin1', 8, 12);
    if (HEIC_BRANDS.has(brand)) return 'image/heic';
    if (HEIF_BRANDS.has(brand)) return 'image/heif';
  }
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'heif']);

/** Longest file name kept; longer ones keep their end, where the extension is. */
const MAX_NAME_CHARS = 100;

/**
 * A file name fit to show: no path, no control or bidirectional characters (they would make a
 * name read differently in the console), at most 100 characters; "screenshot" when nothing is left.
 */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '').trim();
  return (clean.length > MAX_NAME_CHARS ? clean.slice(-MAX_NAME_CHARS) : clean) || 'screenshot';
}

/**
 * An upload's id: derived from where it was sent (channel, conversation, activity, position) when
 * the activity has an id, so a retried activity names the same upload; random otherwise.
 */
function uploadIdOf(key: TranscriptKey, activityId: string | undefined, index: number): string {
  if (!activityId) return randomBytes(16).toString('base64url');
  return createHash('sha256').update(`${key.channelId}\n${key.conversationId}\n${activityId}\n${index}`).digest('base64url').slice(0, 32);
}

/** A file as a channel received it: where it was sent, and its bytes. */
interface ReceivedFile extends TranscriptKey {
  readonly activityId?: string;
  readonly index: number;
  readonly name?: string;
  readonly data: Buffer;
}

/** Keeps what is a picture by its bytes, and nothing else: what channels/ and the embedded Direct Line hand files to. */
export class PictureKeeper {
  constructor(
    private readonly store: UploadStore,
    private readonly now: () => Date,
  ) {}

  /** The kept picture, or undefined when the bytes are not a PNG, JPEG or HEIC/HEIF image (nothing kept). */
  async keep(file: ReceivedFile): Promise<UploadInfo | undefined> {
    const contentType = imageTypeOf(file.data);
    if (!contentType) return undefined;
    const key = { channelId: file.channelId, conversationId: file.conversationId };
    const info: UploadInfo = { id: uploadIdOf(key, file.activityId, file.index), name: cleanFileName(file.name), contentType, bytes: file.data.length };
    try {
      await this.store.put({ ...info, ...key, at: this.now().toISOString(), data: file.data });
    } catch (error) {
      // The turn stops here with the storage apology: the customer sends the picture again.
      throw new AppError('ERR_STORAGE_UNAVAILABLE', 'the picture could not be kept', { cause: error });
    }
    return info;
  }
}
