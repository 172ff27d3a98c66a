import type { MemberStats } from './board';
import { type DayHours, type HourCount, type ReceivedDays, RECEIVED_DAYS_KEPT, countInDay, dayOf, hoursOfDay, receivedDaysByKey } from './credit-counts';
import { KIND_IDS, type Kind } from './kinds';
import { applyCredit, emptyStats, touchedKeys } from './member-stats';
import { FORMER_MEMBER, type Recognition } from './recognition';

/** One member key's stats as a store keeps them: the counters, and the received days beside them. */
export interface KeptStats {
  stats: MemberStats;
  receivedDays: ReceivedDays;
}

/** What a store holds of a board's counts, to be checked against its credits. */
export interface KeptCounts {
  stats: KeptStats[];
  /** Every bucket the store counts, private credits apart. */
  hours: HourCount[];
  /** False when a store that marks its counts complete (Cosmos DB) has no mark yet. */
  marked: boolean;
}

/** A stored value, or null for a date never set. */
export type FieldValue = number | string | null;

/** One field of one member key's stats that disagrees with the credits. */
export interface MemberMismatch {
  memberKey: string;
  /** receivedCount, givenCount, receivedByKind.<kind>, lastCreditedAt, lastGaveAt or receivedDays.<YYYY-MM-DD>. */
  field: string;
  stored: FieldValue;
  recomputed: FieldValue;
}

/** One hour bucket of the board's counts that disagrees with the credits. */
export interface BucketMismatch {
  hour: string;
  kind: Kind;
  private: boolean;
  stored: number;
  recomputed: number;
}

/** What a reconcile of one board found, and whether it wrote the fix. */
export interface Reconciliation {
  tenantId: string;
  boardId: string;
  /** The live credits the counts were recomputed from. */
  liveCredits: number;
  members: MemberMismatch[];
  buckets: BucketMismatch[];
  /** The store had not yet marked its counts complete (Cosmos DB; the first insights read or a repair does). */
  unmarked: boolean;
  /** Member keys and days left alone because a credit of theirs was written moments ago and its writer may still be finishing. */
  settling: number;
  repaired: boolean;
}

/** What a repair writes: each member key's stats and each day's buckets as the credits give them. */
export interface RepairPlan {
  stats: KeptStats[];
  /** Whole UTC days (YYYY-MM-DD) of buckets, private apart, as `countInDay` keeps them. */
  days: Map<string, DayHours>;
}

/** The counts a board's credits give: the same arithmetic every credit write applies, run over all of them. */
export interface Recount {
  stats: Map<string, KeptStats>;
  days: Map<string, DayHours>;
}

/** Recounts a board from its live credits with the rules the writes use (`applyCredit`, `countInDay`, `receivedDaysByKey`). */
export function recount(tenantId: string, boardId: string, credits: readonly Recognition[]): Recount {
  const live = credits.filter((rec) => !rec.deletedAt).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const stats = new Map<string, MemberStats>();
  const days = new Map<string, DayHours>();
  for (const rec of live) {
    for (const [key, name] of touchedKeys(rec)) {
      // Erasure leaves no stats for the former member who now gives what the erased person gave.
      if (key === FORMER_MEMBER.userId) continue;
      stats.set(key, applyCredit(stats.get(key) ?? emptyStats(tenantId, boardId, key, name), rec, 1));
    }
    const day = dayOf(rec.createdAt);
    days.set(day, countInDay(days.get(day) ?? {}, rec, 1));
  }
  const receivedDays = receivedDaysByKey(live);
  return { stats: new Map([...stats].map(([key, s]) => [key, { stats: s, receivedDays: receivedDays.get(key) ?? [] }])), days };
}

/**
 * Compares what a store keeps with what the credits give. Keys and days touched by
 * `settling` credits (written moments ago, their writers possibly still retrying) are
 * neither reported nor planned: a repair there could count a credit its writer then counts again.
 */
