import { type Member, type MemberStats, isActive } from './board';
import { KINDS, type Kind, zeroKindCounts } from './kinds';
import type { CreditFact } from './store/store';

/** Someone on the roster who has not been credited within the window. */
export interface UnnoticedMember {
  userId: string;
  name: string;
  /** Undefined when the member has never been credited on this board. */
  lastCreditedAt?: string;
  daysSinceCredited?: number;
}

/** Credits per kind in one week of the window. */
export interface KindWeek {
  weekStart: string;
  counts: Record<Kind, number>;
}

/** What a lead sees about a board over a window of days (DESIGN §1, principle 4). */
export interface Insights {
  days: number;
  since: string;
  rosterSize: number;
  /** Roster members credited at least once in the window. */
  creditedCount: number;
  /** creditedCount / rosterSize, 0 when the roster is empty. */
  coverage: number;
  unnoticed: UnnoticedMember[];
  totalCredits: number;
  kindMix: Record<Kind, number>;
  /** Share of the window's credits that went to behind-the-scenes kinds. */
  behindTheScenesShare: number;
  kindMixByWeek: KindWeek[];
  concentration: {
    /** Share of credit received by the most-credited fifth of the roster (at least one person). */
    topFifthShare: number;
    /** 0 = credit spread evenly across the roster, 1 = all of it to one person. */
    gini: number;
  };
}

const DAY_MS = 86_400_000;

/**
 * Insights for a board: the roster (active, not opted out), its stats, and the facts of the
 * window's credits. Pure, so the same numbers come out of either store.
 */
export function computeInsights(roster: Member[], stats: MemberStats[], facts: CreditFact[], days: number, now: Date): Insights {
  const since = new Date(now.getTime() - days * DAY_MS);
  const sinceIso = since.toISOString();
  const people = roster.filter((m) => isActive(m) && !m.optedOut);
  const statsByKey = new Map(stats.map((s) => [s.memberKey, s]));
  const inWindow = facts.filter((f) => f.createdAt >= sinceIso);

  const receivedInWindow = new Map<string, number>(people.map((m) => [m.userId, 0]));
  const kindMix = zeroKindCounts();
  const weeks = new Map<string, Record<Kind, number>>();
  for (const f of inWindow) {
    kindMix[f.kind] += 1;
    const week = weekStart(new Date(f.createdAt));
    const counts = weeks.get(week) ?? zeroKindCounts();
    counts[f.kind] += 1;
    weeks.set(week, counts);
    for (const key of new Set(f.recipientKeys)) {
      if (receivedInWindow.has(key)) receivedInWindow.set(key, (receivedInWindow.get(key) ?? 0) + 1);
    }
  }

  const unnoticed: UnnoticedMember[] = [];
  let creditedCount = 0;
  for (const m of people) {
    const last = statsByKey.get(m.userId)?.lastCreditedAt;
    if ((receivedInWindow.get(m.userId) ?? 0) > 0 || (last !== undefined && last >= sinceIso)) {
      creditedCount += 1;
      continue;
    }
    unnoticed.push({
      userId: m.userId,
      name: m.name,
      lastCreditedAt: last,
      daysSinceCredited: last ? Math.floor((now.getTime() - Date.parse(last)) / DAY_MS) : undefined,
    });
  }
  // Never-credited first, then the longest unnoticed; names break ties so the list is stable.
  unnoticed.sort((a, b) => (a.lastCreditedAt ?? '').localeCompare(b.lastCreditedAt ?? '') || a.name.localeCompare(b.name));

  const totalCredits = inWindow.length;
  const behind = KINDS.filter((k) => k.behindTheScenes).reduce((sum, k) => sum + kindMix[k.id], 0);
  const counts = [...receivedInWindow.values()];

  return {
    days,
    since: sinceIso,
    rosterSize: people.length,
    creditedCount,
    coverage: people.length ? creditedCount / people.length : 0,
    unnoticed,
    totalCredits,
    kindMix,
    behindTheScenesShare: totalCredits ? behind / totalCredits : 0,
    kindMixByWeek: [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([weekStart, c]) => ({ weekStart, counts: c })),
    concentration: { topFifthShare: topFifthShare(counts), gini: gini(counts) },
  };
}

/** Share of the total held by the largest fifth of the values (at least one value). */
export function topFifthShare(values: number[]): number {
  const total = values.reduce((a, b) => a + b, 0);
  if (!total) return 0;
  const top = [...values].sort((a, b) => b - a).slice(0, Math.max(1, Math.ceil(values.length / 5)));
  return top.reduce((a, b) => a + b, 0) / total;
}

/** The Gini coefficient of the values: 0 when all are equal, approaching 1 when one holds everything. */
export function gini(values: number[]): number {
  const n = values.length;
  const total = values.reduce((a, b) => a + b, 0);
  if (n < 2 || !total) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  let weighted = 0;
  sorted.forEach((v, i) => (weighted += (i + 1) * v));
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** The Monday (UTC) of the date's week, as YYYY-MM-DD. */
export function weekStart(d: Date): string {
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)).toISOString().slice(0, 10);
}
