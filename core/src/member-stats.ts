import type { MemberStats } from './board';
import { zeroKindCounts } from './kinds';
import { type Recognition, recipientKey } from './recognition';

/** Empty stats for a member key. */
export function emptyStats(tenantId: string, boardId: string, memberKey: string, name: string): MemberStats {
  return { tenantId, boardId, memberKey, name, receivedByKind: zeroKindCounts(), receivedCount: 0, givenCount: 0 };
}

/** The member keys a credit touches: its giver and each recipient, each once. */
export function touchedKeys(rec: Recognition): Map<string, string> {
  const keys = new Map<string, string>([[rec.giver.userId, rec.giver.name]]);
  for (const r of rec.recipients) keys.set(recipientKey(r), r.name);
  return keys;
}

/** How a credit counts for one member key: received, given, or (never both) neither. */
export function partIn(rec: Recognition, memberKey: string): { received: boolean; gave: boolean } {
  return { received: rec.recipients.some((r) => recipientKey(r) === memberKey), gave: rec.giver.userId === memberKey };
}

/**
 * Applies a credit (sign +1) or its removal (sign -1) to one member's stats. On removal,
 * `lastCreditedAt` and `lastGaveAt` are what the store found among the remaining credits,
 * because the removed one may have been the latest.
 */
export function applyCredit(
  stats: MemberStats,
  rec: Recognition,
  sign: 1 | -1,
  remaining?: { lastCreditedAt?: string; lastGaveAt?: string },
): MemberStats {
  const next: MemberStats = { ...stats, receivedByKind: { ...stats.receivedByKind } };
  const { received, gave } = partIn(rec, stats.memberKey);
  if (received) {
    next.receivedByKind[rec.kind] = Math.max(0, next.receivedByKind[rec.kind] + sign);
    next.receivedCount = Math.max(0, next.receivedCount + sign);
    next.lastCreditedAt = sign > 0 ? later(stats.lastCreditedAt, rec.createdAt) : remaining?.lastCreditedAt;
  }
  if (gave) {
    next.givenCount = Math.max(0, next.givenCount + sign);
    next.lastGaveAt = sign > 0 ? later(stats.lastGaveAt, rec.createdAt) : remaining?.lastGaveAt;
  }
  return next;
}

function later(a: string | undefined, b: string): string {
  return a && a > b ? a : b;
}

/**
 * One member's stats once a credit changes kind from `before`'s to `after`'s: a recipient's
 * received count moves from the old kind to the new, as removing the credit and adding it
 * again would, while their totals and dates stay; a giver's stats do not count kinds.
 */
export function applyKindChange(stats: MemberStats, before: Recognition, after: Recognition): MemberStats {
  if (!partIn(before, stats.memberKey).received || before.kind === after.kind) return stats;
  const receivedByKind = { ...stats.receivedByKind };
  receivedByKind[before.kind] = Math.max(0, receivedByKind[before.kind] - 1);
  receivedByKind[after.kind] += 1;
  return { ...stats, receivedByKind };
}
