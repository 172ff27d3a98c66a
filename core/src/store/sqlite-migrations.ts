import type Database from 'better-sqlite3';
import { writeTransaction } from './sqlite-write-transaction';

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
  // A roster epoch for a document cache that is gone; the next migration drops it again.
  `
  CREATE TABLE roster_epoch (n INTEGER NOT NULL);
  INSERT INTO roster_epoch VALUES (0);
  ${['boards', 'members']
    .flatMap((table) => ['INSERT', 'UPDATE', 'DELETE'].map((event) => `CREATE TRIGGER ${table}_${event.toLowerCase()}_epoch AFTER ${event} ON ${table} BEGIN UPDATE roster_epoch SET n = n + 1; END;`))
    .join('\n  ')}
  `,
  // The store keeps no cache, so nothing asks the epoch: its triggers would only cost every
  // roster write an extra update.
  `
  DROP TRIGGER boards_insert_epoch; DROP TRIGGER boards_update_epoch; DROP TRIGGER boards_delete_epoch;
  DROP TRIGGER members_insert_epoch; DROP TRIGGER members_update_epoch; DROP TRIGGER members_delete_epoch;
  DROP TABLE roster_epoch;
  `,
  // Counts kept on write, so insights never read the window's credits (issue #15): the board's
  // live credits per UTC hour and visibility, a column per kind of KIND_IDS as member_stats has
  // (a row per kind was five times the rows for insights to read), and each member's received
  // credits per UTC day beside their stats (a flat JSON array [day, count, …] of days since
  // 1970-01-01, see ReceivedDays). Both are filled from the credits already stored.
  `
  CREATE TABLE board_credit_hours (
    tenant_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    hour TEXT NOT NULL,
    private INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 0,
    prevented INTEGER NOT NULL DEFAULT 0,
    improved INTEGER NOT NULL DEFAULT 0,
    sustained INTEGER NOT NULL DEFAULT 0,
    delivered INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, board_id, hour, private)
  ) WITHOUT ROWID;
  INSERT INTO board_credit_hours (tenant_id, board_id, hour, private, enabled, prevented, improved, sustained, delivered)
    SELECT tenant_id, board_id, substr(created_at, 1, 13), private,
      sum(kind = 'enabled'), sum(kind = 'prevented'), sum(kind = 'improved'), sum(kind = 'sustained'), sum(kind = 'delivered')
    FROM recognitions WHERE deleted = 0 GROUP BY 1, 2, 3, 4;
  ALTER TABLE member_stats ADD COLUMN received_days TEXT NOT NULL DEFAULT '[]';
  WITH per_day AS (
    SELECT rr.tenant_id AS t, rr.board_id AS b, rr.member_key AS k, CAST(julianday(substr(rr.created_at, 1, 10)) - 2440587.5 AS INTEGER) AS d, count(*) AS n
      FROM recognition_recipients rr JOIN recognitions r ON r.id = rr.recognition_id
     WHERE rr.deleted = 0 AND r.deleted = 0
     GROUP BY 1, 2, 3, 4
  ), per_member AS (
    SELECT t, b, k, '[' || group_concat(d || ',' || n) || ']' AS days FROM per_day GROUP BY 1, 2, 3
  )
  UPDATE member_stats SET received_days = per_member.days
    FROM per_member WHERE member_stats.tenant_id = per_member.t AND member_stats.board_id = per_member.b AND member_stats.member_key = per_member.k;
  `,
  // Migration 9: one row per proactive message, keyed so a second run meaning the same message
  // meets the first at the primary key.
  `
  CREATE TABLE IF NOT EXISTS sends (
    tenant_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    key TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant_id, board_id, key)
  ) WITHOUT ROWID;
  `,
  // Migration 10: each member's name and opt-out beside the document, in an index that covers
  // what insights read of a roster, so a board of thousands is listed without parsing a
  // document per person.
  `
  ALTER TABLE members ADD COLUMN name TEXT NOT NULL DEFAULT '';
  ALTER TABLE members ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;
  UPDATE members SET name = json_extract(doc, '$.name'), opted_out = coalesce(json_extract(doc, '$.optedOut'), 0);
  CREATE INDEX members_people ON members (tenant_id, board_id, active, user_id, name, opted_out);
  `,
];

/** Brings the schema up to date in one transaction; refuses a schema newer than this build. */
export function migrate(db: Database.Database): void {
  // The version is read under the write lock: a second instance opening the file while the first
  // migrates it waits, then finds it migrated, instead of running the migrations again.
  writeTransaction(db, () => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = db.prepare<[], { version: number }>('SELECT version FROM schema_version').get();
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) throw new Error(`The database schema (v${current}) is newer than this build knows (v${MIGRATIONS.length}).`);
    if (current === MIGRATIONS.length) return;
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
  })();
}
