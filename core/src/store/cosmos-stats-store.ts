import type { Container, OperationInput } from '@azure/cosmos';
import type { MemberStats } from '../board';
import {
  type BoardCounts,
  type DayHours,
  type HourCount,
  type ReceivedDays,
  countInDay,
  byKindOf,
  countReceivedDay,
  dayOf,
  hoursOfDay,
  receivedDaysByKey,
  splitKeptCounts,
} from '../credit-counts';
import { emptyStats, partIn } from '../member-stats';
import type { Kind } from '../kinds';
import type { Recognition } from '../recognition';
import { type Reconciliation, reconcile } from '../reconcile';
import {
  COUNTS_STATE_ID,
  type DayCountsDoc,
  LIVE_CREDITS,
  type RecognitionDoc,
  type StatsDoc,
  dayCountsId,
  fromRecognitionDoc,
  fromStatsDoc,
  json,
  partitionKey,
  statsId,
} from './cosmos-documents';
import { type Found, backoff, ok, queryPartition, readItem, runBatch, throwUnlessRace } from './cosmos-requests';
import type { MemberStore, ReconcileOptions, RosterCounts, StatsStore } from './store';

/** Operations per batch: the service's limit. */
const BATCH_MAX = 100;
/** A repair that keeps losing races to new credits gives up after this many rounds and says so. */
const REPAIR_ROUNDS = 5;
/** Longer than any request's deadline, so a credit's writer has finished or given up. */
const SETTLE_MS = 30_000;

/**
 * Member stats in Cosmos DB, one item per member key in the board's partition, and the
 * board's credit counts, one item per UTC day. Only the credit writes change them, in the
 * same batch as the credit; this class is the read side.
 */
export class CosmosStatsStore implements StatsStore {
  constructor(
    private readonly container: Container,
    private readonly members: Pick<MemberStore, 'listPeople'>,
  ) {}

  async list(tenantId: string, boardId: string): Promise<MemberStats[]> {
    return (await this.statsDocs(partitionKey(tenantId, boardId))).map(fromStatsDoc);
  }

  async get(tenantId: string, boardId: string, memberKey: string): Promise<MemberStats | undefined> {
    const found = await readStats(this.container, partitionKey(tenantId, boardId), memberKey);
    return found ? fromStatsDoc(found.doc) : undefined;
  }

  /**
   * Three reads: the stats, the days from `previousFromDay` (or `fromDay`) on, and the mark that
   * the board's counts are complete. A board whose credits were written before counts were kept
   * has no mark: the first call counts its credits once, answers from them, and writes the
   * counts and the mark.
   */
  async counts(tenantId: string, boardId: string, fromDay: string, previousFromDay?: string): Promise<BoardCounts> {
    const pk = partitionKey(tenantId, boardId);
    const [docs, days, state] = await Promise.all([
      this.statsDocs(pk),
      this.days(pk, previousFromDay ?? fromDay),
      readItem<object>(this.container, COUNTS_STATE_ID, pk),
    ]);
    if (!state) return this.rebuild(pk, docs, fromDay, previousFromDay);
    const kept = docs.map((d) => [d.memberKey, d.lastCreditedAt, d.receivedDays ?? []] as const);
    return splitKeptCounts(kept, (days) => days, fromDay, ...windowAndBefore(days.map((d) => [d.day, d.hours]), fromDay, previousFromDay));
  }

  async rosterCounts(tenantId: string, boardId: string, fromDay: string, previousFromDay?: string): Promise<RosterCounts> {
    // Roster and stats are separate items: read side by side; keys off the roster do no harm to
    // insights, and the hours are left as the day items hold them, which the week bounds allow.
    const [roster, counts] = await Promise.all([this.members.listPeople(tenantId, boardId), this.counts(tenantId, boardId, fromDay, previousFromDay)]);
    return { roster, counts };
  }

  async hours(tenantId: string, boardId: string, fromDay: string): Promise<HourCount[]> {
    const pk = partitionKey(tenantId, boardId);
    const [days, state] = await Promise.all([this.days(pk, fromDay), readItem<object>(this.container, COUNTS_STATE_ID, pk)]);
    if (!state) return (await this.counts(tenantId, boardId, fromDay)).hours;
    return days.flatMap((d) => hoursOfDay(d.day, d.hours));
  }

