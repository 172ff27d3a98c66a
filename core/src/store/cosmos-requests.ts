import type { Container, OperationInput, QueryIterator, SqlParameter } from '@azure/cosmos';
import { AsyncLocalStorage } from 'node:async_hooks';
import { pause, throwIfPastDeadline } from '../deadline';
import { DomainError, StoreUnavailable } from '../errors';
import { transientCallFault } from '../store-faults';
import type { Doc } from './cosmos-documents';

/** An item as read, with the ETag a guarded write of it must match. */
export interface Found<T> {
  doc: Doc<T>;
  etag: string;
}

/**
 * Bounded so a request path never spins: enough for 50 concurrent endorsers on one credit.
 * Every attempt also stops at the request's deadline (core/src/deadline.ts), whichever comes first.
 */
const REWRITE_ATTEMPTS = 60;
/** Bounded retries when another writer changed a stats document between our read and our batch; the request's deadline bounds them too. */
export const BATCH_ATTEMPTS = 8;

/** Point read; a missing item comes back as 404 without throwing. */
export async function readItem<T>(container: Container, id: string, pk: string): Promise<Found<T> | undefined> {
  const { resource, etag } = await container.item(id, pk).read<Doc<T>>();
  return resource ? { doc: resource, etag } : undefined;
}

/**
 * A single-partition query. The emulator ignores the partitionKey option and would return
 * other partitions' items, so every query text also filters on c.pk; the real service
 * honours the option and routes to one partition.
 */
export async function queryPartition<T>(container: Container, pk: string, text: string, parameters: SqlParameter[] = []): Promise<T[]> {
  return allOf(container.items.query<T>({ query: text, parameters: [{ name: '@pk', value: pk }, ...parameters] }, { partitionKey: pk }));
}

/**
 * Every result of a query. The SDK runs queries' pages without its operation plugins, so the
 * client's mapping of transient faults (cosmos-store.ts) never sees them: a 503 or a dropped
 * connection would reach the caller as a 500. It is mapped here instead.
 */
export async function allOf<T>(query: QueryIterator<T>): Promise<T[]> {
  try {
    return (await query.fetchAll()).resources;
  } catch (error) {
    throw transientCallFault(error) ?? error;
  }
}

/**
 * Runs the operations as one transactional batch and returns each one's status. The real
 * service rolls back the whole batch when one operation fails (the others report 424);
 * @vercel/cosmosdb-server does not, so operations before the failure stay applied. Callers
 * therefore retry only the operations that did not report success, which converges on both.
 */
export async function runBatch(container: Container, pk: string, ops: OperationInput[]): Promise<number[]> {
  const noted: { fault?: StoreUnavailable } = {};
  try {
    const response = await batchFaults.run(noted, () => container.items.batch(ops, pk));
    return ops.map((_, i) => response.result?.[i]?.statusCode ?? response.code ?? 500);
  } catch (err) {
    throw noted.fault ?? err;
  }
}

/**
 * The SDK's batch rethrows every failure as a plain Error with only the message kept, so the
 * fault the client's deadline plugin found is noted here on its way out, for runBatch to throw.
 */
const batchFaults = new AsyncLocalStorage<{ fault?: StoreUnavailable }>();

/** Notes a transient fault for the batch being run, if one is (see runBatch). */
export function noteBatchFault(fault: StoreUnavailable): void {
  const noted = batchFaults.getStore();
  if (noted) noted.fault = fault;
}

/** What a read-modify-write decided: the result to return, and the item to write unless nothing changes. */
export interface Rewrite<R> {
  result: R;
  next?: object;
}

/**
 * Read-modify-write of one item: `decide` sees the item as stored and says what it becomes,
 * and the write is guarded by the ETag read. If-Match: a writer that changed the item since
 * our read (two endorsers of one credit, a delete, a card being noted) would otherwise lose
 * its change; on a lost race the item is read again and `decide` asked again. `first` saves
 * the read when the caller has just queried the item. A missing item answers undefined.
 */
export async function rewriteItem<T, R>(
  container: Container,
  id: string,
  pk: string,
  decide: (doc: Doc<T>) => Rewrite<R> | Promise<Rewrite<R>>,
  first?: Found<T>,
): Promise<R | undefined> {
  let found = first ?? (await readItem<T>(container, id, pk));
  for (let attempt = 0; attempt < REWRITE_ATTEMPTS && found; attempt++) {
    throwIfPastDeadline();
    const { result, next } = await decide(found.doc);
    if (!next) return result;
    try {
      await container.item(id, pk).replace(next, { accessCondition: { type: 'IfMatch', condition: found.etag } });
      return result;
    } catch (err) {
      if (statusOf(err) !== 412) throw err;
      await backoff(attempt);
      found = await readItem<T>(container, id, pk);
    }
  }
  if (!found) return undefined;
  throw busy();
}

/** Deletes the item; one already gone is what the caller wanted. */
export async function deleteIfPresent(container: Container, id: string, pk: string): Promise<void> {
  try {
    await container.item(id, pk).delete();
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
}

/** The HTTP status of an SDK error; the SDK puts it on `code`. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A 2xx status. */
export function ok(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/** Operation statuses inside a batch that say "not now" rather than "never": throttled, timed out, unavailable. */
const TRANSIENT_OPERATION_STATUSES = new Set([408, 429, 449, 503]);

/**
 * A batch lost a race (412 stale ETag, 409 stats created meanwhile) and may be retried; a
 * transient status is the store's "not now", answered as StoreUnavailable; anything else is a
 * real failure.
 */
export function throwUnlessRace(statuses: number[]): void {
  const failure = statuses.find((s) => s >= 400 && s !== 424);
  if (failure === 409 || failure === 412) return;
  if (failure !== undefined && TRANSIENT_OPERATION_STATUSES.has(failure)) throw new StoreUnavailable();
  throw new Error(`Cosmos DB batch failed with status ${failure ?? statuses.join(',')}.`);
}

/** Random, growing pause so concurrent writers stop colliding in lockstep; it ends, with StoreUnavailable, at the request's deadline. */
export function backoff(attempt: number): Promise<void> {
  return pause(Math.random() * Math.min(50, 5 * (attempt + 1)));
}

/** The refusal when retries ran out because others kept winning the race. */
export function busy(): DomainError {
  return new DomainError('unavailable', 'Too many people are changing this at once. Please try again.');
}
