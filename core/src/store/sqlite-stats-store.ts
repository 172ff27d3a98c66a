import type Database from 'better-sqlite3';
import type { MemberStats } from '../board';
import { KIND_IDS, type Kind } from '../kinds';
import { type BoardCounts, type HourCount, type ReceivedDays, countReceivedDay, hourOf, hoursOfDay, splitKeptCounts } from '../credit-counts';
import { partIn } from '../member-stats';
import { type Recognition, recipientKeys } from '../recognition';
import { type KeptStats, type Reconciliation, type RepairPlan, reconcile } from '../reconcile';
import { parseDocs } from './sqlite-documents';
import type { ReconcileOptions, RosterCounts, RosterPerson, StatsStore } from './store';
import { writeTransaction } from './sqlite-write-transaction';

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
  received_days: string;
} & Record<`received_${Kind}`, number>;

/** What a credit changes in one member's counters, as statement parameters. */
type StatsChange = { t: string; b: string; k: string; name: string; r: number; g: number; lastCreditedAt: string | null; lastGaveAt: string | null; days: string } & Record<Kind, number>;

/** A board_credit_hours row's key, as statement parameters. */
type HourKey = { t: string; b: string; hour: string; private: number };

const KIND_COLUMNS = KIND_IDS.map((kind) => `received_${kind}` as const);