  /**
   * Reads the stats and day items first and the credits after: a credit written in between
   * or later changes (or creates) the items it counts in, so the repair's Replace of them,
   * guarded by the ETag read first (a Create for an item not there), fails, and the next
   * round recounts with that credit in it. Credits written within `settleMs` are left alone
   * with the keys and days they touch: their writer may still be retrying those items, and
   * would add its credit again to counts that already hold it.
   */
  async reconcile(tenantId: string, boardId: string, options: ReconcileOptions): Promise<Reconciliation> {
    const pk = partitionKey(tenantId, boardId);
    const settleMs = options.settleMs ?? SETTLE_MS;
    let first: Reconciliation | undefined;
    for (let round = 0; round < REPAIR_ROUNDS; round++) {
      const [docs, days, state] = await Promise.all([
        this.statsDocs(pk),
        queryPartition<DayCountsDoc>(this.container, pk, "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'day-counts'"),
        readItem<object>(this.container, COUNTS_STATE_ID, pk),
      ]);
      const all = await queryPartition<RecognitionDoc & { _ts: number }>(this.container, pk, "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'recognition'");
      const settledBy = Math.floor((Date.now() - settleMs) / 1000);
      const credits = all.filter((d) => !d.deletedAt).map(fromRecognitionDoc);
      const settling = all.filter((d) => settleMs > 0 && d._ts >= settledBy).map(fromRecognitionDoc);
      const kept = { stats: docs.map((d) => ({ stats: fromStatsDoc(d), receivedDays: d.receivedDays ?? [] })), hours: days.flatMap((d) => hoursOfDay(d.day, d.hours)), marked: !!state };
      const { report, plan } = reconcile(tenantId, boardId, kept, credits, settling);
      first ??= report;
      if (!options.repair) return report;
      const docByKey = new Map(docs.map((d) => [d.memberKey, d]));
      const dayByDay = new Map(days.map((d) => [d.day, d]));
      const ops: OperationInput[] = [
        ...plan.stats.map((want) => {
          const doc = docByKey.get(want.stats.memberKey);
          return statsOp(pk, doc && { doc, etag: doc._etag as string }, want.stats, want.receivedDays);
        }),
        ...[...plan.days].map(([day, hours]) => {
          const doc = dayByDay.get(day);
          return dayCountsOp(pk, day, doc && { doc, etag: doc._etag as string }, hours);
        }),
      ];
      const statuses: number[] = [];
      for (let i = 0; i < ops.length; i += BATCH_MAX) statuses.push(...(await runBatch(this.container, pk, ops.slice(i, i + BATCH_MAX))));
      if (statuses.every(ok)) {
        if (!state && !report.settling) await this.container.items.upsert(json({ id: COUNTS_STATE_ID, pk, type: 'counts-state' }));
        return { ...first, repaired: true };
      }
      throwUnlessRace(statuses);
      await backoff(round);
    }
    return first as Reconciliation;
  }

  private days(pk: string, fromDay: string): Promise<DayCountsDoc[]> {
    return queryPartition<DayCountsDoc>(this.container, pk, "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'day-counts' AND c.day >= @day", [{ name: '@day', value: fromDay }]);
  }

  private statsDocs(pk: string): Promise<StatsDoc[]> {
    return queryPartition<StatsDoc>(this.container, pk, "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'stats'");
  }

  /**
   * Counts the board's live credits once and writes what they give, each item guarded by
   * the ETag it had before the credits were read: a credit written meanwhile changes one of
   * them, the write fails, and the mark is left for the next call to try again. The answer
   * comes from the credits themselves either way.
   */
  private async rebuild(pk: string, stats: StatsDoc[], fromDay: string, previousFromDay?: string): Promise<BoardCounts> {
    const days = await queryPartition<DayCountsDoc>(this.container, pk, "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'day-counts'");
    const credits = (await queryPartition<RecognitionDoc>(this.container, pk, `SELECT * FROM c WHERE ${LIVE_CREDITS}`)).map(fromRecognitionDoc);
    const hours = new Map<string, DayHours>(days.map((d) => [d.day, {}]));
    for (const rec of credits) hours.set(dayOf(rec.createdAt), countInDay(hours.get(dayOf(rec.createdAt)) ?? {}, rec, 1));
    const byDay = new Map(days.map((d) => [d.day, d]));
    const ops: OperationInput[] = [];
    for (const [day, h] of hours) {
      const found = byDay.get(day);
      ops.push(dayCountsOp(pk, day, found && { doc: found, etag: found._etag as string }, h));
    }
    const receivedDays = receivedDaysByKey(credits);
    for (const doc of stats) ops.push(statsOp(pk, { doc, etag: doc._etag as string }, fromStatsDoc(doc), receivedDays.get(doc.memberKey) ?? []));
    let complete = true;
    for (let i = 0; i < ops.length && complete; i += BATCH_MAX) complete = (await runBatch(this.container, pk, ops.slice(i, i + BATCH_MAX))).every(ok);
    if (complete) await this.container.items.upsert(json({ id: COUNTS_STATE_ID, pk, type: 'counts-state' }));
    const recounted = stats.map((d) => [d.memberKey, d.lastCreditedAt, receivedDays.get(d.memberKey) ?? []] as const);
    return splitKeptCounts(recounted, (days) => days, fromDay, ...windowAndBefore([...hours], fromDay, previousFromDay));
  }
}

