import type { Container } from '@azure/cosmos';
import type { Board } from '../board';
import { type Doc, json, partitionKey, strip } from './cosmos-documents';
import { readItem, rewriteItem } from './cosmos-requests';
import type { BoardStore } from './store';

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
}

function toBoardDoc(board: Board): Doc<StoredBoard> {
  const { id: boardId, ...rest } = board;
  return { ...rest, boardId, id: BOARD_ITEM_ID, pk: partitionKey(board.tenantId, boardId), type: 'board' };
}
