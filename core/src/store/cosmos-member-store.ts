import type { Container, OperationInput, SqlParameter } from '@azure/cosmos';
import type { Member } from '../board';
import { type MemberDoc, fromMemberDoc, json, memberId, partitionKey, toMemberDoc } from './cosmos-documents';
import { allOf, ok, queryPartition, readItem, runBatch } from './cosmos-requests';
import type { MemberStore, RosterPerson } from './store';

const ACTIVE = 'AND c.active = true';
/** A transactional batch holds at most 100 operations. */
const BATCH_LIMIT = 100;

/** Board rosters in Cosmos DB: one item per member, in their board's partition. */
export class CosmosMemberStore implements MemberStore {
  constructor(private readonly container: Container) {}

  async get(tenantId: string, boardId: string, userId: string): Promise<Member | undefined> {
    const found = await readItem<Member>(this.container, memberId(userId), partitionKey(tenantId, boardId));
    return found ? fromMemberDoc(found.doc as MemberDoc) : undefined;
  }

  list(tenantId: string, boardId: string, options?: { includeLeft?: boolean }): Promise<Member[]> {
    return this.query(tenantId, boardId, options?.includeLeft ? '' : ACTIVE);
  }

  async listPeople(tenantId: string, boardId: string): Promise<RosterPerson[]> {
    // Only the fields insights read: a big board's items stay on the server.
    const people = await queryPartition<RosterPerson>(
      this.container,
      partitionKey(tenantId, boardId),
      `SELECT c.userId, c.name, c.optedOut FROM c WHERE c.pk = @pk AND c.type = 'member' ${ACTIVE}`,
    );
    return people.map((p) => ({ userId: p.userId, name: p.name, optedOut: p.optedOut === true }));
  }

  search(tenantId: string, boardId: string, text: string, limit: number): Promise<Member[]> {
    const needle = text.trim().toLowerCase();
    return this.query(
      tenantId,
      boardId,
      `${ACTIVE} AND (STARTSWITH(c.nameLower, @needle) OR CONTAINS(c.nameLower, @word) OR STARTSWITH(c.emailLower, @needle))`,
      [
        { name: '@needle', value: needle },
        { name: '@word', value: ` ${needle}` },
      ],
      limit,
    );
  }

  async findByEmail(tenantId: string, boardId: string, email: string): Promise<Member | undefined> {
    const [found] = await this.query(tenantId, boardId, `${ACTIVE} AND c.emailLower = @email`, [{ name: '@email', value: email.toLowerCase() }], 1);
    return found;
  }

  async findByChannelId(tenantId: string, boardId: string, channelUserId: string): Promise<Member | undefined> {
    const [found] = await this.query(tenantId, boardId, `${ACTIVE} AND c.channelUserId = @channelUserId`, [{ name: '@channelUserId', value: channelUserId }], 1);
    return found;
  }

  async put(member: Member): Promise<void> {
    await this.container.items.upsert(json(toMemberDoc(member, partitionKey(member.tenantId, member.boardId))));
  }

  async putMany(members: readonly Member[]): Promise<void> {
    const byPartition = new Map<string, OperationInput[]>();
    for (const m of members) {
      const pk = partitionKey(m.tenantId, m.boardId);
      const ops = byPartition.get(pk) ?? [];
      ops.push({ operationType: 'Upsert', partitionKey: pk, resourceBody: json(toMemberDoc(m, pk)) });
      byPartition.set(pk, ops);
    }
    for (const [pk, ops] of byPartition) {
      for (let i = 0; i < ops.length; i += BATCH_LIMIT) {
        const statuses = await runBatch(this.container, pk, ops.slice(i, i + BATCH_LIMIT));
        const failed = statuses.find((s) => !ok(s));
        // Upserts carry whole members, so the caller may simply write the lot again.
        if (failed !== undefined) throw new Error(`Cosmos DB member batch failed with status ${failed}.`);
      }
    }
  }

  async boardsOf(tenantId: string, userId: string, options?: { includeLeft?: boolean }): Promise<Member[]> {
    // The one cross-partition query: a user's boards live in as many partitions as they have boards.
    const resources = await allOf(
      this.container.items.query<MemberDoc>({
        query: `SELECT * FROM c WHERE c.type = 'member' AND c.tenantId = @tenantId AND c.userId = @userId ${options?.includeLeft ? '' : ACTIVE}`,
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@userId', value: userId },
        ],
      }),
    );
    return resources.map(fromMemberDoc).sort((a, b) => (a.boardId < b.boardId ? -1 : a.boardId > b.boardId ? 1 : 0));
  }

  /** The board's members matching the filter, by name; at most `top` of them when given. */
  private async query(tenantId: string, boardId: string, filter: string, params: SqlParameter[] = [], top?: number): Promise<Member[]> {
    const docs = await queryPartition<MemberDoc>(
      this.container,
      partitionKey(tenantId, boardId),
      `SELECT ${top === undefined ? '' : 'TOP @n'} * FROM c WHERE c.pk = @pk AND c.type = 'member' ${filter} ORDER BY c.nameLower`,
      top === undefined ? params : [...params, { name: '@n', value: top }],
    );
    return docs.map(fromMemberDoc);
  }
}
