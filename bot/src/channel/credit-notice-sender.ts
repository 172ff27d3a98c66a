import { type Board, type CreditNotice, type CreditNoticePoster, messageExcerpt, type PostOutcome } from '../../../core';
import { creditNoticeCard } from './credit-cards';
import type { ProactiveSender } from './proactive-sender';

/** Where "Open the board" leads: the tab's address, and the Teams app's id for a deep link into Teams when it is known. */
export interface BoardLinks {
  /** The tab's web address (`https://…/tab/`): the deep link's fallback, and the link itself without an app id. */
  tabUrl: string;
  /** The Teams app's id (the manifest's `id`), for a deep link to its Board tab. */
  teamsAppId?: string;
}

/**
 * The Teams deep link to the app's Board tab (the manifest's static tab `board`) opened on the
 * board (`subEntityId`), falling back to the tab's web address; without the app's id, that address.
 */
export function boardLink(boardId: string, links: BoardLinks): string {
  if (!links.teamsAppId) return links.tabUrl;
  const context = encodeURIComponent(JSON.stringify({ subEntityId: boardId }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(links.teamsAppId)}/board?webUrl=${encodeURIComponent(links.tabUrl)}&label=Board&context=${context}`;
}

/** Posts the domain's credit notices (core/src/credit-notices.ts) as cards in personal chats; it decides nothing. */
export class CreditNoticeSender implements CreditNoticePoster {
  constructor(
    private readonly sender: Pick<ProactiveSender, 'toMember'>,
    private readonly links: BoardLinks,
  ) {}

  async creditNotice(board: Board, notice: CreditNotice): Promise<PostOutcome> {
    const rec = notice.recognition;
    const intro =
      notice.kind === 'passed-on' && notice.origin
        ? `${rec.giver.name} passed credit on from your credit on ${board.name}: ${messageExcerpt(notice.origin.message)}`
        : `${rec.giver.name} credited you on ${board.name}`;
    return this.sender.toMember(board, notice.member, creditNoticeCard(rec, notice.member.userId, intro, boardLink(board.id, this.links)));
  }
}
