import { invalid } from '../errors';

/** Where a feed page ended: the last item's time and id (keyset pagination never skips or repeats). */
export interface FeedPosition {
  createdAt: string;
  id: string;
}

/** An opaque cursor for the position. */
export function encodeCursor(p: FeedPosition): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');
}

/** The position in a cursor; a cursor that was not made here is refused. */
export function decodeCursor(cursor: string): FeedPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { createdAt: value[0] as string, id: value[1] as string };
    }
  } catch {
    // fall through to the refusal below
  }
  throw invalid('The cursor is not one this server gave out.', 'cursor');
}
