/** Small text helpers shared by every room (like errors and config, anyone may import them). */

/** An error's (or any text's) first line, short: enough to tell why without a stack or a request body. */
export const firstLine = (value: unknown): string => {
  const text = value instanceof Error ? value.message : typeof value === 'string' ? value : String((value as { message?: unknown } | null)?.message ?? value);
  return text.split('\n')[0]?.slice(0, 200) ?? '';
};

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export const bearerToken = (header: string | readonly string[] | undefined): string | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  return /^Bearer (\S+)$/i.exec(typeof value === 'string' ? value : '')?.[1];
};
