import { type Board, type Member, isActive, settingsOf } from './board';
import { type Digest, rememberSpotlight } from './digest';
import type { Habits } from './habits';
import { stripUndefined } from './noticed';
import { type Nudge, type Reminder, composeReminder } from './nudge';
import { type DueSlot, dueSlot } from './schedule';
import { type SendKind, type SendRecord, sendKey } from './send-record';
import type { Store } from './store/store';

/**
 * What posting a message came to, as the channel saw it. `throttled`: refused with a time to
 * wait, so known not posted. `unreachable`: the bot may no longer post there (removed from the
 * team, the chat gone, the user blocked it). `unknown`: it may or may not have been posted.
 */
export type PostOutcome = { outcome: 'sent'; activityId?: string } | { outcome: 'throttled'; retryAfterMs: number } | { outcome: 'unreachable' } | { outcome: 'unknown' };

/** Posts the habits' messages; the channel implements it (bot/src/channel/proactive-sender.ts). */
export interface HabitPoster {
  /** The digest, to the board's own conversation. */
  digest(board: Board, digest: Digest): Promise<PostOutcome>;
  /** A nudge, to the lead alone. */
  nudge(board: Board, lead: Member, nudge: Nudge): Promise<PostOutcome>;
  /** A reminder, to the member alone. */
  reminder(board: Board, member: Member, reminder: Reminder): Promise<PostOutcome>;
}

/** What one tick did, for logs and tests. */
export interface TickReport {
  /** Why the tick did nothing: another instance holds the lease, Teams asked to wait, a tick is running here, or the scheduler was stopped. */
  skipped?: 'lease' | 'throttled' | 'running' | 'stopped';
  boards: number;
  sent: number;
  /** Boards passed over because their conversation refused the bot. */
  unreachable: number;
}

/** The lease every instance's scheduler asks for: one of them walks the boards at a time. */
export const HABIT_LEASE = 'habits';
/** Longer than a tick takes, renewed every page of boards; an instance that dies frees it within this. */
const LEASE_TTL_MS = 2 * 60_000;
/**
 * A pending record older than this belongs to a run that died between recording and hearing
 * back. Whether its message was posted is unknown, so it is closed as given up, never retried.
 */
export const PENDING_GRACE_MS = 10 * 60_000;
/** Throttled sends are tried this many times in all, then given up. */
const MAX_ATTEMPTS = 5;
const BOARD_PAGE = 100;

/** One message a tick found due. */
interface DueSend {
  kind: SendKind;
  slot: DueSlot;
  recipient?: Member;
}

/**
 * The habits' clock: on each tick, under a lease in the store, walks the boards, finds the
 * digests, nudges and reminders that are due, records each before posting it and posts it.
 * On time, once: the record's key (board, kind, period, recipient) is created only if absent,
 * so two instances or a restart never post the same message twice, and a message whose
 * posting ended unknown is never posted again. A throttled send is tried again on a later
 * tick, after Teams' Retry-After; a board whose conversation refused the bot is skipped.
 */
