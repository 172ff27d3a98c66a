import { type TabPlace, boardHints, chooseBoard } from '../browser';

// Which board the tab opens where Teams shows it. Hints only: the server still checks that
// the caller is on the board, on every request.
const MEETING_CHAT = '19:meeting_abc@thread.v2';
const TEAM = '19:team-general@thread.tacv2';

describe('the boards a place suggests, most specific first', () => {
  const places: Array<[string, TabPlace, string[]]> = [
    ['a team channel tab', { teamId: TEAM, channelId: '19:channel@thread.tacv2' }, [TEAM, '19:channel@thread.tacv2']],
    ['a group chat tab', { chatId: '19:chat@thread.v2' }, ['19:chat@thread.v2']],
    ['a credit notice deep link in a team', { linkedBoard: 'board-x', teamId: TEAM }, ['board-x', TEAM]],
    ['a meeting side panel: the meeting chat’s board', { meetingId: 'm1', chatId: MEETING_CHAT }, [MEETING_CHAT]],
    ['a channel meeting: the meeting chat, then the team', { meetingId: 'm1', chatId: MEETING_CHAT, teamId: TEAM, channelId: '19:channel@thread.tacv2' }, [MEETING_CHAT, TEAM]],
    ['a stage shared with a board in its URL', { meetingId: 'm1', linkedBoard: 'board-x', chatId: MEETING_CHAT }, ['board-x', MEETING_CHAT]],
    ['a personal tab', {}, []],
  ];
  test.each(places)('%s', (_name, place, hints) => {
    expect(boardHints(place)).toEqual(hints);
  });
});

describe('which of my boards opens', () => {
  const cases: Array<[string, string[], string[], boolean, string | undefined]> = [
    ['the first hint I am on', ['not-mine', TEAM], ['other', TEAM], false, TEAM],
    ['outside a meeting, my first board when no hint is mine', ['not-mine'], ['other', TEAM], false, 'other'],
    ['in a meeting, the meeting chat’s board', [MEETING_CHAT], ['other', MEETING_CHAT], true, MEETING_CHAT],
    ['in a meeting, never another board of mine', [MEETING_CHAT], ['other'], true, undefined],
    ['on no board at all, none', [TEAM], [], false, undefined],
  ];
  test.each(cases)('%s', (_name, hints, mine, inMeeting, opened) => {
    expect(chooseBoard(hints, mine, inMeeting)).toBe(opened);
  });
});