/** The counters' statements, prepared once per connection. */
const statements = (db: Database.Database) => ({
  get: db.prepare<[string, string, string], StatsRow>('SELECT * FROM member_stats WHERE tenant_id = ? AND board_id = ? AND member_key = ?'),
  list: db.prepare<[string, string], StatsRow>('SELECT * FROM member_stats WHERE tenant_id = ? AND board_id = ?'),
  delete: db.prepare<[string, string, string]>('DELETE FROM member_stats WHERE tenant_id = ? AND board_id = ? AND member_key = ?'),
  days: db.prepare<[string, string, string], string>('SELECT received_days FROM member_stats WHERE tenant_id = ? AND board_id = ? AND member_key = ?').pluck(),
  // Arrays, not objects, and only what insights use: a big board has thousands of rows to hand over.
  lastAndDays: db.prepare<[string, string], [string, string | null, string]>('SELECT member_key, last_credited_at, received_days FROM member_stats WHERE tenant_id = ? AND board_id = ?').raw(),
  // Insights read the whole roster with each person's counters. SQLite joins them and hands the
  // result over as one JSON text, which JavaScript parses in one go: on a board of thousands a
  // row per person, and a parse per person's days, were most of an insights call.
  roster: db.prepare<[string, string], string>(
    `SELECT coalesce('[' || group_concat('[' || json_quote(m.user_id) || ',' || coalesce(json_quote(s.last_credited_at), 'null') || ','
         || coalesce(s.received_days, '[]') || ',' || json_quote(m.name) || ',' || m.opted_out || ']') || ']', '[]')
       FROM members m INDEXED BY members_people
       LEFT JOIN member_stats s ON s.tenant_id = m.tenant_id AND s.board_id = m.board_id AND s.member_key = m.user_id
      WHERE m.tenant_id = ? AND m.board_id = ? AND m.active = 1`,
  ).pluck(),
  hours: db.prepare<[string, string, string], [string, number, ...number[]]>(`SELECT hour, private, ${KIND_IDS.join(', ')} FROM board_credit_hours WHERE tenant_id = ? AND board_id = ? AND hour >= ?`).raw(),
  // Insights count private credits with the others: one row per hour, summed in the key's order.
  allHours: db.prepare<[string, string, string], [string, ...number[]]>(
    `SELECT hour, ${KIND_IDS.map((k) => `sum(${k})`).join(', ')} FROM board_credit_hours WHERE tenant_id = ? AND board_id = ? AND hour >= ? GROUP BY hour`,
  ).raw(),
  // The previous window's trend needs its credits per kind, not per hour.
  kindTotals: db.prepare<[string, string, string, string], number[]>(
    `SELECT ${KIND_IDS.map((k) => `coalesce(sum(${k}), 0)`).join(', ')} FROM board_credit_hours WHERE tenant_id = ? AND board_id = ? AND hour >= ? AND hour < ?`,
  ).raw(),
  // One statement per kind: the kind is a column name, which a parameter cannot be.
  addHour: Object.fromEntries(
    KIND_IDS.map((kind) => [
      kind,
      db.prepare<HourKey>(`INSERT INTO board_credit_hours (tenant_id, board_id, hour, private, ${kind}) VALUES (@t, @b, @hour, @private, 1) ON CONFLICT DO UPDATE SET ${kind} = ${kind} + 1`),
    ]),
  ) as Record<Kind, Database.Statement<HourKey>>,
  removeHour: Object.fromEntries(
    KIND_IDS.map((kind) => [
      kind,
      db.prepare<HourKey>(`UPDATE board_credit_hours SET ${kind} = max(0, ${kind} - 1) WHERE tenant_id = @t AND board_id = @b AND hour = @hour AND private = @private`),
    ]),
  ) as Record<Kind, Database.Statement<HourKey>>,
  liveCredits: db.prepare<[string, string], { doc: string }>('SELECT doc FROM recognitions WHERE tenant_id = ? AND board_id = ? AND deleted = 0'),
  // A reconcile's repair: the member's counters as recomputed, whatever they held; the name stays.
  putStats: db.prepare<StatsChange>(
    `INSERT INTO member_stats (tenant_id, board_id, member_key, name, ${KIND_COLUMNS.join(', ')}, received_count, last_credited_at, given_count, last_gave_at, received_days)
     VALUES (@t, @b, @k, @name, ${KIND_IDS.map((kind) => `@${kind}`).join(', ')}, @r, @lastCreditedAt, @g, @lastGaveAt, @days)
     ON CONFLICT (tenant_id, board_id, member_key) DO UPDATE SET
       ${[...KIND_COLUMNS, 'received_count', 'last_credited_at', 'given_count', 'last_gave_at', 'received_days'].map((c) => `${c} = excluded.${c}`).join(', ')}`,
  ),
  clearDay: db.prepare<[string, string, string, string]>('DELETE FROM board_credit_hours WHERE tenant_id = ? AND board_id = ? AND hour >= ? AND hour <= ?'),
  putHour: db.prepare<HourKey & Record<Kind, number>>(
    `INSERT INTO board_credit_hours (tenant_id, board_id, hour, private, ${KIND_IDS.join(', ')}) VALUES (@t, @b, @hour, @private, ${KIND_IDS.map((k) => `@${k}`).join(', ')})`,
  ),
  // The name is the one the person had when first counted.
  add: db.prepare<StatsChange>(
    `INSERT INTO member_stats (tenant_id, board_id, member_key, name, ${KIND_COLUMNS.join(', ')}, received_count, last_credited_at, given_count, last_gave_at, received_days)
     VALUES (@t, @b, @k, @name, ${KIND_IDS.map((kind) => `@${kind}`).join(', ')}, @r, @lastCreditedAt, @g, @lastGaveAt, @days)
     ON CONFLICT (tenant_id, board_id, member_key) DO UPDATE SET
       ${KIND_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
       received_count = received_count + excluded.received_count,
       last_credited_at = coalesce(max(last_credited_at, excluded.last_credited_at), last_credited_at, excluded.last_credited_at),
       given_count = given_count + excluded.given_count,
       last_gave_at = coalesce(max(last_gave_at, excluded.last_gave_at), last_gave_at, excluded.last_gave_at),
       received_days = CASE WHEN excluded.received_count THEN excluded.received_days ELSE received_days END`,
  ),
  // A credit that changed kind moves between a recipient's kind columns; the deltas are -1, 0 or +1 per kind.
  shiftKinds: db.prepare<{ t: string; b: string; k: string } & Record<Kind, number>>(
    `UPDATE member_stats SET ${KIND_IDS.map((kind) => `received_${kind} = max(0, received_${kind} + @${kind})`).join(', ')}
     WHERE tenant_id = @t AND board_id = @b AND member_key = @k`,
  ),
  // A removed credit comes off them (never below zero); the latest dates are what remains.
  remove: db.prepare<StatsChange>(
    `UPDATE member_stats SET
       ${KIND_COLUMNS.map((c, i) => `${c} = max(0, ${c} - @${KIND_IDS[i]})`).join(', ')},
       received_count = max(0, received_count - @r),
       last_credited_at = CASE WHEN @r THEN @lastCreditedAt ELSE last_credited_at END,
       given_count = max(0, given_count - @g),
       last_gave_at = CASE WHEN @g THEN @lastGaveAt ELSE last_gave_at END,
       received_days = CASE WHEN @r THEN @days ELSE received_days END
     WHERE tenant_id = @t AND board_id = @b AND member_key = @k`,
  ),
});

