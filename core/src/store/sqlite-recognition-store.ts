import type Database from 'better-sqlite3';
import { DomainError } from '../errors';
import type { Kind } from '../kinds';
import { eraseFromCredit, erasureKeys, noErasure, tombstoneOf } from '../member-data';
import { factOf } from '../credit-counts';
import { touchedKeys } from '../member-stats';
import { type Endorsement, FORMER_MEMBER, type PostedCard, type Recognition, recipientKeys } from '../recognition';
import { decodeCursor, encodeCursor } from './feed-cursor';
import { type DocRow, parseDoc, parseDocs } from './sqlite-documents';
import type { SqliteMemberStore } from './sqlite-member-store';
import type { SqliteStatsStore } from './sqlite-stats-store';
import { writeTransaction } from './sqlite-write-transaction';
import type { CreditFact, FeedQuery, MemberErasure, Page, RecognitionStore } from './store';

/** Later than any ISO time: the upper bound of a span without one, so the index range stays a range. */
const END_OF_TIME = '9999';

/** A recipient row's whole key: the rows are keyed by person and time, as pages read them. */
type RowKey = [tenantId: string, boardId: string, memberKey: string, createdAt: string, recognitionId: string];

/** The credits' statements, prepared once per connection. */
const statements = (db: Database.Database) => ({
  insert: db.prepare<[string, string, string, string, Kind, string, number, string]>(
    'INSERT INTO recognitions (id, tenant_id, board_id, created_at, kind, giver_id, private, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  ),
  insertRecipient: db.prepare<RowKey>('INSERT INTO recognition_recipients (tenant_id, board_id, member_key, created_at, recognition_id) VALUES (?, ?, ?, ?, ?)'),
  get: db.prepare<[string, string, string], DocRow>('SELECT doc FROM recognitions WHERE tenant_id = ? AND board_id = ? AND id = ?'),
  byId: db.prepare<[string], DocRow & { tenant_id: string; board_id: string }>('SELECT doc, tenant_id, board_id FROM recognitions WHERE id = ?'),
  updateDoc: db.prepare<[string, string]>('UPDATE recognitions SET doc = ? WHERE id = ?'),
  // One statement that reads nothing first: the card is set only while none is noted, so of two
  // retries racing the first card stays, and no read has to become a write that another
  // connection on the file could have overtaken (SQLITE_BUSY_SNAPSHOT).
  noteCard: db.prepare<[string, string, string, string], DocRow>(
    "UPDATE recognitions SET doc = json_set(doc, '$.postedCard', json(?)) WHERE tenant_id = ? AND board_id = ? AND id = ? AND json_type(doc, '$.postedCard') IS NULL RETURNING doc",
  ),
  updateKind: db.prepare<[string, Kind, string]>('UPDATE recognitions SET doc = ?, kind = ? WHERE id = ?'),
  markDeleted: db.prepare<[string, string]>('UPDATE recognitions SET doc = ?, deleted = 1 WHERE id = ?'),
  markRecipientDeleted: db.prepare<RowKey>(
    'UPDATE recognition_recipients SET deleted = 1 WHERE tenant_id = ? AND board_id = ? AND member_key = ? AND created_at = ? AND recognition_id = ?',
  ),
  deleteRecipient: db.prepare<RowKey>('DELETE FROM recognition_recipients WHERE tenant_id = ? AND board_id = ? AND member_key = ? AND created_at = ? AND recognition_id = ?'),
  insertDeletedRecipient: db.prepare<RowKey>(
    'INSERT OR IGNORE INTO recognition_recipients (tenant_id, board_id, member_key, created_at, recognition_id, deleted) VALUES (?, ?, ?, ?, ?, 1)',
  ),
  erase: db.prepare<[string, number, string, string]>('UPDATE recognitions SET doc = ?, deleted = ?, giver_id = ? WHERE id = ?'),
  // Live and deleted credits alike: a deleted credit still holds the name and text.
  idsByRecipient: db.prepare<[string, string, string], { id: string }>(
    'SELECT recognition_id AS id FROM recognition_recipients WHERE tenant_id = ? AND board_id = ? AND member_key = ?',
  ),
  idsByGiver: db.prepare<[string, string, string], { id: string }>('SELECT id FROM recognitions WHERE tenant_id = ? AND board_id = ? AND giver_id = ?'),
  // Endorsements live only in the document, so this reads the board's credits; erasure is rare.
  idsByEndorser: db.prepare<[string, string, string], { id: string }>(
    `SELECT id FROM recognitions WHERE tenant_id = ? AND board_id = ?
       AND EXISTS (SELECT 1 FROM json_each(doc, '$.endorsements') e WHERE json_extract(e.value, '$.userId') = ?)`,
  ),
  lastCredited: db.prepare<[string, string, string], { at: string | null }>(
    'SELECT MAX(created_at) AS at FROM recognition_recipients WHERE tenant_id = ? AND board_id = ? AND member_key = ? AND deleted = 0',
  ),
  // The feed index is newest first, so the walk stops at the giver's latest credit.
  lastGave: db.prepare<[string, string, string], { at: string | null }>(
    'SELECT created_at AS at FROM recognitions INDEXED BY recognitions_feed WHERE tenant_id = ? AND board_id = ? AND deleted = 0 AND giver_id = ? ORDER BY created_at DESC LIMIT 1',
  ),
  // A span of the feed index; the recipients are read from each credit's document, which the
  // feed index cannot hold. Asked for a short span (a window's first day), not a whole window.
  facts: db.prepare<{ t: string; b: string; since: string; until: string; boardOnly: number }, DocRow>(
    `SELECT doc FROM recognitions INDEXED BY recognitions_feed
      WHERE tenant_id = @t AND board_id = @b AND deleted = 0 AND created_at >= @since AND created_at < @until AND (@boardOnly = 0 OR private = 0)`,
  ),
});

/**
 * Credits in SQLite: a document per credit, a row per recipient for the pages by person, and
 * every write keeps the members' counters in step in the same transaction.
 */
export class SqliteRecognitionStore implements RecognitionStore {
  private readonly q: ReturnType<typeof statements>;
  private readonly createTx: (rec: Recognition) => { recognition: Recognition; created: boolean };
  private readonly createManyTx: (recs: Recognition[]) => Array<{ recognition: Recognition; created: boolean }>;
  private readonly endorseTx: (tenantId: string, boardId: string, id: string, e: Endorsement) => { recognition: Recognition; added: boolean } | undefined;
  private readonly unendorseTx: (tenantId: string, boardId: string, id: string, userId: string) => { recognition: Recognition; removed: boolean } | undefined;
  private readonly deleteTx: (tenantId: string, boardId: string, id: string, at: string) => Recognition | undefined;
  private readonly kindTx: (tenantId: string, boardId: string, id: string, kind: Kind) => Recognition | undefined;
  private readonly eraseTx: (tenantId: string, boardId: string, userId: string, at: string) => MemberErasure;

  constructor(
    private readonly db: Database.Database,
    private readonly members: SqliteMemberStore,
    private readonly stats: SqliteStatsStore,
  ) {
    this.q = statements(db);
    this.createTx = writeTransaction(db, (rec: Recognition) => this.write(rec));
    // One transaction for all, not a savepoint each: any failure writes none of them.
    this.createManyTx = writeTransaction(db, (recs: Recognition[]) => recs.map((rec) => this.write(rec)));
    this.endorseTx = writeTransaction(db, (tenantId: string, boardId: string, id: string, e: Endorsement) => {
      const rec = this.read(tenantId, boardId, id);
      if (!rec || rec.deletedAt) return undefined;
      if (rec.endorsements.some((x) => x.userId === e.userId)) return { recognition: rec, added: false };
      rec.endorsements.push(e);
      this.q.updateDoc.run(JSON.stringify(rec), id);
      return { recognition: rec, added: true };
    });
    this.unendorseTx = writeTransaction(db, (tenantId: string, boardId: string, id: string, userId: string) => {
      const rec = this.read(tenantId, boardId, id);
      if (!rec || rec.deletedAt) return undefined;
      const kept = rec.endorsements.filter((x) => x.userId !== userId);
      if (kept.length === rec.endorsements.length) return { recognition: rec, removed: false };
      const next: Recognition = { ...rec, endorsements: kept };
      this.q.updateDoc.run(JSON.stringify(next), id);
      return { recognition: next, removed: true };
    });
    this.deleteTx = writeTransaction(db, (tenantId: string, boardId: string, id: string, at: string) => this.softDeleteNow(tenantId, boardId, id, at));
    // The credit and the counts kept for it change together, or neither does.
    this.kindTx = writeTransaction(db, (tenantId: string, boardId: string, id: string, kind: Kind) => {
      const rec = this.read(tenantId, boardId, id);
      if (!rec || rec.deletedAt || rec.kind === kind) return rec;
      const next: Recognition = { ...rec, kind };
      this.q.updateKind.run(JSON.stringify(next), kind, id);
      this.stats.moveKind(rec, next);
      return next;
    });
    // One transaction per board: the member is out of every credit, stats and roster at once, or not at all.
    this.eraseTx = writeTransaction(db, (tenantId: string, boardId: string, userId: string, at: string) => this.eraseNow(tenantId, boardId, userId, at));
  }

  async create(rec: Recognition): Promise<{ recognition: Recognition; created: boolean }> {
    return this.createTx(rec);
  }

  /** Creates each credit as `create` does, all in one transaction: for imports and the store benchmark. */
  createMany(recs: Recognition[]): Array<{ recognition: Recognition; created: boolean }> {
    return this.createManyTx(recs);
  }

  async get(tenantId: string, boardId: string, id: string): Promise<Recognition | undefined> {
    return this.read(tenantId, boardId, id);
  }

  async page(query: FeedQuery): Promise<Page<Recognition>> {
    const where = ['r.tenant_id = @tenantId', 'r.board_id = @boardId', 'r.deleted = 0'];
    const params: Record<string, string | number> = { tenantId: query.tenantId, boardId: query.boardId, viewer: query.viewerId, limit: query.limit + 1 };
    // The feed index walks the whole board; filtered by a recipient, it would read every credit
    // on the board to find the few a rarely credited person received (the very people leads look
    // for), so those pages walk the recipient rows, keyed by person and time, instead; the rows
    // copy created_at from their credit, so order and cursor stay the same. Filtered by a giver,
    // the walk stays on the feed index, which holds giver_id, and reads only the matching rows.
    let from = 'recognitions r INDEXED BY recognitions_feed';
    let at = 'r.created_at';
    let id = 'r.id';
    if (query.recipientKey) {
      from = 'recognition_recipients p JOIN recognitions r ON r.id = p.recognition_id';
      where.push('p.tenant_id = @tenantId', 'p.board_id = @boardId', 'p.member_key = @recipientKey', 'p.deleted = 0');
      at = 'p.created_at';
      id = 'p.recognition_id';
      params.recipientKey = query.recipientKey;
    }
    if (query.boardOnly) where.push('r.private = 0');
    else {
      where.push(
        `(r.private = 0 OR r.giver_id = @viewer OR EXISTS (SELECT 1 FROM recognition_recipients v
         WHERE v.tenant_id = r.tenant_id AND v.board_id = r.board_id AND v.member_key = @viewer AND v.created_at = r.created_at AND v.recognition_id = r.id))`,
      );
    }
    if (query.kind) {
      where.push('r.kind = @kind');
      params.kind = query.kind;
    }
    if (query.giverId) {
      where.push('r.giver_id = @giverId');
      params.giverId = query.giverId;
    }
    if (query.endorserId) {
      // No index holds endorsers, so this walks the board's feed: it serves a member's export, not a screen.
      where.push(`EXISTS (SELECT 1 FROM json_each(r.doc, '$.endorsements') e WHERE json_extract(e.value, '$.userId') = @endorserId)`);
      params.endorserId = query.endorserId;
    }
    if (query.since) {
      where.push(`${at} >= @since`);
      params.since = query.since;
    }
    if (query.until) {
      where.push(`${at} < @until`);
      params.until = query.until;
    }
    if (query.cursor) {
      const position = decodeCursor(query.cursor);
      where.push(`(${at} < @cAt OR (${at} = @cAt AND ${id} < @cId))`);
      params.cAt = position.createdAt;
      params.cId = position.id;
    }
    const rows = this.db
      .prepare<Record<string, string | number>, DocRow>(`SELECT r.doc FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${at} DESC, ${id} DESC LIMIT @limit`)
      .all(params);
    const items = parseDocs<Recognition>(rows.slice(0, query.limit));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : undefined };
  }

  async endorse(tenantId: string, boardId: string, id: string, endorsement: Endorsement): Promise<{ recognition: Recognition; added: boolean } | undefined> {
    return this.endorseTx(tenantId, boardId, id, endorsement);
  }

  async unendorse(tenantId: string, boardId: string, id: string, userId: string): Promise<{ recognition: Recognition; removed: boolean } | undefined> {
    return this.unendorseTx(tenantId, boardId, id, userId);
  }

  async recordCard(tenantId: string, boardId: string, id: string, card: PostedCard): Promise<Recognition | undefined> {
    // Nothing updated: no such credit here, or its card is noted already (the one to answer with).
    return parseDoc<Recognition>(this.q.noteCard.get(JSON.stringify(card), tenantId, boardId, id)) ?? this.read(tenantId, boardId, id);
  }

  async softDelete(tenantId: string, boardId: string, id: string, at: string): Promise<Recognition | undefined> {
    return this.deleteTx(tenantId, boardId, id, at);
  }

  async changeKind(tenantId: string, boardId: string, id: string, kind: Kind): Promise<Recognition | undefined> {
    return this.kindTx(tenantId, boardId, id, kind);
  }

  async eraseMember(tenantId: string, boardId: string, userId: string, at: string): Promise<MemberErasure> {
    return this.eraseTx(tenantId, boardId, userId, at);
  }

  async facts(tenantId: string, boardId: string, since: string, options: { until?: string; boardOnly?: boolean } = {}): Promise<CreditFact[]> {
    const rows = this.q.facts.all({ t: tenantId, b: boardId, since, until: options.until ?? END_OF_TIME, boardOnly: options.boardOnly ? 1 : 0 });
    return parseDocs<Recognition>(rows).map(factOf);
  }

  private read(tenantId: string, boardId: string, id: string): Recognition | undefined {
    return parseDoc<Recognition>(this.q.get.get(tenantId, boardId, id));
  }

  /** Writes the credit, its recipient rows and its people's counters; a retry finds its row and writes nothing. */
  private write(rec: Recognition): { recognition: Recognition; created: boolean } {
    const { tenantId: t, boardId: b, createdAt: at } = rec;
    if (!this.q.insert.run(rec.id, t, b, at, rec.kind, rec.giver.userId, rec.visibility === 'private' ? 1 : 0, JSON.stringify(rec)).changes) return this.existing(rec);
    for (const key of new Set(recipientKeys(rec))) this.q.insertRecipient.run(t, b, key, at, rec.id);
    for (const [key, name] of touchedKeys(rec)) this.stats.add(rec, key, name);
    this.stats.countCredit(rec, 1);
    return { recognition: rec, created: true };
  }

  /** The credit a retry found already written. */
  private existing(rec: Recognition): { recognition: Recognition; created: boolean } {
    const found = this.q.byId.get(rec.id);
    if (!found) throw new Error(`credit ${rec.id} was neither written nor found`);
    // Ids are derived per tenant and board, so this is a collision, never a retry: refuse rather than hand back another board's credit.
    if (found.tenant_id !== rec.tenantId || found.board_id !== rec.boardId) throw new DomainError('conflict', 'That credit id is already taken.');
    return { recognition: JSON.parse(found.doc) as Recognition, created: false };
  }

  /** Marks the credit's recipient rows deleted (those of members erased from it are gone already). */
  private markRowsDeleted(rec: Recognition): void {
    for (const key of new Set(recipientKeys(rec))) this.q.markRecipientDeleted.run(rec.tenantId, rec.boardId, key, rec.createdAt, rec.id);
  }

  private softDeleteNow(tenantId: string, boardId: string, id: string, at: string): Recognition | undefined {
    const rec = this.read(tenantId, boardId, id);
    if (!rec || rec.deletedAt) return rec;
    rec.deletedAt = at;
    this.q.markDeleted.run(JSON.stringify(rec), id);
    this.markRowsDeleted(rec);
    this.stats.countCredit(rec, -1);
    for (const [key, name] of touchedKeys(rec)) {
      // An erased member has no stats; a lead removing a credit they gave must not start some.
      if (key === FORMER_MEMBER.userId) continue;
      this.stats.remove(rec, key, name, {
        lastCreditedAt: this.q.lastCredited.get(tenantId, boardId, key)?.at ?? undefined,
        lastGaveAt: this.q.lastGave.get(tenantId, boardId, key)?.at ?? undefined,
      });
    }
    return rec;
  }

  private eraseNow(tenantId: string, boardId: string, userId: string, at: string): MemberErasure {
    const counts = noErasure();
    const member = this.members.read(tenantId, boardId, userId);
    const keys = erasureKeys(userId, member?.email);
    const keySet = new Set(keys);
    const ids = new Set<string>();
    for (const key of keys) for (const row of this.q.idsByRecipient.all(tenantId, boardId, key)) ids.add(row.id);
    for (const row of this.q.idsByGiver.all(tenantId, boardId, userId)) ids.add(row.id);
    for (const row of this.q.idsByEndorser.all(tenantId, boardId, userId)) ids.add(row.id);
    for (const id of ids) {
      const rec = this.read(tenantId, boardId, id);
      const change = rec && eraseFromCredit(rec, userId, keySet, at);
      if (!rec || !change) continue;
      const { next } = change;
      this.q.erase.run(JSON.stringify(next), next.deletedAt ? 1 : 0, next.giver.userId, id);
      for (const key of keys) this.q.deleteRecipient.run(tenantId, boardId, key, rec.createdAt, id);
      if (change.deleted) this.stats.countCredit(rec, -1);
      if (next.deletedAt) {
        this.markRowsDeleted(rec);
        // The rows mirror the recipients of the document, placeholder included.
        for (const r of next.recipients) if (r.userId === FORMER_MEMBER.userId) this.q.insertDeletedRecipient.run(tenantId, boardId, FORMER_MEMBER.userId, rec.createdAt, id);
      }
      if (change.deleted && !keySet.has(rec.giver.userId) && rec.giver.userId !== FORMER_MEMBER.userId) {
        // The giver's count drops with the credit; co-recipients and the recipients of what the member gave keep theirs.
        const giver = rec.giver.userId;
        this.stats.remove(rec, giver, rec.giver.name, { lastGaveAt: this.q.lastGave.get(tenantId, boardId, giver)?.at ?? undefined });
      }
      counts.deleted += Number(change.deleted);
      counts.removedFrom += Number(change.removedFrom);
      counts.anonymised += Number(change.anonymised);
      counts.endorsementsRemoved += Number(change.endorsementRemoved);
    }
    for (const key of keys) this.stats.delete(tenantId, boardId, key);
    if (member) this.members.write(tombstoneOf(member, at));
    return counts;
  }
}
