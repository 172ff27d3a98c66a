import { type Board, type Member, isActive } from './board';
import type { PostOutcome } from './habit-scheduler';
import type { GivenCredit } from './noticed';
import { type Recognition, isShared } from './recognition';
import { type SendRecord, type SendStatus, sendKey } from './send-record';
import type { Store } from './store/store';

/**
 * Where a credit's card was shown as it was given. `board-conversation`: posted to the board's
 * own conversation, which its recipients are in (Teams notifies them through the card's
 * mentions). `personal-chats`: a private credit's card went to its people's personal chats.
 * `nowhere`: given in the tab, the Outlook add-in or a personal chat, so no card reached anyone.
 */
export type CreditShown = 'board-conversation' | 'personal-chats' | 'nowhere';

/** The private messages about credit: to a recipient, and to the giver of a credit someone passed credit on from. */
export type CreditNoticeKind = 'credit-notice' | 'passed-on';

/** One private (1:1) message about a credit, to one member. */
export interface CreditNotice {
  kind: CreditNoticeKind;
  /** The send record's key: `credit-notice:<recognitionId>:<userId>`, so each is sent at most once. */
  key: string;
  member: Member;
  recognition: Recognition;
  /** For `passed-on`: the credit it passes credit on from, which `member` gave. */
  origin?: Recognition;
}

/** Posts credit notices in personal chats; the channel implements it (bot/src/channel/credit-notice-sender.ts). */
export interface CreditNoticePoster {
  creditNotice(board: Board, notice: CreditNotice): Promise<PostOutcome>;
}

/**
 * Who is told privately about a credit. Its recipients, when no card reached them (a credit
 * given in the tab, Outlook or a personal chat); not when it was posted in the board's
 * conversation they are in, nor when its private card already went to their personal chats.
 * The giver of the credit it passes credit on from, whatever the card did, but only for a
 * shared credit: a private one's words and names reach only its giver and recipients. Never
 * the giver of the credit itself, nor anyone who turned notifications off, opted out or left,
 * nor anyone the channel does not know (no personal chat can be opened with them).
 */
export function whoIsTold(rec: Recognition, shown: CreditShown, people: ReadonlyMap<string, Member>, origin?: Recognition): CreditNotice[] {
  const reachable = (m: Member | undefined): m is Member =>
    Boolean(m && isActive(m) && !m.optedOut && m.channelUserId && m.creditNotifications !== false && m.userId !== rec.giver.userId);
  const notices: CreditNotice[] = [];
  if (shown === 'nowhere') {
    for (const r of rec.recipients) {
      const member = r.userId ? people.get(r.userId) : undefined;
      if (reachable(member) && !notices.some((n) => n.member.userId === member.userId)) {
        notices.push({ kind: 'credit-notice', key: sendKey('credit-notice', rec.id, member.userId), member, recognition: rec });
      }
    }
  }
  if (origin && !origin.deletedAt && rec.inspiredBy === origin.id && isShared(rec) && isShared(origin)) {
    const member = people.get(origin.giver.userId);
    // Someone the new credit names hears of it as its recipient already: one message about one credit.
    if (reachable(member) && !rec.recipients.some((r) => r.userId === member.userId)) {
      notices.push({ kind: 'passed-on', key: sendKey('passed-on', rec.id, member.userId), member, recognition: rec, origin });
    }
  }
  return notices;
}

/**
 * Tells people privately about credit (`whoIsTold`), after the credit is given and outside the
 * request that gave it: the caller does not wait for Teams, and a notice that fails never fails
 * the credit. Each notice is recorded before it is posted (as the habits' messages are), so a
 * resend, a retry or a second instance never posts it twice; one whose posting failed or ended
 * unknown is given up, not tried again.
 */
export class CreditNotices {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly poster: CreditNoticePoster,
    private readonly options: { now: () => Date; onError?: (error: unknown, rec: Recognition) => void },
  ) {}

  /** Starts telling whoever should hear of the credit, in the background; never throws. */
  notify(given: GivenCredit, shown: CreditShown): void {
    const run: Promise<void> = this.tell(given, shown)
      .then(() => undefined)
      .catch((error: unknown) => this.options.onError?.(error, given.recognition))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once every notice started so far has settled (the app's close, tests). */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** Tells whoever should hear of the credit now; returns how many notices were posted. */
  async tell(given: GivenCredit, shown: CreditShown): Promise<number> {
    const rec = given.recognition;
    const passesOn = Boolean(rec.inspiredBy) && isShared(rec);
    // Nothing to tell costs no reads: the common chat credit, posted where its people are.
    if (rec.deletedAt || (shown !== 'nowhere' && !passesOn)) return 0;
    const board = await this.store.boards.get(rec.tenantId, rec.boardId);
    // A board never added to a conversation (opened through the API, seeded) has no Teams service to reach anyone through.
    if (!board?.conversationReference) return 0;
    const origin = passesOn && rec.inspiredBy ? await this.store.recognitions.get(rec.tenantId, rec.boardId, rec.inspiredBy) : undefined;
    // Only this board's entries: another board's would open personal chats with its people.
    const people = new Map(given.people.filter((m) => m.tenantId === rec.tenantId && m.boardId === rec.boardId).map((m) => [m.userId, m]));
    const wanted = [...(shown === 'nowhere' ? rec.recipients.flatMap((r) => (r.userId ? [r.userId] : [])) : []), ...(origin ? [origin.giver.userId] : [])];
    for (const userId of new Set(wanted)) {
      if (people.has(userId)) continue;
      const member = await this.store.members.get(rec.tenantId, rec.boardId, userId);
      if (member) people.set(userId, member);
    }
    let sent = 0;
    for (const notice of whoIsTold(rec, shown, people, origin)) if (await this.deliver(board, notice)) sent++;
    return sent;
  }

  private async deliver(board: Board, notice: CreditNotice): Promise<boolean> {
    const at = this.options.now().toISOString();
    const record: SendRecord = {
      tenantId: board.tenantId,
      boardId: board.id,
      key: notice.key,
      kind: notice.kind,
      period: notice.recognition.id,
      recipientId: notice.member.userId,
      status: 'pending',
      attempts: 1,
      createdAt: at,
      updatedAt: at,
    };
    // Recorded before posting: whoever creates the record is the one run that posts it.
    if (!(await this.store.sends.create(record)).created) return false;
    let result: PostOutcome;
    try {
      result = await this.poster.creditNotice(board, notice);
    } catch (error) {
      this.options.onError?.(error, notice.recognition);
      result = { outcome: 'unknown' };
    }
    const settled: { status: SendStatus; activityId?: string; reason?: string } =
      result.outcome === 'sent'
        ? { status: 'sent', ...(result.activityId ? { activityId: result.activityId } : {}) }
        : { status: 'gave-up', reason: result.outcome === 'unknown' ? 'unknown-outcome' : result.outcome };
    await this.store.sends.update(record, { ...record, ...settled, updatedAt: this.options.now().toISOString() });
    return result.outcome === 'sent';
  }
}