/**
 * Each member's counters in SQLite, a column per kind, so a credit adds to them in place, and
 * the board's credits per hour. Readers see a StatsStore; `add`, `remove`, `countCredit` and
 * `delete` are for the recognition store, which keeps them in step inside the transaction of
 * each credit's write.
 */
export class SqliteStatsStore implements StatsStore {
  private readonly q: ReturnType<typeof statements>;
  private readonly reconcileTx: (tenantId: string, boardId: string, repair: boolean) => Reconciliation;

  constructor(db: Database.Database) {
    for (const [table, wanted] of [['member_stats', KIND_COLUMNS], ['board_credit_hours', KIND_IDS]] as const) {
      const columns = new Set(db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck().all(table));
      const missing = wanted.filter((c) => !columns.has(c));
      if (missing.length) throw new Error(`${table} has no column ${missing.join(', ')}: a new kind needs a migration that adds its column.`);
    }
    this.q = statements(db);
    // Read, compare and write in one transaction: no credit can land between the recount and its
    // repair. Only a repair writes; a report alone stays a read and never waits for the write lock.
    const report = db.transaction((tenantId: string, boardId: string) => this.reconcileNow(tenantId, boardId, false));
    const repair = writeTransaction(db, (tenantId: string, boardId: string) => this.reconcileNow(tenantId, boardId, true));
    this.reconcileTx = (tenantId: string, boardId: string, repairs: boolean) => (repairs ? repair : report)(tenantId, boardId);
  }

  async list(tenantId: string, boardId: string): Promise<MemberStats[]> {
    return this.q.list.all(tenantId, boardId).map(statsOf);
  }

  async get(tenantId: string, boardId: string, memberKey: string): Promise<MemberStats | undefined> {
    const row = this.q.get.get(tenantId, boardId, memberKey);
    return row && statsOf(row);
  }

  async counts(tenantId: string, boardId: string, fromDay: string, previousFromDay?: string): Promise<BoardCounts> {
    const parse = (days: string) => JSON.parse(days) as ReceivedDays;
    return this.countsOf(tenantId, boardId, this.q.lastAndDays.all(tenantId, boardId), parse, fromDay, previousFromDay);
  }

  async rosterCounts(tenantId: string, boardId: string, fromDay: string, previousFromDay?: string, weekBounds?: readonly string[]): Promise<RosterCounts> {
    // Each person's counters come first, in the order the counts read them.
    const people = JSON.parse(this.q.roster.get(tenantId, boardId) as string) as Array<[userId: string, lastCreditedAt: string | null, days: ReceivedDays, name: string, optedOut: number]>;
    const roster = people.map(([userId, , , name, optedOut]): RosterPerson => ({ userId, name, optedOut: optedOut === 1 }));
    return { roster, counts: this.countsOf(tenantId, boardId, people, (days) => days, fromDay, previousFromDay, weekBounds) };
  }

