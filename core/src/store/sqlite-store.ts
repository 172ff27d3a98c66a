import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Board, Member, MemberStats } from '../board';
import { DomainError } from '../errors';
import { KIND_IDS, type Kind } from '../kinds';
import { FORMER_MEMBER, eraseFromCredit, erasureKeys, noErasure, tombstoneOf } from '../member-data';
import { partIn, touchedKeys } from '../member-stats';
import { type Endorsement, type PostedCard, type Recognition, recipientKeys } from '../recognition';
import { decodeCursor, encodeCursor } from './feed-cursor';
import { type CheckpointerOptions, startCheckpointer } from './sqlite-checkpointer';
import { type CommitReport, type Plan, startSqliteWriter } from './sqlite-writer';
import type { CreditFact, FeedQuery, MemberErasure, Page, Store } from './store';

/**
 * Schema migrations, applied in order; `schema_version` records how many have run. Append
 * only: a released migration is never edited.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE boards (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
  );
  CREATE TABLE members (
    tenant_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    email_lower TEXT,
    active INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant_id, board_id, user_id)
  );
  CREATE INDEX members_by_user ON members (tenant_id, user_id);
  CREATE INDEX members_by_email ON members (tenant_id, board_id, email_lower);
  CREATE TABLE recognitions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    giver_id TEXT NOT NULL,
    private INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
  );
  CREATE INDEX recognitions_feed ON recognitions (tenant_id, board_id, deleted, created_at DESC, id DESC);
  CREATE INDEX recognitions_by_giver ON recognitions (tenant_id, board_id, giver_id, created_at DESC);
  CREATE TABLE recognition_recipients (
    recognition_id TEXT NOT NULL REFERENCES recognitions (id),
    tenant_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    member_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (recognition_id, member_key)
  );
  CREATE INDEX recipients_by_member ON recognition_recipients (tenant_id, board_id, member_key, deleted, created_at DESC);
  CREATE TABLE member_stats (
    tenant_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    member_key TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant_id, board_id, member_key)
  );
  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE members ADD COLUMN channel_user_id TEXT;
  UPDATE members SET channel_user_id = json_extract(doc, '$.channelUserId');
  CREATE INDEX members_by_channel_id ON members (tenant_id, board_id, channel_user_id);
  `,
  // Stats as columns, so a credit adds to them in place instead of reading, parsing and
  // rewriting a document per person (npm run bench:bot). One column per kind of KIND_IDS.
  `
  CREATE TABLE member_stats_v3 (
    tenant_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    member_key TEXT NOT NULL,
    name TEXT NOT NULL,
    received_enabled INTEGER NOT NULL DEFAULT 0,
    received_prevented INTEGER NOT NULL DEFAULT 0,
    received_improved INTEGER NOT NULL DEFAULT 0,
    received_sustained INTEGER NOT NULL DEFAULT 0,
    received_delivered INTEGER NOT NULL DEFAULT 0,
    received_count INTEGER NOT NULL DEFAULT 0,
    last_credited_at TEXT,
    given_count INTEGER NOT NULL DEFAULT 0,
    last_gave_at TEXT,
    PRIMARY KEY (tenant_id, board_id, member_key)
  ) WITHOUT ROWID;
  INSERT INTO member_stats_v3
    SELECT tenant_id, board_id, member_key, json_extract(doc, '$.name'),
      coalesce(json_extract(doc, '$.receivedByKind.enabled'), 0), coalesce(json_extract(doc, '$.receivedByKind.prevented'), 0),
      coalesce(json_extract(doc, '$.receivedByKind.improved'), 0), coalesce(json_extract(doc, '$.receivedByKind.sustained'), 0),
      coalesce(json_extract(doc, '$.receivedByKind.delivered'), 0),
      json_extract(doc, '$.receivedCount'), json_extract(doc, '$.lastCreditedAt'), json_extract(doc, '$.givenCount'), json_extract(doc, '$.lastGaveAt')
    FROM member_stats;
  DROP TABLE member_stats;
  ALTER TABLE member_stats_v3 RENAME TO member_stats;
  `,
  // Recipient rows keyed by person and time, as the "credits to this person" pages read
  // them, in one b-tree: the row table, its primary key and recipients_by_member were three,
  // and a credit's commit wrote about a fifth fewer log pages without them (npm run bench:bot).
  // Lookups of one credit's rows give the whole key, which its document holds.
  `
  CREATE TABLE recognition_recipients_v4 (
    tenant_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    member_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    recognition_id TEXT NOT NULL REFERENCES recognitions (id),
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, board_id, member_key, created_at, recognition_id)
  ) WITHOUT ROWID;
  INSERT INTO recognition_recipients_v4 (tenant_id, board_id, member_key, created_at, recognition_id, deleted)
    SELECT tenant_id, board_id, member_key, created_at, recognition_id, deleted FROM recognition_recipients;
  DROP TABLE recognition_recipients;
  ALTER TABLE recognition_recipients_v4 RENAME TO recognition_recipients;
  `,
  // No giver index: its inserts land mid-tree, one per giver, and cost a credit's commit about
  // a fifth of its log pages (npm run bench:bot). The feed index carries giver_id instead, so
  // a walk for one giver's credits reads no rows until one matches.
  `
  DROP INDEX recognitions_by_giver;
  DROP INDEX recognitions_feed;
  CREATE INDEX recognitions_feed ON recognitions (tenant_id, board_id, deleted, created_at DESC, id DESC, giver_id);
  `,
  // A counter that every change to a board or member moves, whoever makes it: the cache of
  // their documents asks it, where PRAGMA data_version would also move with every credit
  // that the writer thread commits.
  `
  CREATE TABLE roster_epoch (n INTEGER NOT NULL);
  INSERT INTO roster_epoch VALUES (0);
  ${['boards', 'members']
    .flatMap((table) => ['INSERT', 'UPDATE', 'DELETE'].map((event) => `CREATE TRIGGER ${table}_${event.toLowerCase()}_epoch AFTER ${event} ON ${table} BEGIN UPDATE roster_epoch SET n = n + 1; END;`))
    .join('\n  ')}
  `,
];

/** A member_stats row: a column per kind, then the totals. */
type StatsRow = {
  tenant_id: string;
  board_id: string;
  member_key: string;
  name: string;
  received_count: number;
  last_credited_at: string | null;
  given_count: number;
  last_gave_at: string | null;
} & Record<`received_${Kind}`, number>;