export function reconcile(
  tenantId: string,
  boardId: string,
  kept: KeptCounts,
  credits: readonly Recognition[],
  settling: readonly Recognition[] = [],
): { report: Reconciliation; plan: RepairPlan } {
  const counted = recount(tenantId, boardId, credits);
  const skipKeys = new Set(settling.flatMap((rec) => [...touchedKeys(rec).keys()]));
  const skipDays = new Set(settling.map((rec) => dayOf(rec.createdAt)));
  const members: MemberMismatch[] = [];
  const plan: RepairPlan = { stats: [], days: new Map() };
  const storedByKey = new Map(kept.stats.map((k) => [k.stats.memberKey, k]));
  for (const key of new Set([...storedByKey.keys(), ...counted.stats.keys()])) {
    if (skipKeys.has(key)) continue;
    const stored = storedByKey.get(key);
    const name = stored?.stats.name ?? counted.stats.get(key)?.stats.name ?? key;
    const fresh = counted.stats.get(key) ?? { stats: emptyStats(tenantId, boardId, key, name), receivedDays: [] };
    // The name stays the one first counted: names are not counts.
    const want: KeptStats = { stats: { ...fresh.stats, name }, receivedDays: fresh.receivedDays };
    const found = statsMismatches(key, stored, want);
    if (!found.length) continue;
    members.push(...found);
    plan.stats.push(want);
  }
  const buckets: BucketMismatch[] = [];
  const storedHours = new Map(kept.hours.filter((h) => h.credits > 0).map((h) => [bucketId(h), h.credits]));
  const countedHours = new Map([...counted.days].flatMap(([day, hours]) => hoursOfDay(day, hours)).map((h) => [bucketId(h), h.credits]));
  for (const id of [...new Set([...storedHours.keys(), ...countedHours.keys()])].sort()) {
    const [hour, kind, visibility] = id.split('|');
    const day = hour.slice(0, 10);
    if (skipDays.has(day)) continue;
    const stored = storedHours.get(id) ?? 0;
    const recomputed = countedHours.get(id) ?? 0;
    if (stored === recomputed) continue;
    buckets.push({ hour, kind: kind as Kind, private: visibility === 'private', stored, recomputed });
    plan.days.set(day, counted.days.get(day) ?? {});
  }
  const report: Reconciliation = {
    tenantId,
    boardId,
    liveCredits: credits.filter((rec) => !rec.deletedAt).length,
    members,
    buckets,
    unmarked: !kept.marked,
    settling: skipKeys.size + skipDays.size,
    repaired: false,
  };
  return { report, plan };
}

/** True when the store's counts agree with its credits (a missing mark alone is no fault: the first insights read writes it). */
export function isConsistent(report: Reconciliation): boolean {
  return report.members.length === 0 && report.buckets.length === 0;
}

function bucketId(h: HourCount): string {
  return `${h.hour}|${h.kind}|${h.private ? 'private' : 'board'}`;
}

function statsMismatches(memberKey: string, stored: KeptStats | undefined, want: KeptStats): MemberMismatch[] {
  const have = stored?.stats ?? emptyStats(want.stats.tenantId, want.stats.boardId, memberKey, want.stats.name);
  const pairs: Array<[string, FieldValue, FieldValue]> = [
    ['receivedCount', have.receivedCount, want.stats.receivedCount],
    ...KIND_IDS.map((kind): [string, FieldValue, FieldValue] => [`receivedByKind.${kind}`, have.receivedByKind[kind] ?? 0, want.stats.receivedByKind[kind]]),
    ['givenCount', have.givenCount, want.stats.givenCount],
    ['lastCreditedAt', have.lastCreditedAt ?? null, want.stats.lastCreditedAt ?? null],
    ['lastGaveAt', have.lastGaveAt ?? null, want.stats.lastGaveAt ?? null],
  ];
  const out = pairs.filter(([, a, b]) => a !== b).map(([field, a, b]) => ({ memberKey, field, stored: a, recomputed: b }));
  const wantDays = daysOf(want.receivedDays);
  const latest = Math.max(0, ...wantDays.keys());
  // Days the writes already let go of (older than the kept span before the latest) are not a fault.
  const haveDays = new Map([...daysOf(stored?.receivedDays ?? [])].filter(([d]) => !wantDays.size || d > latest - RECEIVED_DAYS_KEPT));
  for (const day of [...new Set([...haveDays.keys(), ...wantDays.keys()])].sort((a, b) => a - b)) {
    const a = haveDays.get(day) ?? 0;
    const b = wantDays.get(day) ?? 0;
    if (a !== b) out.push({ memberKey, field: `receivedDays.${dayText(day)}`, stored: a, recomputed: b });
  }
  return out;
}

function daysOf(days: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i + 1 < days.length; i += 2) out.set(days[i], (out.get(days[i]) ?? 0) + days[i + 1]);
  return out;
}

function dayText(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * What a lead is told of a reconcile: counts only. The full report names member keys and
 * hours, and a mismatch there can give away a private credit (its hour, who received it),
 * which leads may see only inside aggregates; operators read it with `npm run doctor`.
 */
export interface DoctorSummary {
  consistent: boolean;
  repaired: boolean;
  /** Member keys whose stats disagreed with the credits. */
  membersOff: number;
  /** Hour buckets of the board's counts that disagreed. */
  bucketsOff: number;
}

/** The summary a lead sees. */
export function doctorSummary(report: Reconciliation): DoctorSummary {
  return {
    consistent: isConsistent(report),
    repaired: report.repaired,
    membersOff: new Set(report.members.map((m) => m.memberKey)).size,
    bucketsOff: report.buckets.length,
  };
}
