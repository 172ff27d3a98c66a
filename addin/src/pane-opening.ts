import { type Me, NoticedApi, type RosterMember } from '../../core/browser';
import type { TokenProvider } from './auth';

/** localStorage key of the last board the pane credited on or /me confirmed. */
export const LAST_BOARD_KEY = 'noticed.addin.lastBoard';

/** The requests a signed-in pane makes before it first renders. */
export interface Opening {
  source: TokenProvider;
  api: NoticedApi;
  me?: Promise<Me>;
  roster?: { boardId: string; members: Promise<RosterMember[]> };
  /** The answers that have come so far: the pane's first render shows them at once. */
  came: { me?: Me; roster?: { boardId: string; members: RosterMember[] } };
  /** Settles once /me and the roster have answered, either way. */
  answered: Promise<void>;
}

/**
 * Starts a signed-in pane's first requests at once: GET /me and, for the board used last time,
 * the roster matching the thread's addresses, both behind the one token request. The addresses
 * may still be being read from the message: only a board too big for one page needs them.
 */
export function openPane(source: TokenProvider, boardId: string | undefined, emails: Promise<string[]>): Opening {
  const api = new NoticedApi((refresh) => source.token(refresh), 'outlook');
  const me = api.me();
  const roster = boardId ? { boardId, members: rosterFor(api, boardId, emails) } : undefined;
  // Their failures are shown by the pane once it renders; unhandled here they would reach the console first.
  me.catch(() => undefined);
  roster?.members.catch(() => undefined);
  const came: Opening['came'] = {};
  const answered = Promise.all([me.then((found) => (came.me = found)), roster?.members.then((members) => (came.roster = { boardId: roster.boardId, members }))]).then(
    () => undefined,
    () => undefined,
  );
  return { source, api, me, roster, came, answered };
}

/**
 * The roster entries for the thread's addresses: the whole roster when it fits in one page,
 * else one prefix search per address so a large board still matches everyone.
 */
export async function rosterFor(api: NoticedApi, boardId: string, emails: Promise<string[]>): Promise<RosterMember[]> {
  const page = await api.members(boardId, undefined, 100);
  if (page.length < 100) return page;
  const known = new Set(page.map((m) => m.email?.toLowerCase()));
  const missing = (await emails).filter((e) => !known.has(e));
  const found = await Promise.all(missing.map((e) => api.members(boardId, e, 5)));
  return [...page, ...found.flat()];
}
