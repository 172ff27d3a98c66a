import { type Board, type Member, type MemberStats, isActive } from './board';
import { HABIT_PROMPT } from './digest';
import type { Kind } from './kinds';
import type { Recognition } from './recognition';

const DAY_MS = 86_400_000;
/** A nudge names at most this many people, so it stays a prompt and fits a card; the rest are counted. */
export const NUDGE_PEOPLE_MAX = 10;

/** Someone a lead is nudged about. */
export interface NudgeEntry {
  userId: string;
  name: string;
  /** Whole days since they were last credited; absent when never credited here. */
  daysSince?: number;
  /** Their latest board-visible credit: what they were last credited for. */
  lastFor?: { kind: Kind; message: string };
}

/** A lead's private nudge: who has gone unnoticed on one board. */
export interface Nudge {
  boardId: string;
  boardName: string;
  /** The board's nudge window in days. */
  days: number;
  people: NudgeEntry[];
  /** How many more than `people` there are. */
  more: number;
}

/** A giver's private reminder. */
export interface Reminder {
  boardId: string;
  boardName: string;
  prompt: string;
}

/**
 * Who a lead is nudged about: active roster members who did not opt out (they left Noticed,
 * so they are never named), other than the lead, not credited for `days` days; never-credited
 * first, then the longest unnoticed, names breaking ties. Whether someone was credited counts
 * private credits too (the lead sees them only as that aggregate, as in `missed`).
 */
export function unnoticedFor(lead: Pick<Member, 'userId'>, roster: readonly Member[], stats: readonly MemberStats[], days: number, now: Date): Array<{ member: Member; lastCreditedAt?: string }> {
  const since = new Date(now.getTime() - days * DAY_MS).toISOString();
  const last = new Map(stats.map((s) => [s.memberKey, s.lastCreditedAt]));
  return roster
    .filter((m) => isActive(m) && !m.optedOut && m.userId !== lead.userId)
    .map((member) => ({ member, lastCreditedAt: last.get(member.userId) }))
    .filter((x) => !x.lastCreditedAt || x.lastCreditedAt < since)
    .sort((a, b) => (a.lastCreditedAt ?? '').localeCompare(b.lastCreditedAt ?? '') || a.member.name.localeCompare(b.member.name));
}

/**
 * The nudge for a lead, or undefined when nobody has gone unnoticed (an empty nudge is
 * noise). `lastBoardCredits` holds each named person's latest board-visible credit: a private
 * credit's words never reach a lead.
 */
export function composeNudge(
  board: Pick<Board, 'id' | 'name'>,
  unnoticed: ReadonlyArray<{ member: Member; lastCreditedAt?: string }>,
  lastBoardCredits: ReadonlyMap<string, Recognition>,
  days: number,
  now: Date,
): Nudge | undefined {
  if (!unnoticed.length) return undefined;
  const people = unnoticed.slice(0, NUDGE_PEOPLE_MAX).map(({ member, lastCreditedAt }): NudgeEntry => {
    const rec = lastBoardCredits.get(member.userId);
    const entry: NudgeEntry = { userId: member.userId, name: member.name };
    if (lastCreditedAt) entry.daysSince = Math.floor((now.getTime() - Date.parse(lastCreditedAt)) / DAY_MS);
    if (rec && rec.visibility === 'board' && !rec.deletedAt) entry.lastFor = { kind: rec.kind, message: rec.message };
    return entry;
  });
  return { boardId: board.id, boardName: board.name, days, people, more: unnoticed.length - people.length };
}

/** The reminder a giver asked for. */
export function composeReminder(board: Pick<Board, 'id' | 'name'>): Reminder {
  return { boardId: board.id, boardName: board.name, prompt: HABIT_PROMPT };
}
