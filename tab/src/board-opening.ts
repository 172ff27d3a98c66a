import { type BoardApi, type BoardInfo, type Me, type RosterMember, chooseBoard, describeError } from '../../core/browser';
import { DEFAULT_PERIOD, type FeedPage, feedFilters } from './feed-filters';

/** What the board's first render shows, or why it cannot show a board. */
export type BoardStart = { me: Me; board: BoardInfo; roster: RosterMember[]; firstPage?: FeedPage } | { problem: string };

const NOT_ON_A_BOARD = 'You are not on a Noticed board yet. Add Noticed to your team in Teams, or ask a lead to add you.';
const NOT_ON_THE_MEETINGS_BOARD = 'You are not on this meeting’s Noticed board. Add Noticed to the meeting’s chat, or ask a lead to add you.';

/** The board's first load, started before the board's code ran, and its answer once it has come. */
export interface FirstLoad {
  answer: Promise<BoardStart>;
  /** Set when the answer has come: the board's first render shows it at once, without a loading step. */
  came?: BoardStart;
}

/** Starts loadBoard and notes its answer when it comes. */
export function startFirstLoad(api: BoardApi, hints: string[], inMeeting = false): FirstLoad {
  const first: FirstLoad = { answer: loadBoard(api, hints, inMeeting) };
  void first.answer.then((start) => (first.came = start));
  return first;
}

/**
 * Loads the board's first render: /me and, asked for beside it, the likely board (the tab's
 * team or chat, the first hint), its roster and its first feed page, used when /me confirms
 * that board. The first cards then wait for one round trip instead of three. In a meeting
 * only the meeting's own board opens (core's chooseBoard).
 */
export async function loadBoard(api: BoardApi, hints: string[], inMeeting = false): Promise<BoardStart> {
  const likely = hints[0];
  const me = api.me();
  const early = likely ? Promise.all([api.board(likely), api.members(likely)]) : undefined;
  const opening = likely ? api.recognitions(likely, feedFilters(DEFAULT_PERIOD, '', '')) : undefined;
  // Read below, or never for a board /me does not confirm: either way not an unhandled rejection.
  early?.catch(() => undefined);
  opening?.catch(() => undefined);
  try {
    const found = await me;
    const ids = found.boards.map((b) => b.id);
    const boardId = chooseBoard(hints, ids, inMeeting);
    if (!boardId) return { problem: inMeeting ? NOT_ON_THE_MEETINGS_BOARD : NOT_ON_A_BOARD };
    const [board, roster] = await (boardId === likely && early ? early : Promise.all([api.board(boardId), api.members(boardId)]));
    // If the first page failed, the board asks again itself and says why.
    const firstPage = boardId === likely ? await opening?.catch(() => undefined) : undefined;
    return { me: found, board, roster, firstPage };
  } catch (error) {
    return { problem: describeError(error) };
  }
}
