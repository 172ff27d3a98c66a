import type Database from 'better-sqlite3';
import type { Board, Member } from '../board';
import { type DocRow, parseDoc } from './sqlite-documents';
import type { CreditContextQuery, CreditContextRecords } from './store';

/**
 * Reads what one credit needs of its board in SQLite, in one read transaction so the records
 * agree. Not the giver's latest credits: the domain reads the one or two ids it needs, and a
 * point read here costs microseconds where a scan of a busy board's last 20 minutes would not.
 */
export function sqliteCreditContextReader(db: Database.Database): (tenantId: string, boardId: string, query: CreditContextQuery) => CreditContextRecords {
  const board = db.prepare<[string, string], DocRow>('SELECT doc FROM boards WHERE tenant_id = ? AND id = ?');
  const member = db.prepare<[string, string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND user_id = ? AND active = 1');
  const byChannelId = db.prepare<[string, string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND channel_user_id = ? AND active = 1');
  return db.transaction((tenantId: string, boardId: string, q: CreditContextQuery): CreditContextRecords => {
    const members = new Map<string, Member>();
    const keep = (m: Member | undefined) => m && members.set(m.userId, m);
    for (const userId of new Set([q.giverId, ...q.userIds])) keep(parseDoc<Member>(member.get(tenantId, boardId, userId)));
    for (const channelUserId of new Set(q.channelUserIds)) keep(parseDoc<Member>(byChannelId.get(tenantId, boardId, channelUserId)));
    return { board: parseDoc<Board>(board.get(tenantId, boardId)), members: [...members.values()] };
  });
}
