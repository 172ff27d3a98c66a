import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreUnavailable } from './errors';

/**
 * The deadline of the request being served, carried as a plain AbortSignal. It travels with
 * the request's async work rather than through every use case and store method, so each
 * store call (and each of its retries) sees the one deadline its request started with.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` under `signal`: every store call it makes gives up, retries included, once the signal aborts. */
export function withinDeadline<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return scope.run(signal, work);
}

/** Runs `work` under no request's deadline: background work a request starts (a roster sync) outlives it. */
export function outsideDeadline<T>(work: () => T): T {
  return scope.exit(work);
}

/** The signal of the request being served, if any. */
export function currentDeadline(): AbortSignal | undefined {
  return scope.getStore();
}

/** Throws StoreUnavailable if the request's deadline has passed: a retry loop checks it before each attempt. */
export function throwIfPastDeadline(): void {
  if (currentDeadline()?.aborted) throw new StoreUnavailable();
}

/** Settles with `work`, or rejects with StoreUnavailable when the request's deadline passes first. */
export function raceDeadline<T>(work: Promise<T>, signal: AbortSignal | undefined = currentDeadline()): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    // Nobody waits for it any more; its failure would otherwise be an unhandled rejection.
    work.catch(() => undefined);
    return Promise.reject(new StoreUnavailable());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(new StoreUnavailable());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A pause that ends early, with StoreUnavailable, when the request's deadline passes. */
export function pause(ms: number): Promise<void> {
  return raceDeadline(new Promise<void>((resolve) => setTimeout(resolve, ms)));
}
