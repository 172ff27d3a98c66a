import type { Container } from '@azure/cosmos';
import type { Member } from '../board';
import { type StoredBoard, fromBoardDoc } from './cosmos-board-store';
import { type Doc, type MemberDoc, type RecognitionDoc, fromMemberDoc, fromRecognitionDoc, memberId, partitionKey } from './cosmos-documents';
import { queryPartition } from './cosmos-requests';
import type { CreditContextQuery, CreditContextRecords } from './store';

type ContextDoc = Doc<StoredBoard> | MemberDoc | RecognitionDoc;

/**
 * One query of the board's partition for the board, the members asked for and the giver's
 * latest credits. It costs two requests: @azure/cosmos 4.9 asks the gateway for a query plan
 * with every item query, a partition key in the options or not (QueryIterator.fetchQueryPlan),
 * though it sends both at once and waits for the plan only if the query is refused without it.
 */
export async function readCosmosCreditContext(container: Container, tenantId: string, boardId: string, q: CreditContextQuery): Promise<CreditContextRecords> {
  const docs = await queryPartition<ContextDoc>(
    container,
    partitionKey(tenantId, boardId),
    `SELECT * FROM c WHERE c.pk = @pk AND (c.type = 'board'
       OR (c.type = 'member' AND c.active = true AND (ARRAY_CONTAINS(@memberIds, c.id) OR ARRAY_CONTAINS(@channelUserIds, c.channelUserId)))
       OR (c.type = 'recognition' AND c.giver.userId = @giverId AND c.createdAt >= @since))`,
    [
      { name: '@memberIds', value: [...new Set([q.giverId, ...q.userIds])].map(memberId) },
      { name: '@channelUserIds', value: [...new Set(q.channelUserIds)] },
      { name: '@giverId', value: q.giverId },
      { name: '@since', value: q.givenSince },
    ],
  );
  const records: CreditContextRecords = { members: [], given: [] };
  const members = new Map<string, Member>();
  for (const doc of docs) {
    if (doc.type === 'board') records.board = fromBoardDoc(doc as Doc<StoredBoard>);
    else if (doc.type === 'member') members.set((doc as MemberDoc).userId, fromMemberDoc(doc as MemberDoc));
    else if (doc.type === 'recognition') records.given?.push(fromRecognitionDoc(doc as RecognitionDoc));
  }
  records.members = [...members.values()];
  return records;
}
