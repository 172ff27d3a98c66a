import type { BoardApi, BoardInfo, Me, RosterMember } from '../../core/browser';
import { DEFAULT_PERIOD, type FeedPage, feedFilters } from './feed-filters';

/** The board's first requests, made together; the board uses the likely board's only if /me confirms it. */
export interface BoardOpening {
  api: BoardApi;
  me: Promise<Me>;
  /** The board the tab most likely shows: its team's or chat's, the first hint. */
  likely?: string;
  board?: Promise<[BoardInfo, RosterMember[]]>;
  firstPage?: Promise<FeedPage>;
  /** Set once the board has taken these answers: a later load asks again. */
  used?: boolean;
}

/**
 * Asks for /me and, beside it, the likely board, its roster and its first feed page, so the
 * first cards wait for one round trip instead of three.
 */
export function openBoard(api: BoardApi, hints: string[]): BoardOpening {
  const likely = hints[0];
  const opening: BoardOpening = { api, me: api.me(), likely };
  if (likely) {
    opening.board = Promise.all([api.board(likely), api.members(likely)]);
    opening.firstPage = api.recognitions(likely, feedFilters(DEFAULT_PERIOD, '', ''));
  }
  // Answered or not, these are read later (or not at all, for a board /me does not confirm).
  for (const pending of [opening.me, opening.board, opening.firstPage]) pending?.catch(() => undefined);
  return opening;
}