  private countsOf<Days>(
    tenantId: string,
    boardId: string,
    stats: Iterable<readonly [string, string | null, Days, ...unknown[]]>,
    daysOf: (kept: Days) => ReceivedDays,
    fromDay: string,
    previousFromDay?: string,
    weekBounds: readonly string[] = [`${fromDay}T00`],
  ): BoardCounts {
    const hours: HourCount[] = [];
    // A week's hours summed by SQLite come over as one row, not the 168 an hour each would take.
    for (let w = 0; w + 1 < weekBounds.length; w++) {
      const sums = this.q.kindTotals.get(tenantId, boardId, weekBounds[w], weekBounds[w + 1]) as number[];
      for (let i = 0; i < KIND_IDS.length; i++) if (sums[i]) hours.push({ hour: weekBounds[w], kind: KIND_IDS[i], private: false, credits: sums[i] });
    }
    for (const row of this.q.allHours.all(tenantId, boardId, weekBounds[weekBounds.length - 1])) {
      for (let i = 0; i < KIND_IDS.length; i++) if (row[i + 1]) hours.push({ hour: row[0], kind: KIND_IDS[i], private: false, credits: row[i + 1] as number });
    }
    if (previousFromDay === undefined) return splitKeptCounts(stats, daysOf, fromDay, hours);
    const totals = this.q.kindTotals.get(tenantId, boardId, previousFromDay, fromDay) as number[];
    const byKind = Object.fromEntries(KIND_IDS.map((kind, i) => [kind, totals[i]])) as Record<Kind, number>;
    return splitKeptCounts(stats, daysOf, fromDay, hours, { fromDay: previousFromDay, byKind });
  }

  async hours(tenantId: string, boardId: string, fromDay: string): Promise<HourCount[]> {
    return this.hoursNow(tenantId, boardId, fromDay);
  }

  private hoursNow(tenantId: string, boardId: string, fromDay: string): HourCount[] {
    const hours: HourCount[] = [];
    for (const [hour, isPrivate, ...counts] of this.q.hours.all(tenantId, boardId, fromDay)) {
      KIND_IDS.forEach((kind, i) => {
        if (counts[i]) hours.push({ hour, kind, private: isPrivate === 1, credits: counts[i] });
      });
    }
    return hours;
  }

  async reconcile(tenantId: string, boardId: string, options: ReconcileOptions): Promise<Reconciliation> {
    return this.reconcileTx(tenantId, boardId, options.repair);
  }

  private reconcileNow(tenantId: string, boardId: string, repair: boolean): Reconciliation {
    const stats: KeptStats[] = this.q.list.all(tenantId, boardId).map((row) => ({ stats: statsOf(row), receivedDays: JSON.parse(row.received_days) as ReceivedDays }));
    const credits = parseDocs<Recognition>(this.q.liveCredits.all(tenantId, boardId));
    const { report, plan } = reconcile(tenantId, boardId, { stats, hours: this.hoursNow(tenantId, boardId, ''), marked: true }, credits);
    if (!repair) return report;
    this.write(tenantId, boardId, plan);
    return { ...report, repaired: true };
  }

