import type Database from 'better-sqlite3';
import type { Board } from '../board';
import { invalid } from '../errors';
import { type DocRow, parseDoc, parseDocs } from './sqlite-documents';
import type { BoardStore, Page } from './store';
import { writeTransaction } from './sqlite-write-transaction';

/** Boards in SQLite, one document per board. */
export class SqliteBoardStore implements BoardStore {
  private readonly getRow: Database.Statement<[string, string], DocRow>;
  private readonly putRow: Database.Statement<[string, string, string]>;
  private readonly firstRows: Database.Statement<[number], DocRow & { tenant_id: string; id: string }>;
  private readonly nextRows: Database.Statement<[string, string, string, number], DocRow & { tenant_id: string; id: string }>;
  private readonly changeRow: (tenantId: string, boardId: string, change: (board: Board) => Board | undefined) => Board | undefined;

  constructor(db: Database.Database) {
    this.getRow = db.prepare('SELECT doc FROM boards WHERE tenant_id = ? AND id = ?');
    this.putRow = db.prepare('INSERT INTO boards (tenant_id, id, doc) VALUES (?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET doc = excluded.doc');
    this.firstRows = db.prepare('SELECT tenant_id, id, doc FROM boards ORDER BY tenant_id, id LIMIT ?');
    this.nextRows = db.prepare('SELECT tenant_id, id, doc FROM boards WHERE tenant_id > ? OR (tenant_id = ? AND id > ?) ORDER BY tenant_id, id LIMIT ?');
    // Begun IMMEDIATE, as every write is: another process on the file (a second instance) cannot
    // write the board between our read and our write, so no version is needed, and in this
    // process nothing runs between them, `change` being synchronous.
    this.changeRow = writeTransaction(db, (tenantId: string, boardId: string, change: (board: Board) => Board | undefined): Board | undefined => {
      const board = parseDoc<Board>(this.getRow.get(tenantId, boardId));
      const next = board && change(board);
      if (!next) return board;
      // A change cannot move the board to another tenant or id.
      const stored = { ...next, tenantId, id: boardId };
      this.putRow.run(tenantId, boardId, JSON.stringify(stored));
      return stored;
    });
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

  async list(options: { limit: number; cursor?: string }): Promise<Page<Board>> {
    const after = options.cursor ? decodeBoardCursor(options.cursor) : undefined;
    // One more than asked tells whether another page follows.
    const rows = after ? this.nextRows.all(after[0], after[0], after[1], options.limit + 1) : this.firstRows.all(options.limit + 1);
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return { items: parseDocs<Board>(page), nextCursor: rows.length > options.limit && last ? Buffer.from(JSON.stringify([last.tenant_id, last.id])).toString('base64url') : undefined };
  }
}

function decodeBoardCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return [value[0] as string, value[1] as string];
  } catch {
    // fall through to the refusal below
  }
  throw invalid('The cursor is not one this server gave out.', 'cursor');
}
