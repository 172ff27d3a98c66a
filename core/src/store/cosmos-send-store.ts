import type { Container } from '@azure/cosmos';
import type { SendRecord } from '../send-record';
import { type Doc, json, partitionKey, safeId, strip } from './cosmos-documents';
import { deleteIfPresent, queryPartition, readItem, statusOf } from './cosmos-requests';
import type { SendStore } from './store';

/** Send records in Cosmos DB: one item per message in its board's partition, created only if absent. */
export class CosmosSendStore implements SendStore {
  constructor(private readonly container: Container) {}

  async create(record: SendRecord): Promise<{ created: boolean; record: SendRecord }> {
    const doc: Doc<SendRecord> = { ...record, id: sendItemId(record.key), pk: partitionKey(record.tenantId, record.boardId), type: 'send' };
    try {
      // Create, not upsert: the item id is the message's key, so of two racing runs the second gets 409.
      await this.container.items.create(json(doc));
      return { created: true, record };
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    return { created: false, record: (await this.get(record.tenantId, record.boardId, record.key)) as SendRecord };
  }

  async get(tenantId: string, boardId: string, key: string): Promise<SendRecord | undefined> {
    const found = await readItem<SendRecord>(this.container, sendItemId(key), partitionKey(tenantId, boardId));
    return found ? strip<SendRecord>(found.doc, ['id']) : undefined;
  }

  async update(expected: SendRecord, next: SendRecord): Promise<boolean> {
    const id = sendItemId(expected.key);
    const pk = partitionKey(expected.tenantId, expected.boardId);
    const found = await readItem<SendRecord>(this.container, id, pk);
    if (!found || found.doc.status !== expected.status || found.doc.attempts !== expected.attempts) return false;
    try {
      // If-Match: a run that moved the record on since our read wins, and we do not.
      await this.container.item(id, pk).replace(json({ ...next, id, pk, type: 'send' }), { accessCondition: { type: 'IfMatch', condition: found.etag } });
      return true;
    } catch (err) {
      if ([404, 412].includes(statusOf(err) ?? 0)) return false;
      throw err;
    }
  }

  async listRecipient(tenantId: string, boardId: string, userId: string): Promise<SendRecord[]> {
    const docs = await queryPartition<Doc<SendRecord>>(
      this.container,
      partitionKey(tenantId, boardId),
      "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'send' AND c.recipientId = @userId",
      [{ name: '@userId', value: userId }],
    );
    return docs.map((doc) => strip<SendRecord>(doc, ['id'])).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async eraseRecipient(tenantId: string, boardId: string, userId: string): Promise<number> {
    const pk = partitionKey(tenantId, boardId);
    const ids = await queryPartition<{ id: string }>(this.container, pk, "SELECT c.id FROM c WHERE c.pk = @pk AND c.type = 'send' AND c.recipientId = @userId", [{ name: '@userId', value: userId }]);
    for (const { id } of ids) await deleteIfPresent(this.container, id, pk);
    return ids.length;
  }
}

function sendItemId(key: string): string {
  return `send:${safeId(key)}`;
}