  private write(tenantId: string, boardId: string, plan: RepairPlan): void {
    for (const { stats: s, receivedDays } of plan.stats) {
      const kinds = Object.fromEntries(KIND_IDS.map((kind) => [kind, s.receivedByKind[kind]])) as Record<Kind, number>;
      this.q.putStats.run({
        t: tenantId,
        b: boardId,
        k: s.memberKey,
        name: s.name,
        ...kinds,
        r: s.receivedCount,
        g: s.givenCount,
        lastCreditedAt: s.lastCreditedAt ?? null,
        lastGaveAt: s.lastGaveAt ?? null,
        days: JSON.stringify(receivedDays),
      });
    }
    for (const [day, dayHours] of plan.days) {
      this.q.clearDay.run(tenantId, boardId, `${day}T00`, `${day}T23`);
      const rows = new Map<string, HourKey & Record<Kind, number>>();
      for (const h of hoursOfDay(day, dayHours)) {
        const id = `${h.hour}|${h.private}`;
        const row = rows.get(id) ?? { t: tenantId, b: boardId, hour: h.hour, private: h.private ? 1 : 0, ...(Object.fromEntries(KIND_IDS.map((k) => [k, 0])) as Record<Kind, number>) };
        row[h.kind] += h.credits;
        rows.set(id, row);
      }
      for (const row of rows.values()) this.q.putHour.run(row);
    }
  }

  /** Counts the new credit for one of its people. */
  add(rec: Recognition, key: string, name: string): void {
    const { received, gave } = partIn(rec, key);
    this.q.add.run(change(rec, key, name, { lastCreditedAt: received ? rec.createdAt : undefined, lastGaveAt: gave ? rec.createdAt : undefined }, this.daysAfter(rec, key, 1)));
  }

  /** Takes a removed credit off one of its people, whose latest dates are now `remaining`. */
  remove(rec: Recognition, key: string, name: string, remaining: { lastCreditedAt?: string; lastGaveAt?: string }): void {
    this.q.remove.run(change(rec, key, name, remaining, this.daysAfter(rec, key, -1)));
  }

  /** Counts a live credit (sign +1) or its removal (-1) in the board's hour of it. */
  countCredit(rec: Recognition, sign: 1 | -1): void {
    const key: HourKey = { t: rec.tenantId, b: rec.boardId, hour: hourOf(rec.createdAt), private: rec.visibility === 'private' ? 1 : 0 };
    (sign > 0 ? this.q.addHour : this.q.removeHour)[rec.kind].run(key);
  }

  /** Moves a credit that changed kind from `before`'s to `after`'s, for its recipients and in the board's hour of it. */
  moveKind(before: Recognition, after: Recognition): void {
    if (before.kind === after.kind) return;
    this.countCredit(before, -1);
    this.countCredit(after, 1);
    const deltas = Object.fromEntries(KIND_IDS.map((kind) => [kind, kind === after.kind ? 1 : kind === before.kind ? -1 : 0])) as Record<Kind, number>;
    // An erased recipient has no row, so the update finds nothing to move for them.
    for (const key of new Set(recipientKeys(before))) this.q.shiftKinds.run({ t: before.tenantId, b: before.boardId, k: key, ...deltas });
  }

  /** A member key's received days once the credit is counted or removed; unchanged unless it names them. */
  private daysAfter(rec: Recognition, key: string, sign: 1 | -1): string {
    const stored = this.q.days.get(rec.tenantId, rec.boardId, key);
    const days = stored ? (JSON.parse(stored) as ReceivedDays) : [];
    return JSON.stringify(partIn(rec, key).received ? countReceivedDay(days, rec.createdAt, sign) : days);
  }

  /** Forgets a member's counters altogether. */
  delete(tenantId: string, boardId: string, key: string): void {
    this.q.delete.run(tenantId, boardId, key);
  }
}

/** One member's part in the credit, as the statements' parameters. */
function change(rec: Recognition, key: string, name: string, dates: { lastCreditedAt?: string; lastGaveAt?: string }, days: string): StatsChange {
  const { received, gave } = partIn(rec, key);
  const r = received ? 1 : 0;
  const kinds = Object.fromEntries(KIND_IDS.map((kind) => [kind, kind === rec.kind ? r : 0])) as Record<Kind, number>;
  return { t: rec.tenantId, b: rec.boardId, k: key, name, ...kinds, r, g: gave ? 1 : 0, lastCreditedAt: dates.lastCreditedAt ?? null, lastGaveAt: dates.lastGaveAt ?? null, days };
}

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
