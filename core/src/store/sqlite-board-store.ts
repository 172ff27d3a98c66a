import type Database from 'better-sqlite3';
import type { Board } from '../board';
import { type DocRow, parseDoc } from './sqlite-documents';
import type { BoardStore } from './store';

/** Boards in SQLite, one document per board. */
export class SqliteBoardStore implements BoardStore {
  private readonly getRow: Database.Statement<[string, string], DocRow>;
  private readonly putRow: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    this.getRow = db.prepare('SELECT doc FROM boards WHERE tenant_id = ? AND id = ?');
    this.putRow = db.prepare('INSERT INTO boards (tenant_id, id, doc) VALUES (?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET doc = excluded.doc');
  }

  async get(tenantId: string, boardId: string): Promise<Board | undefined> {
    return parseDoc<Board>(this.getRow.get(tenantId, boardId));
  }

  async put(board: Board): Promise<void> {
    this.putRow.run(board.tenantId, board.id, JSON.stringify(board));
  }
}
