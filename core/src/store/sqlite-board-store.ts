import type Database from 'better-sqlite3';
import type { Board } from '../board';
import { type DocRow, parseDoc } from './sqlite-documents';
import type { BoardStore } from './store';

/** Boards in SQLite, one document per board. */
export class SqliteBoardStore implements BoardStore {
  private readonly getRow: Database.Statement<[string, string], DocRow>;
  private readonly putRow: Database.Statement<[string, string, string]>;
  private readonly rewrite: (tenantId: string, boardId: string, change: (board: Board) => Board | undefined) => Board | undefined;

  constructor(db: Database.Database) {
    this.getRow = db.prepare('SELECT doc FROM boards WHERE tenant_id = ? AND id = ?');
    this.putRow = db.prepare('INSERT INTO boards (tenant_id, id, doc) VALUES (?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET doc = excluded.doc');
    // One transaction: better-sqlite3 runs it synchronously, so no other write lands between the read and the write.
    this.rewrite = db.transaction((tenantId: string, boardId: string, change: (board: Board) => Board | undefined) => {
      const board = parseDoc<Board>(this.getRow.get(tenantId, boardId));
      if (!board) return undefined;
      const next = change(board);
      if (!next) return board;
      this.putRow.run(tenantId, boardId, JSON.stringify({ ...next, tenantId, id: boardId }));
      return { ...next, tenantId, id: boardId };
    });
  }

  async get(tenantId: string, boardId: string): Promise<Board | undefined> {
    return parseDoc<Board>(this.getRow.get(tenantId, boardId));
  }

  async put(board: Board): Promise<void> {
    this.putRow.run(board.tenantId, board.id, JSON.stringify(board));
  }

  async update(tenantId: string, boardId: string, change: (board: Board) => Board | undefined): Promise<Board | undefined> {
    return this.rewrite(tenantId, boardId, change);
  }
}