const KIND_COLUMNS = KIND_IDS.map((kind) => `received_${kind}` as const);

function statsOf(row: StatsRow): MemberStats {
  const stats: MemberStats = {
    tenantId: row.tenant_id,
    boardId: row.board_id,
    memberKey: row.member_key,
    name: row.name,
    receivedByKind: Object.fromEntries(KIND_IDS.map((kind) => [kind, row[`received_${kind}`]])) as Record<Kind, number>,
    receivedCount: row.received_count,
    givenCount: row.given_count,
  };
  if (row.last_credited_at) stats.lastCreditedAt = row.last_credited_at;
  if (row.last_gave_at) stats.lastGaveAt = row.last_gave_at;
  return stats;
}

/** Cached board and member documents; a whole tenant's active rosters fit many times over. */
const DOC_CACHE_ENTRIES = 50_000;
/** How often the document cache asks whether another process changed a board or member. */
const EPOCH_MS = 20;
/** The roster epoch: moved by triggers on every change to boards and members. */
const ROSTER_EPOCH_SQL = 'SELECT n FROM roster_epoch';

/** Parameters of the statements that change a member's counters. */
type StatsChange = { t: string; b: string; k: string; name: string; r: number; g: number; at: string; lastCreditedAt: string | null; lastGaveAt: string | null } & Record<Kind, number>;

interface DocRow {
  doc: string;
}

/** The SQLite store, with a bulk path that only a local database can offer. */
export interface SqliteStore extends Store {
  /**
   * Creates each credit exactly as `recognitions.create` does, but all in one transaction
   * instead of one each: for imports and the store benchmark, where a commit per credit
   * would dominate. Any failure writes none of them.
   */
  createRecognitions(recs: Recognition[]): Array<{ recognition: Recognition; created: boolean }>;
}