export class HabitScheduler {
  private running?: Promise<TickReport>;
  private pausedUntil = 0;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly habits: Habits,
    private readonly poster: HabitPoster,
    private readonly options: { holder: string; now: () => Date; onError?: (error: unknown, board: Board) => void },
  ) {}

  /** Runs one pass over the boards, unless one is running in this instance already. */
  async tick(): Promise<TickReport> {
    if (this.stopped) return { skipped: 'stopped', boards: 0, sent: 0, unreachable: 0 };
    if (this.running) return { ...(await this.running), skipped: 'running' };
    this.running = this.pass();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** Stops after the board being handled, and frees the lease for another instance. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
    await this.store.leases.release(HABIT_LEASE, this.options.holder);
  }

  private async pass(): Promise<TickReport> {
    const report: TickReport = { boards: 0, sent: 0, unreachable: 0 };
    const now = this.options.now();
    if (now.getTime() < this.pausedUntil) return { ...report, skipped: 'throttled' };
    let cursor: string | undefined;
    do {
      // Renewed every page, so a long walk keeps the lease; a lost lease ends the walk at once.
      if (!(await this.store.leases.acquire(HABIT_LEASE, this.options.holder, LEASE_TTL_MS, now))) return { ...report, skipped: report.boards ? undefined : 'lease' };
      const page = await this.store.boards.list({ limit: BOARD_PAGE, cursor });
      for (const board of page.items) {
        if (this.stopped || now.getTime() < this.pausedUntil) return report;
        report.boards++;
        // A board opened through the API or seeded was never added to a conversation: there is nowhere to post.
        if (!board.conversationReference) continue;
        if (board.unreachableAt) {
          report.unreachable++;
          continue;
        }
        try {
          report.sent += await this.board(board, now);
        } catch (error) {
          // One board's failure (a store hiccup) must not keep the others' messages from going out.
          this.options.onError?.(error, board);
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    return report;
  }

  /** Sends what is due on one board; returns how many messages were posted. */
  private async board(board: Board, now: Date): Promise<number> {
    const due = await this.dueOn(board, now);
    let sent = 0;
    for (const item of due) {
      const outcome = await this.send(board, item, now);
      if (outcome === 'sent') sent++;
      // A refused conversation or Teams asking to wait: nothing more for this board now.
      if (outcome === 'stop') break;
    }
    return sent;
  }

  private async dueOn(board: Board, now: Date): Promise<DueSend[]> {
    const settings = settingsOf(board);
    const slotOf = (weekday: number) => {
      const slot = dueSlot({ weekday, hour: settings.digestHour, timeZone: settings.timeZone, weekStartsOn: settings.weekStartsOn }, now);
      // A slot from before the board existed is not missed: a board added on a Friday afternoon gets its first digest next week.
      return slot && slot.at.toISOString() >= board.createdAt ? slot : undefined;
    };
    const weekly = slotOf(settings.digestDay);
    const roster = await this.store.members.list(board.tenantId, board.id);
    const reachable = roster.filter((m) => isActive(m) && !m.optedOut && m.channelUserId);
    const due: DueSend[] = [];
    if (weekly && settings.digestEnabled) due.push({ kind: 'digest', slot: weekly });
    if (weekly) for (const lead of reachable.filter((m) => m.role === 'lead')) due.push({ kind: 'nudge', slot: weekly, recipient: lead });
    for (const member of reachable) {
      const slot = member.reminderDay === undefined ? undefined : slotOf(member.reminderDay);
      if (slot) due.push({ kind: 'reminder', slot, recipient: member });
    }
    return due;
  }

  /** Records, posts and settles one message; 'stop' when nothing more should go to this board now. */
  private async send(board: Board, item: DueSend, now: Date): Promise<'sent' | 'skipped' | 'stop'> {
    const key = sendKey(item.kind, item.slot.period, item.recipient?.userId);
    const at = now.toISOString();
    const existing = await this.store.sends.get(board.tenantId, board.id, key);
    if (existing?.status === 'pending' && now.getTime() - Date.parse(existing.updatedAt) > PENDING_GRACE_MS) {
      await this.store.sends.update(existing, { ...existing, status: 'gave-up', reason: 'stale-pending', updatedAt: at });
      return 'skipped';
    }
    const retry = existing?.status === 'failed' && (!existing.retryAt || existing.retryAt <= at);
    if (existing && !retry) return 'skipped';

    // Composed before recording: a nudge with nobody to name is not a message, and is not recorded.
    const content = await this.compose(board, item, now);
    if (!content) return 'skipped';

    let record: SendRecord;
    if (existing) {
      record = { ...existing, status: 'pending', attempts: existing.attempts + 1, updatedAt: at, retryAt: undefined };
      // Of two instances retrying the same send, only the one whose update lands posts it.
      if (!(await this.store.sends.update(existing, stripUndefined(record)))) return 'skipped';
    } else {
      record = stripUndefined({ tenantId: board.tenantId, boardId: board.id, key, kind: item.kind, period: item.slot.period, recipientId: item.recipient?.userId, status: 'pending', attempts: 1, createdAt: at, updatedAt: at });
      // Recorded before posting: whoever created the record is the one run that posts it.
      if (!(await this.store.sends.create(record)).created) return 'skipped';
    }

    let outcome: PostOutcome;
    try {
      outcome = await this.post(board, item, content);
    } catch (error) {
      this.options.onError?.(error, board);
      outcome = { outcome: 'unknown' };
    }
    return this.settle(board, record, outcome, content, now);
  }

  private async compose(board: Board, item: DueSend, now: Date): Promise<Digest | Nudge | Reminder | undefined> {
    if (item.kind === 'digest') return this.habits.digest(board, item.slot.at, item.slot.period);
    if (item.kind === 'nudge') return this.habits.nudge(board, item.recipient as Member, await this.store.members.list(board.tenantId, board.id), now);
    return composeReminder(board);
  }

  private post(board: Board, item: DueSend, content: Digest | Nudge | Reminder): Promise<PostOutcome> {
    if (item.kind === 'digest') return this.poster.digest(board, content as Digest);
    if (item.kind === 'nudge') return this.poster.nudge(board, item.recipient as Member, content as Nudge);
    return this.poster.reminder(board, item.recipient as Member, content as Reminder);
  }

  private async settle(board: Board, record: SendRecord, result: PostOutcome, content: Digest | Nudge | Reminder, now: Date): Promise<'sent' | 'skipped' | 'stop'> {
    const at = now.toISOString();
    switch (result.outcome) {
      case 'sent':
        await this.store.sends.update(record, stripUndefined({ ...record, status: 'sent', activityId: result.activityId, updatedAt: at }));
        if (record.kind === 'digest') await this.remember(board, (content as Digest).spotlight?.userId, at);
        return 'sent';
      case 'throttled': {
        const retryAt = new Date(now.getTime() + result.retryAfterMs);
        const last = record.attempts >= MAX_ATTEMPTS;
        await this.store.sends.update(record, stripUndefined({ ...record, status: last ? 'gave-up' : 'failed', retryAt: retryAt.toISOString(), reason: 'throttled', updatedAt: at }));
        // Teams throttles the bot, not one conversation: every send waits, on a later tick.
        this.pausedUntil = Math.max(this.pausedUntil, retryAt.getTime());
        return 'stop';
      }
      case 'unreachable':
        await this.store.sends.update(record, stripUndefined({ ...record, status: 'gave-up', reason: 'unreachable', updatedAt: at }));
        // Only the board's own conversation refusing marks the board; one person blocking the bot does not.
        if (record.kind === 'digest') {
          await this.markUnreachable(board, at);
          return 'stop';
        }
        return 'skipped';
      case 'unknown':
        // At most once: a post that may have reached the chat is never posted again.
        await this.store.sends.update(record, stripUndefined({ ...record, status: 'gave-up', reason: 'unknown-outcome', updatedAt: at }));
        return 'skipped';
    }
  }

  /** Notes the digest's spotlight on the board, through update: a roster sync or settings change written meanwhile stays. */
  private async remember(board: Board, userId: string | undefined, at: string): Promise<void> {
    const roster = await this.store.members.list(board.tenantId, board.id);
    await this.store.boards.update(board.tenantId, board.id, (fresh) => ({ ...fresh, digest: { spotlighted: rememberSpotlight(fresh.digest?.spotlighted ?? [], userId, roster) }, updatedAt: at }));
  }

  private async markUnreachable(board: Board, at: string): Promise<void> {
    await this.store.boards.update(board.tenantId, board.id, (fresh) => ({ ...fresh, unreachableAt: at, updatedAt: at }));
  }
}
