/** How a board's habits are set up (digest day, nudges, time zone). */
export interface BoardSettings {
  /** Whether the weekly digest is posted to the board's conversation. */
  digestEnabled: boolean;
  /** 0 = Sunday … 6 = Saturday, in the board's time zone. */
  digestDay: number;
  /** Local hour (0–23) the digest is posted at. */
  digestHour: number;
  /** Nudge leads about people who have not been credited for this many days. */
  nudgeAfterDays: number;
  /** An IANA time zone name (Europe/Berlin): digest times and insight weeks are local to it. */
  timeZone: string;
  /** The day a week starts on, 0 = Sunday … 6 = Saturday, for insights and the digest's week. */
  weekStartsOn: number;
}

/** What a board remembers of its stand-ups, so every screen that runs one runs the same one. */
export interface StandupHistory {
  /** When the last stand-up was held (ISO): the next one starts there. */
  lastAt: string;
  /** Who the last stand-ups spotlighted, oldest first, at most a few. */
  spotlighted: string[];
}

/**
 * A stand-up a lead presents on a meeting's stage. Its deck is pinned when it starts (the
 * credits between `since` and `until`, and one spotlight), so credits given during the
 * meeting do not shift the slides under the people watching; the slide is the presenter's.
 */
export interface LiveStandup {
  /** The lead presenting: only they move the slide. */
  presenterId: string;
  window: 'last' | 'week' | '7d';
  since: string;
  until: string;
  spotlight?: { userId: string; name: string };
  /** The slide everyone sees, 0 = the opening slide. */
  slide: number;
  startedAt: string;
  updatedAt: string;
}

/** What a board remembers of its digests, so the spotlight does not repeat. */
export interface DigestHistory {
  /** Who the last digests spotlighted, oldest first, at most a few. */
  spotlighted: string[];
}

/**
 * Where the board's roster sync from the channel stands, kept on the board so that a restart
 * or a redelivered install continues it instead of starting over.
 */
export interface RosterSync {
  /** When this sync began: whoever the channel has listed since then is on the roster. */
  startedAt: string;
  /** Where the next page starts; absent until the first page is written. */
  continuationToken?: string;
  /** True once the last page was read and those not listed were marked as left. */
  done: boolean;
}

/** A Teams team or chat where credit is given (DESIGN §5). */
export interface Board {
  tenantId: string;
  id: string;
  name: string;
  /** Where proactive messages go; opaque to the domain, kept as the channel stored it. */
  conversationReference?: unknown;
  settings: BoardSettings;
  /** The board's stand-ups so far; absent until the first one is held. */
  standup?: StandupHistory;
  /** The stand-up being presented on a meeting's stage now, if any. */
  liveStandup?: LiveStandup;
  /** The latest roster sync from the channel; absent on boards opened before syncs were recorded. */
  rosterSync?: RosterSync;
  /** What the weekly digest remembers; absent until the first digest is posted. */
  digest?: DigestHistory;
  /** When posting to the board's conversation was refused (the bot was removed): scheduled messages skip it until Noticed is added again. */
  unreachableAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** A member's role on a board: leads see insights and the unnoticed list. */
export type Role = 'lead' | 'member';

/** Someone on a board's roster. */
export interface Member {
  tenantId: string;
  boardId: string;
  /** The Entra object id: the identity tokens and activities both carry. */
  userId: string;
  /** The id the Teams channel uses for the user (29:…), to match mentions and message them. */
  channelUserId?: string;
  name: string;
  email?: string;
  role: Role;
  joinedAt: string;
  leftAt?: string;
  /** When the channel last listed them on its roster: a sync marks as left only those not listed since it began. */
  listedAt?: string;
  prefersPrivate: boolean;
  optedOut: boolean;
  /** The weekday (0 = Sunday … 6) they asked to be reminded to give credit on; absent = no reminders. */
  reminderDay?: number;
  /** False when they asked not to be told privately about credit they receive; absent = told. */
  creditNotifications?: boolean;
}

/** A person's own say over how Noticed treats them on one board. */
export interface BoardPreferences {
  boardId: string;
  boardName: string;
  /** New credits to them are private, whatever the giver chose. */
  prefersPrivate: boolean;
  /** They left Noticed on this board: no new credits to them, never named in nudges. */
  optedOut: boolean;
  /** The weekday (0 = Sunday … 6) they are reminded to give credit on; null = no reminders. */
  reminderDay: number | null;
  /** Whether they are told privately about credit they receive. */
  creditNotifications: boolean;
}

/** A lead of a board, as the lead list shows them. */
export interface LeadEntry {
  userId: string;
  name: string;
}

/** Per-member counters kept in step with credits, so boards and insights never scan history. */
export interface MemberStats {
  tenantId: string;
  boardId: string;
  /** A user id, or `email:<address>` for someone credited from an email thread. */
  memberKey: string;
  name: string;
  receivedByKind: Record<import('./kinds').Kind, number>;
  receivedCount: number;
  lastCreditedAt?: string;
  givenCount: number;
  lastGaveAt?: string;
}

/** Settings a new board starts with. */
export const DEFAULT_BOARD_SETTINGS: BoardSettings = { digestEnabled: true, digestDay: 5, digestHour: 9, nudgeAfterDays: 30, timeZone: 'UTC', weekStartsOn: 1 };

/** The board's settings with defaults for what boards stored before a setting existed lack. */
export function settingsOf(board: Pick<Board, 'settings'>): BoardSettings {
  return { ...DEFAULT_BOARD_SETTINGS, ...board.settings };
}

/** True while the member is on the roster. */
export function isActive(m: Pick<Member, 'leftAt'>): boolean {
  return !m.leftAt;
}

/** What a board without a lead says where leads matter (DESIGN §6: lead rights come only from the install). */
export const NO_LEAD_YET = 'This board has no lead yet: whoever adds Noticed to the team, or a Teams admin re-adding it, becomes its lead.';

/** True when someone on the roster leads the board. */
export function hasLead(roster: ReadonlyArray<Pick<Member, 'role' | 'leftAt'>>): boolean {
  return roster.some((m) => m.role === 'lead' && isActive(m));
}
