import type { Credit, RosterMember } from './api';
import { safeStorage } from './local-session';

/** What stand-up mode remembers per board in this browser. */
export interface StandupMemory {
  /** When the last stand-up reached its closing prompt (ISO), if ever. */
  lastStandupAt?: string;
  /** Who was spotlighted, oldest first; nobody repeats until everyone quiet has had a turn. */
  spotlighted: string[];
}

const key = (boardId: string) => `noticed.standup.${boardId}`;

/** Reads the board's stand-up memory (empty when there is none or it is unreadable). */
export function readStandupMemory(boardId: string): StandupMemory {
  try {
    const raw = safeStorage()?.getItem(key(boardId));
    const parsed = raw ? (JSON.parse(raw) as Partial<StandupMemory>) : {};
    return {
      lastStandupAt: typeof parsed.lastStandupAt === 'string' ? parsed.lastStandupAt : undefined,
      spotlighted: Array.isArray(parsed.spotlighted) ? parsed.spotlighted.filter((id): id is string => typeof id === 'string') : [],
    };
  } catch {
    return { spotlighted: [] };
  }
}

/** Saves the board's stand-up memory. */
export function writeStandupMemory(boardId: string, memory: StandupMemory): void {
  try {
    safeStorage()?.setItem(key(boardId), JSON.stringify(memory));
  } catch {
    // Storage full or denied: the next stand-up simply starts from the default window.
  }
}

/** Where a stand-up starts when there was none before: a week back. */
export function standupSince(memory: StandupMemory, now: Date): string {
  return memory.lastStandupAt ?? new Date(now.getTime() - 7 * 86_400_000).toISOString();
}

/**
 * Picks the quiet contributor to spotlight: among the roster's quietest third by credits
 * received recently (at least one person), the first one not spotlighted yet; when all of
 * them have had a turn, the rotation starts over. Counts decide who is quiet but are never
 * shown. Returns the person and the updated history.
 */
export function pickSpotlight(roster: RosterMember[], recent: Credit[], history: string[]): { person?: RosterMember; spotlighted: string[] } {
  if (!roster.length) return { spotlighted: history };
  const received = new Map<string, number>(roster.map((m) => [m.userId, 0]));
  for (const credit of recent) {
    for (const r of credit.recipients) if (r.userId && received.has(r.userId)) received.set(r.userId, (received.get(r.userId) ?? 0) + 1);
  }
  const byQuiet = [...roster].sort((a, b) => (received.get(a.userId) ?? 0) - (received.get(b.userId) ?? 0) || a.name.localeCompare(b.name));
  const quiet = byQuiet.slice(0, Math.max(1, Math.ceil(roster.length / 3)));
  const seen = new Set(history);
  let person = quiet.find((m) => !seen.has(m.userId));
  let kept = history;
  if (!person) {
    // Everyone quiet has had a turn: start again, but never the same person twice in a row.
    const last = history[history.length - 1];
    person = quiet.find((m) => m.userId !== last) ?? quiet[0];
    kept = [];
  }
  return { person, spotlighted: [...kept.filter((id) => received.has(id)), person.userId].slice(-roster.length) };
}
