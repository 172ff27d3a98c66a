import type { Container } from '@azure/cosmos';
import type { Board } from '../board';
import { invalid } from '../errors';
import { type Doc, json, partitionKey, strip } from './cosmos-documents';
import { allOf, readItem, rewriteItem } from './cosmos-requests';
import type { BoardStore, Page } from './store';

/** The board's own id goes in boardId: the item id is fixed so one partition holds exactly one board. */
export type StoredBoard = Omit<Board, 'id'> & { boardId: string };
const BOARD_ITEM_ID = 'board';

/** The board inside its stored item. */
export function fromBoardDoc(doc: Doc<StoredBoard>): Board {
  const { boardId: id, ...rest } = strip<StoredBoard>(doc, ['id']);
  return { ...rest, id };
}

/** Boards in Cosmos DB: one item per board, in the board's own partition. */
export class CosmosBoardStore implements BoardStore {
  constructor(private readonly container: Container) {}

  async get(tenantId: string, boardId: string): Promise<Board | undefined> {
    const found = await readItem<StoredBoard>(this.container, BOARD_ITEM_ID, partitionKey(tenantId, boardId));
    return found && fromBoardDoc(found.doc);
  }

  async put(board: Board): Promise<void> {
    await this.container.items.upsert(json(toBoardDoc(board)));
  }

  async update(tenantId: string, boardId: string, change: (board: Board) => Board | undefined): Promise<Board | undefined> {
    // Guarded by the ETag read (rewriteItem), and read again on a lost race.
    return rewriteItem<StoredBoard, Board>(this.container, BOARD_ITEM_ID, partitionKey(tenantId, boardId), (doc) => {
      const board = fromBoardDoc(doc);
      const next = change(board);
      if (!next) return { result: board };
      // A change cannot move the board to another tenant or id.
      const stored = { ...next, tenantId, id: boardId };
      return { result: stored, next: toBoardDoc(stored) };
    });
  }

  async list(options: { limit: number; cursor?: string }): Promise<Page<Board>> {
    const after = options.cursor === undefined ? '' : decodePkCursor(options.cursor);
    // Across partitions, by partition key: each board is the one item of its partition, so the key orders boards stably.
    const resources = await allOf(
      this.container.items.query<Doc<StoredBoard>>({
        query: "SELECT TOP @n * FROM c WHERE c.type = 'board' AND c.pk > @after ORDER BY c.pk",
        parameters: [
          { name: '@n', value: options.limit + 1 },
          { name: '@after', value: after },
        ],
      }),
    );
    const page = resources.slice(0, options.limit);
    const last = page[page.length - 1];
    return { items: page.map(fromBoardDoc), nextCursor: resources.length > options.limit && last ? Buffer.from(last.pk).toString('base64url') : undefined };
  }
}

function decodePkCursor(cursor: string): string {
  const pk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!pk.includes('/')) throw invalid('The cursor is not one this server gave out.', 'cursor');
  return pk;
}

function toBoardDoc(board: Board): Doc<StoredBoard> {
  const { id: boardId, ...rest } = board;
  return { ...rest, boardId, id: BOARD_ITEM_ID, pk: partitionKey(board.tenantId, boardId), type: 'board' };
}