/** The hours of the days from `fromDay` on, and with `previousFromDay` the credits per kind of the days from it up to `fromDay`. */
function windowAndBefore(days: Array<[string, DayHours]>, fromDay: string, previousFromDay?: string): [HourCount[], { fromDay: string; byKind: Record<Kind, number> }?] {
  const hours = days.filter(([day]) => day >= fromDay).flatMap(([day, h]) => hoursOfDay(day, h));
  if (previousFromDay === undefined) return [hours];
  const before = days.filter(([day]) => day >= previousFromDay && day < fromDay).flatMap(([day, h]) => hoursOfDay(day, h));
  return [hours, { fromDay: previousFromDay, byKind: byKindOf(before) }];
}

/** One member key's stats item as stored, with the ETag a batch must match to replace it. */
export function readStats(container: Container, pk: string, memberKey: string): Promise<Found<MemberStats> | undefined> {
  return readItem<MemberStats>(container, statsId(memberKey), pk);
}

/** The stats a change starts from: those stored, or none yet for a key seen for the first time. */
export function statsBefore(current: Found<MemberStats> | undefined, tenantId: string, boardId: string, memberKey: string, name: string): MemberStats {
  return current ? fromStatsDoc(current.doc) : emptyStats(tenantId, boardId, memberKey, name);
}

/** A member's received days as stored, for a write that does not change them. */
export function receivedDaysOf(current: Found<MemberStats> | undefined): ReceivedDays {
  return (current?.doc as StatsDoc | undefined)?.receivedDays ?? [];
}

/** The days a member key received credits on once the credit is counted (sign +1) or removed (-1); unchanged unless it names them. */
export function receivedDaysAfter(current: Found<MemberStats> | undefined, rec: Recognition, memberKey: string, sign: 1 | -1): ReceivedDays {
  const stored = receivedDaysOf(current);
  return partIn(rec, memberKey).received ? countReceivedDay(stored, rec.createdAt, sign) : stored;
}

/** The stats of one member as the batch should leave them: Replace guarded by ETag, or Create; the channel id stays as stored unless one is given. */
export function statsOp(pk: string, current: Found<MemberStats> | undefined, next: MemberStats, receivedDays: ReceivedDays, channelUserId?: string): OperationInput {
  const stored = (current?.doc as StatsDoc | undefined)?.channelUserId;
  const resourceBody = json({ ...next, id: statsId(next.memberKey), pk, type: 'stats', receivedDays, channelUserId: channelUserId ?? stored });
  if (!current) return { operationType: 'Create', resourceBody };
  return { operationType: 'Replace', id: statsId(next.memberKey), partitionKey: pk, ifMatch: current.etag, resourceBody };
}

/** One day of a board's counts as stored, with its ETag. */
export function readDayCounts(container: Container, pk: string, day: string): Promise<Found<{ day: string; hours: DayHours }> | undefined> {
  return readItem<{ day: string; hours: DayHours }>(container, dayCountsId(day), pk);
}

/** A day of the board's counts as the batch should leave it: Replace guarded by ETag, or Create. */
export function dayCountsOp(pk: string, day: string, current: Found<{ day: string; hours: DayHours }> | undefined, hours: DayHours): OperationInput {
  const resourceBody = json({ id: dayCountsId(day), pk, type: 'day-counts', day, hours });
  if (!current) return { operationType: 'Create', resourceBody };
  return { operationType: 'Replace', id: dayCountsId(day), partitionKey: pk, ifMatch: current.etag, resourceBody };
}
