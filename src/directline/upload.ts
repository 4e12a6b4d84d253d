import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError } from '../errors.js';

/** One file part of an upload, read up to one byte past the limit (so "too large" is known without keeping more). */
interface UploadedFile {
  readonly name: string;
  readonly data: Buffer;
}

export interface UploadParts {
  /** The `activity` part: the message as JSON, its attachments without their content. */
  readonly activity: string;
  readonly files: readonly UploadedFile[];
}

interface UploadLimits {
  /** UPLOAD_MAX_BYTES: bytes of a file kept; one more is read to know it was larger. */
  readonly maxFileBytes: number;
}

/** Web Chat lets a customer pick several files at once; more in one message are refused (400). */
export const MAX_UPLOAD_FILES = 4;
/**
 * The activity part carries Web Chat's thumbnails (data: URLs of at most 720×360 JPEG, tens of
 * kilobytes each) besides the text; anything larger is not from Web Chat.
 */
const MAX_ACTIVITY_BYTES = 512 * 1024;
/** Boundaries and part headers, generously. */
const OVERHEAD_BYTES = 64 * 1024;

/**
 * Reads an upload as botframework-directlinejs sends it (postMessageWithAttachments): a
 * multipart/form-data body with one `activity` part (a Blob of type
 * application/vnd.microsoft.activity, so it arrives as a file named "blob") and one `file` part
 * per attachment, named by the attachment's (deduplicated) name. Nothing touches the disk: parts
 * are read into memory, each bounded, and the whole body may not exceed what those bounds allow,
 * so a request holds at most about MAX_UPLOAD_FILES × UPLOAD_MAX_BYTES. The server's request
 * deadline (REQUEST_TIMEOUT_MS) cuts a body that does not arrive, which ends this with 400.
 */
export function readUpload(req: IncomingMessage, limits: UploadLimits): Promise<UploadParts> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;/i.test(type)) return Promise.reject(new AppError('ERR_REQUEST_MEDIA_TYPE', 'an upload must be multipart/form-data'));
  const ceiling = MAX_UPLOAD_FILES * (limits.maxFileBytes + 1) + MAX_ACTIVITY_BYTES + OVERHEAD_BYTES;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > ceiling) return Promise.reject(tooLarge());

  return new Promise<UploadParts>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: Math.max(limits.maxFileBytes, MAX_ACTIVITY_BYTES) + 1, files: MAX_UPLOAD_FILES + 1, fields: 1, fieldSize: MAX_ACTIVITY_BYTES, parts: MAX_UPLOAD_FILES + 2, headerPairs: 16 },
      });
    } catch (error) {
      reject(new AppError('ERR_REQUEST_INVALID', 'the upload is not valid multipart/form-data', { cause: error }));
      return;
    }
    let activity: string | undefined;
    const files: UploadedFile[] = [];
    const reading: Promise<void>[] = [];
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };

    let received = 0;
    // A chunked body has no Content-Length to check up front: it is counted as it arrives.
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > ceiling) fail(tooLarge());
    });
    req.on('aborted', () => fail(new AppError('ERR_REQUEST_INVALID', 'the upload did not arrive in full')));

    parser.on('file', (name, stream, info) => {
      if (name === 'activity') {
        reading.push(
          collect(stream, MAX_ACTIVITY_BYTES + 1).then((data) => {
            if (data.length > MAX_ACTIVITY_BYTES) fail(new AppError('ERR_DIRECTLINE_ACTIVITY', 'activity: the activity part is too large'));
            activity = data.toString('utf8');
          }),
        );
      } else if (name === 'file') {
        // collect stops one byte past the limit; busboy drops (and does not keep) the rest of a larger file.
        reading.push(collect(stream, limits.maxFileBytes + 1).then((data) => void files.push({ name: info.filename ?? 'file', data })));
      } else {
        stream.resume();
      }
    });
    parser.on('field', (name, value, info) => {
      if (name !== 'activity') return;
      if (info.valueTruncated) fail(new AppError('ERR_DIRECTLINE_ACTIVITY', 'activity: the activity part is too large'));
      activity = value;
    });
    parser.on('filesLimit', () => fail(new AppError('ERR_DIRECTLINE_ACTIVITY', `attachments: at most ${MAX_UPLOAD_FILES} files at once`)));
    parser.on('partsLimit', () => fail(new AppError('ERR_DIRECTLINE_ACTIVITY', 'the upload has too many parts')));
    parser.on('fieldsLimit', () => fail(new AppError('ERR_DIRECTLINE_ACTIVITY', 'the upload has too many fields')));
    parser.on('error', (error: unknown) => fail(new AppError('ERR_REQUEST_INVALID', 'the upload is not valid multipart/form-data', { cause: error })));
    parser.on('close', () => {
      void Promise.all(reading).then(() => {
        if (failed) return;
        if (activity === undefined) fail(new AppError('ERR_DIRECTLINE_ACTIVITY', 'activity: the upload has no activity part'));
        else resolve({ activity, files });
      });
    });
    req.pipe(parser);
  });
}

/** A part's bytes, at most `limit` of them; the rest is drained so the parser can go on. */
function collect(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (size >= limit) return;
      const room = limit - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    // A broken body errors the part and the parser alike; the parser's error is the one answered.
    stream.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

const tooLarge = (): AppError => new AppError('ERR_REQUEST_TOO_LARGE', `an upload may carry at most ${MAX_UPLOAD_FILES} files`);