/**
 * Opens (creating and migrating as needed) the SQLite store at the path, or in memory for
 * ':memory:'. `checkpoints` tunes the checkpoint thread (tests use a small log).
 */
export function openSqliteStore(path: string, checkpoints?: CheckpointerOptions): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Savepoints and sorts spill to memory rather than a temp file, and a cache of up to 256 MiB
  // plus a memory map keep a large board's indexes (random credit ids above all) off the disk:
  // the default 2 MiB cache made every write and feed page re-read pages (npm run bench:store).
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -262144');
  db.pragma('mmap_size = 268435456');
  migrate(db);
  const statsColumns = new Set(db.prepare<[], string>("SELECT name FROM pragma_table_info('member_stats')").pluck().all());
  const missing = KIND_COLUMNS.filter((c) => !statsColumns.has(c));
  if (missing.length) throw new Error(`member_stats has no column ${missing.join(', ')}: a new kind needs a migration that adds its column.`);

  // Every turn reads the board and a few members several times, and rosters change rarely, so
  // their parsed documents are kept (frozen: callers copy, never edit). Writes through this
  // store drop the entry at once. The roster epoch moves when any connection changes a board
  // or a member (the writer thread's credits do not move it), and then everything goes: that
  // covers another process on the same file, which is seen within EPOCH_MS. The writer thread
  // reads the epoch after each of its commits, so while credits flow the server's connection
  // does not: its read would come after another connection's commit and find its page cache
  // dropped, 180–250 µs on average and up to 8 ms under bench:bot's load, measured. Nothing
  // read inside a transaction is kept: it may yet roll back.
  const docs = new Map<string, object | null>();
  const rosterEpoch = db.prepare<[], number>(ROSTER_EPOCH_SQL).pluck();
  let knownEpoch = rosterEpoch.get();
  let epochAskedAt = performance.now();
  const epochSeen = (epoch: unknown, at: number) => {
    epochAskedAt = at;
    if (epoch === knownEpoch) return;
    docs.clear();
    knownEpoch = epoch as number;
  };

  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(db, path, checkpoints);
  const afterCommit = (seen?: CommitReport) => {
    checkpointer?.afterCommit(seen?.walBytes);
    if (seen) epochSeen(seen.watched, performance.now());
  };
  const { writer, statementId } = startSqliteWriter(db, {
    path: path === ':memory:' ? undefined : path,
    pragmas: ['synchronous = NORMAL', 'foreign_keys = ON', 'busy_timeout = 5000', 'temp_store = MEMORY', 'cache_size = -262144', 'wal_autocheckpoint = 0'],
    watch: ROSTER_EPOCH_SQL,
    afterCommit,
  });
  /**
   * Runs a write on this connection, between the writer's batches; every write other than a
   * credit goes through here, and the checkpointer sees each commit.
   */
  const write = <T>(run: () => T): Promise<T> =>
    writer.exclusive(() => {
      const result = run();
      afterCommit();
      return result;
    });

  const parse = <T>(row: DocRow | undefined): T | undefined => (row ? (JSON.parse(row.doc) as T) : undefined);
  const parseAll = <T>(rows: DocRow[]): T[] => rows.map((r) => JSON.parse(r.doc) as T);

  const q = {
    boardGet: db.prepare<[string, string], DocRow>('SELECT doc FROM boards WHERE tenant_id = ? AND id = ?'),
    boardPut: db.prepare('INSERT INTO boards (tenant_id, id, doc) VALUES (?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET doc = excluded.doc'),
    memberGet: db.prepare<[string, string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND user_id = ?'),
    memberList: db.prepare<[string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND active = 1 ORDER BY name_lower'),
    memberListAll: db.prepare<[string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? ORDER BY name_lower'),
    memberSearch: db.prepare<{ t: string; b: string; prefix: string; word: string; limit: number }, DocRow>(
      `SELECT doc FROM members WHERE tenant_id = @t AND board_id = @b AND active = 1
         AND (name_lower LIKE @prefix ESCAPE '\\' OR name_lower LIKE @word ESCAPE '\\' OR email_lower LIKE @prefix ESCAPE '\\')
       ORDER BY name_lower LIMIT @limit`,
    ),
    memberByEmail: db.prepare<[string, string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND email_lower = ? AND active = 1'),
    memberPut: db.prepare(
      `INSERT INTO members (tenant_id, board_id, user_id, name_lower, email_lower, active, channel_user_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, board_id, user_id) DO UPDATE SET name_lower = excluded.name_lower, email_lower = excluded.email_lower, active = excluded.active,
         channel_user_id = excluded.channel_user_id, doc = excluded.doc`,
    ),
    memberByChannelId: db.prepare<[string, string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND board_id = ? AND channel_user_id = ? AND active = 1'),
    memberBoards: db.prepare<[string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND user_id = ? AND active = 1'),
    memberBoardsAll: db.prepare<[string, string], DocRow>('SELECT doc FROM members WHERE tenant_id = ? AND user_id = ? ORDER BY board_id'),
    recGet: db.prepare<[string, string, string], DocRow>('SELECT doc FROM recognitions WHERE tenant_id = ? AND board_id = ? AND id = ?'),
    recById: db.prepare<[string], DocRow & { tenant_id: string; board_id: string }>('SELECT doc, tenant_id, board_id FROM recognitions WHERE id = ?'),
    recUpdateDoc: db.prepare('UPDATE recognitions SET doc = ? WHERE id = ?'),
    recMarkDeleted: db.prepare('UPDATE recognitions SET doc = ?, deleted = 1 WHERE id = ?'),
    recipientMarkDeleted: db.prepare<[string, string, string, string, string]>(
      'UPDATE recognition_recipients SET deleted = 1 WHERE tenant_id = ? AND board_id = ? AND member_key = ? AND created_at = ? AND recognition_id = ?',
    ),
    recipientDelete: db.prepare<[string, string, string, string, string]>(
      'DELETE FROM recognition_recipients WHERE tenant_id = ? AND board_id = ? AND member_key = ? AND created_at = ? AND recognition_id = ?',
    ),
    recipientInsertDeleted: db.prepare<[string, string, string, string, string]>(
      'INSERT OR IGNORE INTO recognition_recipients (tenant_id, board_id, member_key, created_at, recognition_id, deleted) VALUES (?, ?, ?, ?, ?, 1)',
    ),
    recErase: db.prepare('UPDATE recognitions SET doc = ?, deleted = ?, giver_id = ? WHERE id = ?'),
    // Live and deleted credits alike: a deleted credit still holds the name and text.
    recIdsByRecipient: db.prepare<[string, string, string], { id: string }>(
      'SELECT recognition_id AS id FROM recognition_recipients WHERE tenant_id = ? AND board_id = ? AND member_key = ?',
    ),
    recIdsByGiver: db.prepare<[string, string, string], { id: string }>('SELECT id FROM recognitions WHERE tenant_id = ? AND board_id = ? AND giver_id = ?'),
    // Endorsements live only in the document, so this reads the board's credits; erasure is rare.
    recIdsByEndorser: db.prepare<[string, string, string], { id: string }>(
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
    // Walks the board's recipient rows (keyed by person first) and keeps the window's.
    facts: db.prepare<[string, string, string], { kind: Kind; created_at: string; keys: string }>(
      `SELECT r.kind, r.created_at, group_concat(rr.member_key, char(31)) AS keys
         FROM recognition_recipients rr JOIN recognitions r ON r.id = rr.recognition_id
        WHERE rr.tenant_id = ? AND rr.board_id = ? AND rr.created_at >= ? AND r.deleted = 0
        GROUP BY rr.recognition_id`,
    ),
    statsGet: db.prepare<[string, string, string], StatsRow>('SELECT * FROM member_stats WHERE tenant_id = ? AND board_id = ? AND member_key = ?'),
    statsList: db.prepare<[string, string], StatsRow>('SELECT * FROM member_stats WHERE tenant_id = ? AND board_id = ?'),
    statsDelete: db.prepare('DELETE FROM member_stats WHERE tenant_id = ? AND board_id = ? AND member_key = ?'),
    // A removed credit comes off them (never below zero); the latest dates are what remains.
    statsRemove: db.prepare<StatsChange>(
      `UPDATE member_stats SET
         ${KIND_COLUMNS.map((c, i) => `${c} = max(0, ${c} - @${KIND_IDS[i]})`).join(', ')},
         received_count = max(0, received_count - @r),
         last_credited_at = CASE WHEN @r THEN @lastCreditedAt ELSE last_credited_at END,
         given_count = max(0, given_count - @g),
         last_gave_at = CASE WHEN @g THEN @lastGaveAt ELSE last_gave_at END
       WHERE tenant_id = @t AND board_id = @b AND member_key = @k`,
    ),
    leaseTake: db.prepare(
      `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.expires_at <= @now OR leases.holder = excluded.holder`,
    ),
    leaseRelease: db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?'),
  };

  const cached = <T extends object>(key: string, read: () => DocRow | undefined): T | undefined => {
    const now = performance.now();
    if (now - epochAskedAt >= EPOCH_MS) epochSeen(rosterEpoch.get(), now);
    const hit = docs.get(key);
    if (hit !== undefined) return (hit ?? undefined) as T | undefined;
    const value = parse<T>(read());
    if (!db.inTransaction) {
      if (docs.size >= DOC_CACHE_ENTRIES) docs.clear();
      docs.set(key, value ? deepFreeze(value) : null);
    }
    return value;
  };
  const boardKey = (tenantId: string, boardId: string) => `b\u0000${tenantId}\u0000${boardId}`;
  const memberKey = (tenantId: string, boardId: string, userId: string) => `m\u0000${tenantId}\u0000${boardId}\u0000${userId}`;
  const channelKey = (tenantId: string, boardId: string, channelUserId: string) => `c\u0000${tenantId}\u0000${boardId}\u0000${channelUserId}`;
  const getBoard = (tenantId: string, boardId: string) => cached<Board>(boardKey(tenantId, boardId), () => q.boardGet.get(tenantId, boardId));
  const getMember = (tenantId: string, boardId: string, userId: string) => cached<Member>(memberKey(tenantId, boardId, userId), () => q.memberGet.get(tenantId, boardId, userId));
  const memberByChannelId = (tenantId: string, boardId: string, channelUserId: string) => {
    const key = channelKey(tenantId, boardId, channelUserId);
    const found = cached<Member>(key, () => q.memberByChannelId.get(tenantId, boardId, channelUserId));
    // The entry is the member as found; their own entry is fresher if they changed since.
    const current = found && getMember(tenantId, boardId, found.userId);
    if (current && current.channelUserId === channelUserId && !current.leftAt) return current;
    if (found) docs.delete(key);
    return found && parse<Member>(q.memberByChannelId.get(tenantId, boardId, channelUserId));
  };

  /** What a credit changes in one member's counters, as statement parameters. */
  const statsChange = (rec: Recognition, key: string, name: string, remaining: { lastCreditedAt?: string; lastGaveAt?: string } = {}): StatsChange => {
    const { received, gave } = partIn(rec, key);
    const r = received ? 1 : 0;
    const kinds = Object.fromEntries(KIND_IDS.map((kind) => [kind, kind === rec.kind ? r : 0])) as Record<Kind, number>;
    return { t: rec.tenantId, b: rec.boardId, k: key, name, ...kinds, r, g: gave ? 1 : 0, at: rec.createdAt, lastCreditedAt: remaining.lastCreditedAt ?? null, lastGaveAt: remaining.lastGaveAt ?? null };
  };

  // A credit is three statements whatever its number of people: its row, its recipient rows
  // in one insert and its people's counters in one upsert (one statement text per count).
  const rows = (count: number, row: string) => Array(count).fill(`(${row})`).join(', ');
  const recInsertId = statementId(
    'INSERT INTO recognitions (id, tenant_id, board_id, created_at, kind, giver_id, private, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const recipientsInsertId = byCount((count) =>
    statementId(`INSERT INTO recognition_recipients (tenant_id, board_id, member_key, created_at, recognition_id) VALUES ${rows(count, '?, ?, ?, ?, ?')}`),
  );
  // A credit adds to the counters in place; the name is the one the person had when first counted.
  const statsAddId = byCount((count) =>
    statementId(
      `INSERT INTO member_stats (tenant_id, board_id, member_key, name, ${KIND_COLUMNS.join(', ')}, received_count, last_credited_at, given_count, last_gave_at)
       VALUES ${rows(count, Array(KIND_COLUMNS.length + 8).fill('?').join(', '))}
       ON CONFLICT (tenant_id, board_id, member_key) DO UPDATE SET
         ${KIND_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
         received_count = received_count + excluded.received_count,
         last_credited_at = coalesce(max(last_credited_at, excluded.last_credited_at), last_credited_at, excluded.last_credited_at),
         given_count = given_count + excluded.given_count,
         last_gave_at = coalesce(max(last_gave_at, excluded.last_gave_at), last_gave_at, excluded.last_gave_at)`,
    ),
  );

  /** A credit's statements; if its row is already there (a retry), the writer runs no more. */
  const creditPlan = (rec: Recognition): Plan => {
    const { tenantId: t, boardId: b, createdAt: at } = rec;
    const keys = new Set(recipientKeys(rec));
    const recipientRows: unknown[] = [];
    for (const key of keys) recipientRows.push(t, b, key, at, rec.id);
    const touched = touchedKeys(rec);
    const statsRows: unknown[] = [];
    for (const [key, name] of touched) {
      const { received, gave } = partIn(rec, key);
      statsRows.push(t, b, key, name);
      for (const kind of KIND_IDS) statsRows.push(received && kind === rec.kind ? 1 : 0);
      statsRows.push(received ? 1 : 0, received ? at : null, gave ? 1 : 0, gave ? at : null);
    }
    return [
      [recInsertId, [rec.id, t, b, at, rec.kind, rec.giver.userId, rec.visibility === 'private' ? 1 : 0, JSON.stringify(rec)]],
      [recipientsInsertId(keys.size), recipientRows],
      [statsAddId(touched.size), statsRows],
    ];
  };
  /** The credit a retry found already written. */
  const existingCredit = (rec: Recognition): { recognition: Recognition; created: boolean } => {
    const existing = q.recById.get(rec.id);
    if (!existing) throw new Error(`credit ${rec.id} was neither written nor found`);
    // Ids are derived per tenant and board, so this is a collision, never a retry: refuse rather than hand back another board's credit.
    if (existing.tenant_id !== rec.tenantId || existing.board_id !== rec.boardId) throw new DomainError('conflict', 'That credit id is already taken.');
    return { recognition: JSON.parse(existing.doc) as Recognition, created: false };
  };
  // All or none: a collision found after the plans ran still rolls every one of them back.
  const createManyTx = db.transaction((recs: Recognition[]) => {
    const written = writer.runHere(recs.map(creditPlan));
    return recs.map((rec, i) => (written[i] ? { recognition: rec, created: true } : existingCredit(rec)));
  });

  const endorseTx = db.transaction((tenantId: string, boardId: string, id: string, e: Endorsement) => {
    const rec = parse<Recognition>(q.recGet.get(tenantId, boardId, id));
    if (!rec || rec.deletedAt) return undefined;
    if (rec.endorsements.some((x) => x.userId === e.userId)) return { recognition: rec, added: false };
    rec.endorsements.push(e);
    q.recUpdateDoc.run(JSON.stringify(rec), id);
    return { recognition: rec, added: true };
  });

  const recordCardTx = db.transaction((tenantId: string, boardId: string, id: string, card: PostedCard) => {
    const rec = parse<Recognition>(q.recGet.get(tenantId, boardId, id));
    if (!rec || rec.postedCard) return rec;
    rec.postedCard = card;
    q.recUpdateDoc.run(JSON.stringify(rec), id);
    return rec;
  });

  /** Marks the credit's recipient rows deleted (those of members erased from it are gone already). */
  const markRowsDeleted = (rec: Recognition) => {
    for (const key of new Set(recipientKeys(rec))) q.recipientMarkDeleted.run(rec.tenantId, rec.boardId, key, rec.createdAt, rec.id);
  };

  const deleteTx = db.transaction((tenantId: string, boardId: string, id: string, at: string) => {
    const rec = parse<Recognition>(q.recGet.get(tenantId, boardId, id));
    if (!rec || rec.deletedAt) return rec;
    rec.deletedAt = at;
    q.recMarkDeleted.run(JSON.stringify(rec), id);
    markRowsDeleted(rec);
    for (const [key, name] of touchedKeys(rec)) {
      // An erased member has no stats; a lead removing a credit they gave must not start some.
      if (key === FORMER_MEMBER.userId) continue;
      const remaining = {
        lastCreditedAt: q.lastCredited.get(tenantId, boardId, key)?.at ?? undefined,
        lastGaveAt: q.lastGave.get(tenantId, boardId, key)?.at ?? undefined,
      };
      q.statsRemove.run(statsChange(rec, key, name, remaining));
    }
    return rec;
  });

  const putMember = (m: Member) => {
    docs.delete(memberKey(m.tenantId, m.boardId, m.userId));
    if (m.channelUserId) docs.delete(channelKey(m.tenantId, m.boardId, m.channelUserId));
    return q.memberPut.run(m.tenantId, m.boardId, m.userId, m.name.toLowerCase(), m.email?.toLowerCase() ?? null, m.leftAt ? 0 : 1, m.channelUserId ?? null, JSON.stringify(m));
  };

  // One transaction per board: the member is out of every credit, stats and roster at once, or not at all.
  const eraseTx = db.transaction((tenantId: string, boardId: string, userId: string, at: string): MemberErasure => {
    const counts = noErasure();
    const member = parse<Member>(q.memberGet.get(tenantId, boardId, userId));
    const keys = erasureKeys(userId, member?.email);
    const keySet = new Set(keys);
    const ids = new Set<string>();
    for (const key of keys) for (const row of q.recIdsByRecipient.all(tenantId, boardId, key)) ids.add(row.id);
    for (const row of q.recIdsByGiver.all(tenantId, boardId, userId)) ids.add(row.id);
    for (const row of q.recIdsByEndorser.all(tenantId, boardId, userId)) ids.add(row.id);
    for (const id of ids) {
      const rec = parse<Recognition>(q.recGet.get(tenantId, boardId, id));
      const change = rec && eraseFromCredit(rec, userId, keySet, at);
      if (!rec || !change) continue;
      const { next } = change;
      q.recErase.run(JSON.stringify(next), next.deletedAt ? 1 : 0, next.giver.userId, id);
      for (const key of keys) q.recipientDelete.run(tenantId, boardId, key, rec.createdAt, id);
      if (next.deletedAt) {
        markRowsDeleted(rec);
        // The rows mirror the recipients of the document, placeholder included.
        for (const r of next.recipients) if (r.userId === FORMER_MEMBER.userId) q.recipientInsertDeleted.run(tenantId, boardId, FORMER_MEMBER.userId, rec.createdAt, id);
      }
      if (change.deleted && !keySet.has(rec.giver.userId) && rec.giver.userId !== FORMER_MEMBER.userId) {
        // The giver's count drops with the credit; co-recipients and the recipients of what the member gave keep theirs.
        const giver = rec.giver.userId;
        q.statsRemove.run(statsChange(rec, giver, rec.giver.name, { lastGaveAt: q.lastGave.get(tenantId, boardId, giver)?.at ?? undefined }));
      }
      counts.deleted += Number(change.deleted);
      counts.removedFrom += Number(change.removedFrom);
      counts.anonymised += Number(change.anonymised);
      counts.endorsementsRemoved += Number(change.endorsementRemoved);
    }
    for (const key of keys) q.statsDelete.run(tenantId, boardId, key);
    if (member) putMember(tombstoneOf(member, at));
    return counts;
  });

  const page = (query: FeedQuery): Page<Recognition> => {
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
    const rows = db
      .prepare<Record<string, string | number>, DocRow>(`SELECT r.doc FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${at} DESC, ${id} DESC LIMIT @limit`)
      .all(params);
    const items = parseAll<Recognition>(rows.slice(0, query.limit));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : undefined };
  };

  return {
    boards: {
      get: async (tenantId, boardId) => getBoard(tenantId, boardId),
      put: async (board) => {
        await write(() => {
          docs.delete(boardKey(board.tenantId, board.id));
          q.boardPut.run(board.tenantId, board.id, JSON.stringify(board));
        });
      },
    },
    members: {
      get: async (tenantId, boardId, userId) => getMember(tenantId, boardId, userId),
      list: async (tenantId, boardId, options) => parseAll<Member>((options?.includeLeft ? q.memberListAll : q.memberList).all(tenantId, boardId)),
      search: async (tenantId, boardId, text, limit) => {
        const needle = escapeLike(text.trim().toLowerCase());
        return parseAll<Member>(q.memberSearch.all({ t: tenantId, b: boardId, prefix: `${needle}%`, word: `% ${needle}%`, limit }));
      },
      findByEmail: async (tenantId, boardId, email) => parse<Member>(q.memberByEmail.get(tenantId, boardId, email.toLowerCase())),
      put: async (m) => {
        await write(() => putMember(m));
      },
      findByChannelId: async (tenantId, boardId, channelUserId) => memberByChannelId(tenantId, boardId, channelUserId),
      boardsOf: async (tenantId, userId, options) => parseAll<Member>((options?.includeLeft ? q.memberBoardsAll : q.memberBoards).all(tenantId, userId)),
    },
    recognitions: {
      create: async (rec) => ((await writer.submit(creditPlan(rec))) ? { recognition: rec, created: true } : existingCredit(rec)),
      get: async (tenantId, boardId, id) => parse<Recognition>(q.recGet.get(tenantId, boardId, id)),
      page: async (query) => page(query),
      endorse: async (tenantId, boardId, id, e) => write(() => endorseTx(tenantId, boardId, id, e)),
      recordCard: async (tenantId, boardId, id, card) => write(() => recordCardTx(tenantId, boardId, id, card)),
      softDelete: async (tenantId, boardId, id, at) => write(() => deleteTx(tenantId, boardId, id, at)),
      eraseMember: async (tenantId, boardId, userId, at) => {
        // Credits waiting for the writer go first, so none lands after the erasure.
        await writer.flush();
        return write(() => eraseTx(tenantId, boardId, userId, at));
      },
      facts: async (tenantId, boardId, since): Promise<CreditFact[]> =>
        q.facts.all(tenantId, boardId, since).map((r) => ({ kind: r.kind, createdAt: r.created_at, recipientKeys: r.keys.split('\x1f') })),
    },
    stats: {
      list: async (tenantId, boardId) => q.statsList.all(tenantId, boardId).map(statsOf),
      get: async (tenantId, boardId, key) => {
        const row = q.statsGet.get(tenantId, boardId, key);
        return row && statsOf(row);
      },
    },
    leases: {
      acquire: async (name, holder, ttlMs, now) =>
        (await write(() => q.leaseTake.run({ name, holder, expires: now.getTime() + ttlMs, now: now.getTime() }))).changes > 0,
      release: async (name, holder) => {
        await write(() => q.leaseRelease.run(name, holder));
      },
    },
    createRecognitions: (recs) => {
      const created = createManyTx(recs);
      afterCommit();
      return created;
    },
    close: async () => {
      await writer.stop();
      await checkpointer?.stop();
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare<[], { version: number }>('SELECT version FROM schema_version').get();
  const current = row?.version ?? 0;
  if (current > MIGRATIONS.length) throw new Error(`The database schema (v${current}) is newer than this build knows (v${MIGRATIONS.length}).`);
  db.transaction(() => {
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
  })();
}

/** The value, and everything in it, made read-only: a cached document is shared by every reader. */
function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child && typeof child === 'object') deepFreeze(child as object);
  return Object.freeze(value);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `make(count)`, computed once per count. */
function byCount<T>(make: (count: number) => T): (count: number) => T {
  const made = new Map<number, T>();
  return (count) => {
    if (!made.has(count)) made.set(count, make(count));
    return made.get(count) as T;
  };
}
