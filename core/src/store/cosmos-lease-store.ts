import type { Container } from '@azure/cosmos';
import { safeId } from './cosmos-documents';
import { readItem, statusOf } from './cosmos-requests';
import type { LeaseStore } from './store';

/** Leases are global, not per board, so they share a partition no tenant/board key can equal (those contain a slash). */
const LEASE_PK = 'lease';

interface LeaseDoc {
  id: string;
  pk: string;
  type: 'lease';
  name: string;
  holder: string;
  expiresAt: number;
}

/** Named leases in Cosmos DB, each an item guarded by its ETag. */
export class CosmosLeaseStore implements LeaseStore {
  constructor(private readonly container: Container) {}

  async acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const id = leaseId(name);
    const doc: LeaseDoc = { id, pk: LEASE_PK, type: 'lease', name, holder, expiresAt: now.getTime() + ttlMs };
    // Expiry is judged from expiresAt, not Cosmos TTL: the emulator ignores TTL, and TTL deletion on the real service is lazy.
    const found = await readItem<LeaseDoc>(this.container, id, LEASE_PK);
    try {
      if (!found) {
        await this.container.items.create(doc);
        return true;
      }
      if (found.doc.expiresAt > now.getTime() && found.doc.holder !== holder) return false;
      // If-Match: of two instances that both saw the lease expire, only the first replace wins.
      await this.container.item(id, LEASE_PK).replace(doc, { accessCondition: { type: 'IfMatch', condition: found.etag } });
      return true;
    } catch (err) {
      if ([404, 409, 412].includes(statusOf(err) ?? 0)) return false;
      throw err;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    const id = leaseId(name);
    const found = await readItem<LeaseDoc>(this.container, id, LEASE_PK);
    if (!found || found.doc.holder !== holder) return;
    try {
      // If-Match: never delete a lease another holder took over since our read.
      await this.container.item(id, LEASE_PK).delete({ accessCondition: { type: 'IfMatch', condition: found.etag } });
    } catch (err) {
      if (![404, 412].includes(statusOf(err) ?? 0)) throw err;
    }
  }
}

function leaseId(name: string): string {
  return `lease:${safeId(name)}`;
}
