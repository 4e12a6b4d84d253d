/**
 * Blob names as botbuilder-azure-blobs wrote them, so a store filled by earlier versions of the bot
 * (which used that package) is read unchanged: empty path segments dropped (a leading one kept), then the whole key
 * URI-encoded (its slashes too) and cut at Azure's 1,024-character limit.
 */
export function blobName(key: string): string {
  // Slashes past the 254th are dropped rather than kept, as that package did (Azure's limit on path segments).
  const joined = key.split('/').reduce((name, part, index) => (part ? `${name}${index < 255 ? '/' : ''}${part}` : name));
  return encodeURIComponent(joined).slice(0, 1024);
}

/** The HTTP status of an @azure/storage-blob RestError, if it has one. */
export const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number } | null)?.statusCode;
