import type Database from 'better-sqlite3';
import type { Member } from '../board';
import { type DocRow, parseDoc, parseDocs } from './sqlite-documents';
import type { MemberStore, RosterPerson } from './store';
import { writeTransaction } from './sqlite-write-transaction';

type Search = { t: string; b: string; prefix: string; word: string; limit: number };

/** The roster's statements, prepared once per connection. */
const statements = (db: Database.Database) => ({
  get: db.prepare<[string, string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND user_id = ?'),
  list: db.prepare<[string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND active = 1 ORDER BY name_lower'),
  listAll: db.prepare<[string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? ORDER BY name_lower'),
  search: db.prepare<Search, DocRow>(
    `SELECT doc FROM members WHERE tenant_id = @t AND board_id = @b AND active = 1
       AND (name_lower LIKE @prefix ESCAPE '\\' OR name_lower LIKE @word ESCAPE '\\' OR email_lower LIKE @prefix ESCAPE '\\')
     ORDER BY name_lower LIMIT @limit`,
  ),
  byEmail: db.prepare<[string, string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND email_lower = ? AND active = 1'),
  byChannelId: db.prepare<[string, string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND channel_user_id = ? AND active = 1'),
  boardsOf: db.prepare<[string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND user_id = ? AND active = 1'),
  boardsOfAll: db.prepare<[string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND user_id = ? ORDER BY board_id'),
  people: db.prepare<[string, string], [string, string, number]>('SELECT user_id, name, opted_out FROM members INDEXED BY members_people WHERE tenant_id = ? AND board_id = ? AND active = 1').raw(),
  put: db.prepare<[string, string, string, string, string, string | null, number, number, string | null, string]>(
    `INSERT INTO members (tenant_id, board_id, user_id, name, name_lower, email_lower, active, opted_out, channel_user_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, board_id, user_id) DO UPDATE SET name = excluded.name, name_lower = excluded.name_lower, email_lower = excluded.email_lower,
       active = excluded.active, opted_out = excluded.opted_out, channel_user_id = excluded.channel_user_id, doc = excluded.doc`,
  ),
});

/** Board rosters in SQLite: a document per member, with the columns lookups and insights need beside it. */
export class SqliteMemberStore implements MemberStore {
  private readonly q: ReturnType<typeof statements>;
  private readonly writeAll: (members: readonly Member[]) => void;

  constructor(db: Database.Database) {
    this.q = statements(db);
    this.writeAll = writeTransaction(db, (members: readonly Member[]) => {
      for (const m of members) this.write(m);
    });
  }

  async get(tenantId: string, boardId: string, userId: string): Promise<Member | undefined> {
    return this.read(tenantId, boardId, userId);
  }

  async list(tenantId: string, boardId: string, options?: { includeLeft?: boolean }): Promise<Member[]> {
    return parseDocs<Member>((options?.includeLeft ? this.q.listAll : this.q.list).all(tenantId, boardId));
  }

  async listPeople(tenantId: string, boardId: string): Promise<RosterPerson[]> {
    return this.q.people.all(tenantId, boardId).map(([userId, name, optedOut]) => ({ userId, name, optedOut: optedOut === 1 }));
  }

  async search(tenantId: string, boardId: string, text: string, limit: number): Promise<Member[]> {
    const needle = escapeLike(text.trim().toLowerCase());
    return parseDocs<Member>(this.q.search.all({ t: tenantId, b: boardId, prefix: `${needle}%`, word: `% ${needle}%`, limit }));
  }

  async findByEmail(tenantId: string, boardId: string, email: string): Promise<Member | undefined> {
    return parseDoc<Member>(this.q.byEmail.get(tenantId, boardId, email.toLowerCase()));
  }

  async findByChannelId(tenantId: string, boardId: string, channelUserId: string): Promise<Member | undefined> {
    return parseDoc<Member>(this.q.byChannelId.get(tenantId, boardId, channelUserId));
  }

  async put(member: Member): Promise<void> {
    this.write(member);
  }

  async putMany(members: readonly Member[]): Promise<void> {
    this.writeAll(members);
  }

  async boardsOf(tenantId: string, userId: string, options?: { includeLeft?: boolean }): Promise<Member[]> {
    return parseDocs<Member>((options?.includeLeft ? this.q.boardsOfAll : this.q.boardsOf).all(tenantId, userId));
  }

  /** The member, read now: for a write of another store that runs in the same transaction. */
  read(tenantId: string, boardId: string, userId: string): Member | undefined {
    return parseDoc<Member>(this.q.get.get(tenantId, boardId, userId));
  }

  /** Creates or replaces the member now, inside the caller's transaction if there is one. */
  write(m: Member): void {
    this.q.put.run(m.tenantId, m.boardId, m.userId, m.name, m.name.toLowerCase(), m.email?.toLowerCase() ?? null, m.leftAt ? 0 : 1, m.optedOut ? 1 : 0, m.channelUserId ?? null, JSON.stringify(m));
  }
}

/** The text with LIKE's wildcards escaped, so a name with % or _ matches only itself. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
