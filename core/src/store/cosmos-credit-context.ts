import type { Container } from '@azure/cosmos';
import type { Member, MemberStats } from '../board';
import { type DayHours, dayOf } from '../credit-counts';
import { type StoredBoard, fromBoardDoc } from './cosmos-board-store';
import {
  type DayCountsDoc,
  type Doc,
  type MemberDoc,
  type RecognitionDoc,
  type StatsDoc,
  dayCountsId,
  fromMemberDoc,
  fromRecognitionDoc,
  memberId,
  partitionKey,
  statsId,
} from './cosmos-documents';
import { type Found, queryPartition } from './cosmos-requests';
import type { CreditBasis, CreditContextQuery, CreditContextRecords } from './store';

type ContextDoc = Doc<StoredBoard> | MemberDoc | RecognitionDoc | StatsDoc | DayCountsDoc;

/**
 * The stats and the day's counts the credit context read, with their ETags, for the credit's
 * batch to be guarded by instead of reading them again. A key maps to undefined when it has no
 * stats yet, as far as the query could tell.
 */
export class CosmosCreditBasis implements CreditBasis {
  constructor(
    readonly tenantId: string,
    readonly boardId: string,
    readonly stats: ReadonlyMap<string, Found<MemberStats> | undefined>,
    /** The channel id of each member key read, for their stats item to carry so the next context query finds it. */
    readonly channelUserIds: ReadonlyMap<string, string>,
    readonly day?: { day: string; counts?: Found<{ day: string; hours: DayHours }> },
  ) {}

  /** True when the basis was read on this partition. */
  isFor(pk: string): boolean {
    return partitionKey(this.tenantId, this.boardId) === pk;
  }
}

/**
 * One query of the board's partition for the board, the members asked for, the giver's latest
 * credits, and what the credit's batch will replace: the giver's and the people's stats (by
 * item id, or by the channel id a stats item carries, for people named by mention) and the
 * day's counts. It costs two requests at once: @azure/cosmos 4.9 asks the gateway for a query
 * plan with every item query, a partition key in the options or not (QueryIterator.fetchQueryPlan),
 * though it sends both together and waits for the plan only if the query is refused without it.
 * The condition is kept flat (ids and channel ids of any type, sorted out below): the local
 * emulator compiles each query once per container, and nested conditions cost it a second of CPU.
 */
export async function readCosmosCreditContext(container: Container, tenantId: string, boardId: string, q: CreditContextQuery): Promise<CreditContextRecords> {
  const userIds = [...new Set([q.giverId, ...q.userIds])];
  const day = q.at ? dayOf(q.at) : undefined;
  const docs = await queryPartition<ContextDoc>(
    container,
    partitionKey(tenantId, boardId),
    `SELECT * FROM c WHERE c.pk = @pk AND (c.type = 'board' OR ARRAY_CONTAINS(@ids, c.id) OR ARRAY_CONTAINS(@channelUserIds, c.channelUserId)
       OR (c.type = 'recognition' AND c.giver.userId = @giverId AND c.createdAt >= @since))`,
    [
      { name: '@ids', value: [...userIds.map(memberId), ...userIds.map(statsId), ...(day ? [dayCountsId(day)] : [])] },
      { name: '@channelUserIds', value: [...new Set(q.channelUserIds)] },
      { name: '@giverId', value: q.giverId },
      { name: '@since', value: q.givenSince },
    ],
  );
  const records: CreditContextRecords = { members: [], given: [] };
  const members = new Map<string, Member>();
  const stats = new Map<string, Found<MemberStats> | undefined>();
  let counts: Found<{ day: string; hours: DayHours }> | undefined;
  for (const doc of docs) {
    if (doc.type === 'board') records.board = fromBoardDoc(doc as Doc<StoredBoard>);
    else if (doc.type === 'member' && (doc as MemberDoc).active) members.set((doc as MemberDoc).userId, fromMemberDoc(doc as MemberDoc));
    else if (doc.type === 'recognition') records.given?.push(fromRecognitionDoc(doc as RecognitionDoc));
    else if (doc.type === 'stats') stats.set((doc as StatsDoc).memberKey, { doc: doc as StatsDoc, etag: doc._etag as string });
    else if (doc.type === 'day-counts') counts = { doc: doc as DayCountsDoc, etag: doc._etag as string };
  }
  records.members = [...members.values()];
  // Asked for by id, a key without stats has none. Found by channel id, a member whose stats
  // item predates channel ids on stats looks the same: its create is then refused (409), and
  // the retry reads the item and writes the channel id into it.
  for (const key of [...userIds, ...members.keys()]) if (!stats.has(key)) stats.set(key, undefined);
  const channelIds = new Map(records.members.flatMap((m) => (m.channelUserId ? [[m.userId, m.channelUserId] as const] : [])));
  records.basis = new CosmosCreditBasis(tenantId, boardId, stats, channelIds, day ? { day, counts } : undefined);
  return records;
}
