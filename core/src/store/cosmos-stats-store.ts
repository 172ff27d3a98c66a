import type { Container, OperationInput } from '@azure/cosmos';
import type { MemberStats } from '../board';
import { emptyStats } from '../member-stats';
import { type Doc, fromStatsDoc, json, partitionKey, statsId } from './cosmos-documents';
import { type Found, queryPartition, readItem } from './cosmos-requests';
import type { StatsStore } from './store';

/**
 * Member stats in Cosmos DB, one item per member key in the board's partition. Only the
 * credit writes change them, in the same batch as the credit; this class is the read side.
 */
export class CosmosStatsStore implements StatsStore {
  constructor(private readonly container: Container) {}

  async list(tenantId: string, boardId: string): Promise<MemberStats[]> {
    const docs = await queryPartition<Doc<MemberStats>>(this.container, partitionKey(tenantId, boardId), "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'stats'");
    return docs.map(fromStatsDoc);
  }

  async get(tenantId: string, boardId: string, memberKey: string): Promise<MemberStats | undefined> {
    const found = await readStats(this.container, partitionKey(tenantId, boardId), memberKey);
    return found ? fromStatsDoc(found.doc) : undefined;
  }
}

/** One member key's stats item as stored, with the ETag a batch must match to replace it. */
export function readStats(container: Container, pk: string, memberKey: string): Promise<Found<MemberStats> | undefined> {
  return readItem<MemberStats>(container, statsId(memberKey), pk);
}

/** The stats a change starts from: those stored, or none yet for a key seen for the first time. */
export function statsBefore(current: Found<MemberStats> | undefined, tenantId: string, boardId: string, memberKey: string, name: string): MemberStats {
  return current ? fromStatsDoc(current.doc) : emptyStats(tenantId, boardId, memberKey, name);
}

/** The stats of one member as the batch should leave them: Replace guarded by ETag, or Create. */
export function statsOp(pk: string, current: Found<MemberStats> | undefined, next: MemberStats): OperationInput {
  const resourceBody = json({ ...next, id: statsId(next.memberKey), pk, type: 'stats' });
  if (!current) return { operationType: 'Create', resourceBody };
  return { operationType: 'Replace', id: statsId(next.memberKey), partitionKey: pk, ifMatch: current.etag, resourceBody };
}
