import { StoreUnavailable } from './errors';

/** HTTP statuses of a store that may answer differently in a moment: throttled, unavailable, timed out, retry-with. */
const TRANSIENT_STATUSES = new Set([408, 429, 449, 503]);

/** Node and pipeline codes of a connection that dropped or never opened. */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'REQUEST_SEND_ERROR', 'UND_ERR_SOCKET']);

/** Names of a call given up on: by its own timeout, or by the request's deadline. */
const GIVEN_UP = new Set(['AbortError', 'TimeoutError']);

/**
 * The error as a StoreUnavailable if it is a transient store failure, else undefined. Knows the
 * shapes of both drivers' errors without importing either: Cosmos puts the HTTP status on a
 * numeric `code` (and the throttle's wait on `retryAfterInMs`), better-sqlite3 puts
 * `SQLITE_BUSY` on a string `code` when another process holds the file.
 */
export function asStoreFault(error: unknown): StoreUnavailable | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StoreUnavailable) return e;
    const { code, name, retryAfterInMs } = e as { code?: unknown; name?: unknown; retryAfterInMs?: unknown };
    if (typeof code === 'number' && TRANSIENT_STATUSES.has(code)) {
      return new StoreUnavailable(typeof retryAfterInMs === 'number' && retryAfterInMs > 0 ? Math.ceil(retryAfterInMs / 1000) : 1);
    }
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === 'TimeoutError')) return new StoreUnavailable();
    if (typeof name === 'string' && GIVEN_UP.has(name)) return new StoreUnavailable();
  }
  return undefined;
}
