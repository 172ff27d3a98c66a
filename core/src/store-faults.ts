import { StoreUnavailable } from './errors';

/** HTTP statuses of a store that may answer differently in a moment: throttled, unavailable, timed out, retry-with. */
const TRANSIENT_STATUSES = new Set([408, 429, 449, 503]);

/** Node and pipeline codes of a connection that dropped or never opened. */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'REQUEST_SEND_ERROR', 'UND_ERR_SOCKET']);

/** Names of a call given up on: by its own timeout, or by the request's deadline. */
const GIVEN_UP = new Set(['AbortError', 'TimeoutError']);

/**
 * The error as a StoreUnavailable if a store gave it up as transient, else undefined: what the
 * edges map to a 503 or the chat's "send it again". The Cosmos adapter turns its SDK's faults
 * into StoreUnavailable (transientCallFault); better-sqlite3 puts `SQLITE_BUSY` on a string
 * `code` when another process holds the file. Nothing else is taken for a store fault: a
 * dropped connection to Teams is not one.
 */
export function asStoreFault(error: unknown): StoreUnavailable | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StoreUnavailable) return e;
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return new StoreUnavailable();
  }
  return undefined;
}

/**
 * A failed call to a networked store (Cosmos DB) as a StoreUnavailable if it may succeed in a
 * moment, else undefined. Cosmos puts the HTTP status on a numeric `code` and the throttle's
 * wait on `retryAfterInMs`; a dropped connection or a call given up on carries a Node or
 * pipeline code or an abort's name.
 */
export function transientCallFault(error: unknown): StoreUnavailable | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StoreUnavailable) return e;
    const { code, name, retryAfterInMs } = e as { code?: unknown; name?: unknown; retryAfterInMs?: unknown };
    if (typeof code === 'number' && TRANSIENT_STATUSES.has(code)) {
      return new StoreUnavailable(typeof retryAfterInMs === 'number' && retryAfterInMs > 0 ? Math.ceil(retryAfterInMs / 1000) : 1);
    }
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code === 'TimeoutError')) return new StoreUnavailable();
    if (typeof name === 'string' && GIVEN_UP.has(name)) return new StoreUnavailable();
  }
  return undefined;
}
