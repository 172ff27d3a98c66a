import type Database from 'better-sqlite3';
import type { Board } from '../board';
import { type DocRow, parseDoc } from './sqlite-documents';
import type { BoardStore } from './store';

/** Boards in SQLite, one document per board. */
export class SqliteBoardStore implements BoardStore {
  private readonly getRow: Database.Statement<[string, string], DocRow>;
  private readonly putRow: Database.Statement<[string, string, string]>;
  private readonly changeRow: (tenantId: string, boardId: string, change: (board: Board) => Board | undefined) => Board | undefined;

  constructor(db: Database.Database) {
    this.getRow = db.prepare('SELECT doc FROM boards WHERE tenant_id = ? AND id = ?');
    this.putRow = db.prepare('INSERT INTO boards (tenant_id, id, doc) VALUES (?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET doc = excluded.doc');
    const changeRow = db.transaction((tenantId: string, boardId: string, change: (board: Board) => Board | undefined): Board | undefined => {
      const board = parseDoc<Board>(this.getRow.get(tenantId, boardId));
      const next = board && change(board);
      if (!next) return board;
      // A change cannot move the board to another tenant or id.
      const stored = { ...next, tenantId, id: boardId };
      this.putRow.run(tenantId, boardId, JSON.stringify(stored));
      return stored;
    });
    // IMMEDIATE takes the write lock before the read: another process on the file (a second
    // instance) cannot write the board between our read and our write, so no version is needed,
    // and in this process nothing runs between them, `change` being synchronous.
    this.changeRow = changeRow.immediate.bind(changeRow);
  }

  async get(tenantId: string, boardId: string): Promise<Board | undefined> {
    return parseDoc<Board>(this.getRow.get(tenantId, boardId));
  }

  async put(board: Board): Promise<void> {
    this.putRow.run(board.tenantId, board.id, JSON.stringify(board));
  }

  async update(tenantId: string, boardId: string, change: (board: Board) => Board | undefined): Promise<Board | undefined> {
    return this.changeRow(tenantId, boardId, change);
  }
}
