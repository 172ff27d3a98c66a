import { type Board, type Member, isActive } from './board';
import { KINDS, type Kind, kindInfo } from './kinds';
import { type Recognition, recipientKey } from './recognition';

/** The one question every digest and reminder asks. */
export const HABIT_PROMPT = 'Who made your week easier?';
/** How far back the digest's coverage looks. */
export const COVERAGE_DAYS = 30;
/** Past spotlights a board remembers: with the new one, nobody appears twice in four digests while others qualify. */
export const DIGEST_SPOTLIGHT_MEMORY = 3;

/** The behind-the-scenes credit a digest puts forward: one person, what for, never a count. */
export interface DigestSpotlight {
  userId: string;
  name: string;
  kind: Kind;
  message: string;
}

/** A week of a board as its conversation reads it (DESIGN §3, Proactive). */
export interface Digest {
  boardId: string;
  boardName: string;
  /** The week it is for (`week-of-2026-11-30`). */
  period: string;
  /** The week's credits are those from `since` (inclusive) up to `until` (exclusive), ISO. */
  since: string;
  until: string;
  /** Board-visible credits of the week. */
  total: number;
  /** The week's credits per kind, in the taxonomy's order, kinds with none left out. */
  byKind: Array<{ kind: Kind; count: number }>;
  /** How many of the week's credits were for behind-the-scenes work. */
  behindTheScenes: number;
  /** "14 of 18 people credited in the last 30 days", from board-visible credits only. */
  coverage: { credited: number; rosterSize: number; days: number };
  spotlight?: DigestSpotlight;
  prompt: string;
}

/** What a digest is made from; the credits must be the board's own. */
export interface DigestInput {
  board: Pick<Board, 'id' | 'name' | 'digest'>;
  roster: readonly Member[];
  /** The week's credits. */
  week: readonly Recognition[];
  /** The coverage window's credits (the week's included). */
  window: readonly Recognition[];
  period: string;
  since: string;
  until: string;
}

/**
 * The digest, as a pure function of the board's week. It is posted where everyone on the
 * board reads it, so only board-visible credits count anywhere in it (a private credit would
 * show in a count, a kind or a name), and people who opted out are neither counted nor named.
 * It ranks no one: counts are per kind, and the one person it names is the spotlight.
 */
export function composeDigest(input: DigestInput): Digest {
  const shown = (rec: Recognition) => rec.visibility === 'board' && !rec.deletedAt;
  const week = input.week.filter(shown);
  const people = input.roster.filter((m) => isActive(m) && !m.optedOut);
  const onRoster = new Set(people.map((m) => m.userId));
  const credited = new Set(input.window.filter(shown).flatMap((rec) => rec.recipients.map(recipientKey)).filter((key) => onRoster.has(key)));
  const byKind = KINDS.map((k) => ({ kind: k.id, count: week.filter((rec) => rec.kind === k.id).length })).filter((x) => x.count > 0);
  return {
    boardId: input.board.id,
    boardName: input.board.name,
    period: input.period,
    since: input.since,
    until: input.until,
    total: week.length,
    byKind,
    behindTheScenes: week.filter((rec) => kindInfo(rec.kind).behindTheScenes).length,
    coverage: { credited: credited.size, rosterSize: people.length, days: COVERAGE_DAYS },
    spotlight: pickDigestSpotlight(people, week, input.board.digest?.spotlighted ?? []),
    prompt: HABIT_PROMPT,
  };
}

/**
 * One behind-the-scenes credit of the week, for one of its recipients. Among the people
 * credited for behind-the-scenes work this week, the one least credited this week goes first
 * (names break ties), skipping whoever the last three digests spotlighted; when all of them
 * were, the one spotlighted longest ago. Their latest such credit is the one shown.
 */
export function pickDigestSpotlight(people: readonly Member[], week: readonly Recognition[], history: readonly string[]): DigestSpotlight | undefined {
  const byId = new Map(people.map((m) => [m.userId, m]));
  const received = new Map<string, number>();
  const latest = new Map<string, Recognition>();
  for (const rec of week) {
    for (const key of new Set(rec.recipients.map(recipientKey))) {
      if (!byId.has(key)) continue;
      received.set(key, (received.get(key) ?? 0) + 1);
      const before = latest.get(key);
      if (kindInfo(rec.kind).behindTheScenes && (!before || rec.createdAt > before.createdAt)) latest.set(key, rec);
    }
  }
  const candidates = [...latest.keys()].map((id) => byId.get(id) as Member);
  if (!candidates.length) return undefined;
  candidates.sort((a, b) => (received.get(a.userId) ?? 0) - (received.get(b.userId) ?? 0) || a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  const recent = history.slice(-DIGEST_SPOTLIGHT_MEMORY);
  // lastIndexOf is -1 for never and grows with recency: the smallest was spotlighted longest ago.
  const person = candidates.find((m) => !recent.includes(m.userId)) ?? candidates.reduce((a, b) => (recent.lastIndexOf(b.userId) < recent.lastIndexOf(a.userId) ? b : a));
  const rec = latest.get(person.userId) as Recognition;
  return { userId: person.userId, name: person.name, kind: rec.kind, message: rec.message };
}

/** The board's digest memory with the new spotlight added, oldest dropped; people no longer on the roster drop out. */
export function rememberSpotlight(history: readonly string[], userId: string | undefined, roster: readonly Member[]): string[] {
  const onRoster = new Set(roster.filter(isActive).map((m) => m.userId));
  const kept = history.filter((id) => onRoster.has(id) && id !== userId);
  return [...kept, ...(userId ? [userId] : [])].slice(-DIGEST_SPOTLIGHT_MEMORY);
}

/** The board without the person in its digest memory, for erasing them; undefined when it never named them. */
export function forgetDigestSpotlight(board: Board, userId: string): Board | undefined {
  if (!board.digest?.spotlighted.includes(userId)) return undefined;
  return { ...board, digest: { ...board.digest, spotlighted: board.digest.spotlighted.filter((id) => id !== userId) } };
}
