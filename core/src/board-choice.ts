/**
 * Where the tab runs in Teams, as far as choosing its board goes. Every id is a hint from
 * the host's context or the page's address: the board opens only if the server's roster
 * lists the signed-in caller on it, as for any other request.
 */
export interface TabPlace {
  /** The board a link named (a credit notice's deep link, a shared filter link, a stage URL). */
  linkedBoard?: string;
  /** The team's id (the bot's board id for a team). */
  teamId?: string;
  channelId?: string;
  /** The chat's id: for a meeting, its meeting chat, a group chat the bot knows as a board. */
  chatId?: string;
  /** Set when the tab runs in a meeting (side panel, stage, meeting tabs). */
  meetingId?: string;
}

/**
 * The boards a place suggests, most specific first. A meeting shows the board of its chat:
 * adding Noticed to a meeting adds the bot to the meeting chat, so that chat is the board the
 * bot keeps the meeting's roster for; a channel meeting falls back to its team's board.
 */
export function boardHints(place: TabPlace): string[] {
  const ids = place.meetingId ? [place.linkedBoard, place.chatId, place.teamId] : [place.linkedBoard, place.teamId, place.channelId, place.chatId];
  return [...new Set(ids.filter((id): id is string => Boolean(id)))];
}

/**
 * Which of the caller's boards the tab opens: the first hint they are on. Outside a meeting
 * (a personal tab, a browser) it falls back to their first board; in a meeting never, since
 * the side panel and the stage are the meeting's, and another board of the caller's would put
 * the wrong team's credits in front of everyone in it.
 */
export function chooseBoard(hints: readonly string[], myBoardIds: readonly string[], inMeeting = false): string | undefined {
  const hinted = hints.find((id) => myBoardIds.includes(id));
  if (hinted || inMeeting) return hinted;
  return myBoardIds[0];
}
