import type Database from 'better-sqlite3';
import type { SendRecord } from '../send-record';
import { type DocRow, parseDoc, parseDocs } from './sqlite-documents';
import type { SendStore } from './store';

/** Send records in SQLite: one row per message, created only if absent, moved on only from the state read. */
export class SqliteSendStore implements SendStore {
  private readonly insert: Database.Statement<[string, string, string, string, number, string]>;
  private readonly getRow: Database.Statement<[string, string, string], DocRow>;
  private readonly replace: Database.Statement<[string, number, string, string, string, string, string, number]>;
  private readonly dropRecipient: Database.Statement<[string, string, string]>;
  private readonly recipientRows: Database.Statement<[string, string, string], DocRow>;

  constructor(db: Database.Database) {
    // ON CONFLICT DO NOTHING: the primary key decides which of two racing runs recorded the message.
    this.insert = db.prepare('INSERT INTO sends (tenant_id, board_id, key, status, attempts, doc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.getRow = db.prepare('SELECT doc FROM sends WHERE tenant_id = ? AND board_id = ? AND key = ?');
    this.replace = db.prepare('UPDATE sends SET status = ?, attempts = ?, doc = ? WHERE tenant_id = ? AND board_id = ? AND key = ? AND status = ? AND attempts = ?');
    this.recipientRows = db.prepare("SELECT doc FROM sends WHERE tenant_id = ? AND board_id = ? AND json_extract(doc, '$.recipientId') = ? ORDER BY key");
    this.dropRecipient = db.prepare("DELETE FROM sends WHERE tenant_id = ? AND board_id = ? AND json_extract(doc, '$.recipientId') = ?");
  }

  async create(record: SendRecord): Promise<{ created: boolean; record: SendRecord }> {
    const created = this.insert.run(record.tenantId, record.boardId, record.key, record.status, record.attempts, JSON.stringify(record)).changes > 0;
    if (created) return { created, record };
    return { created, record: (await this.get(record.tenantId, record.boardId, record.key)) as SendRecord };
  }

  async get(tenantId: string, boardId: string, key: string): Promise<SendRecord | undefined> {
    return parseDoc<SendRecord>(this.getRow.get(tenantId, boardId, key));
  }

  async update(expected: SendRecord, next: SendRecord): Promise<boolean> {
    return this.replace.run(next.status, next.attempts, JSON.stringify(next), expected.tenantId, expected.boardId, expected.key, expected.status, expected.attempts).changes > 0;
  }

  async listRecipient(tenantId: string, boardId: string, userId: string): Promise<SendRecord[]> {
    return parseDocs<SendRecord>(this.recipientRows.all(tenantId, boardId, userId));
  }

  async eraseRecipient(tenantId: string, boardId: string, userId: string): Promise<number> {
    return this.dropRecipient.run(tenantId, boardId, userId).changes;
  }
}
