import { type Board, type Member, NO_LEAD_YET, hasLead, isActive } from './board';
import { suggestKind } from './classifier';
import { type CreditInput, creditInputSchema } from './credit-input';
import { DomainError, invalid } from './errors';
import { recognitionId } from './ids';
import { type Insights, computeInsights } from './insights';
import type { Kind } from './kinds';
import { type MemberExport, eraseMemberData, exportMemberData } from './member-data';
import { type Audience, type Recipient, type Recognition, type Source, canSee, recipientKey } from './recognition';
import type { MemberErasure, Page, Store } from './store/store';

/** Who is acting, taken from a verified token or activity, never from a request body. */
export interface Caller {
  tenantId: string;
  userId: string;
  name: string;
}

/** Filters of the board feed. */
export interface FeedFilters {
  kind?: Kind;
  /** Credits this user received. */
  person?: string;
  /** Credits this user gave. */
  giver?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

/** Teams bots have ids that start with 28:; a bot is never a recipient of credit. */
export function isBotId(userId: string): boolean {
  return userId.startsWith('28:');
}

const FEED_PAGE_MAX = 100;
const UNKNOWN_ORIGIN = 'The credit this one passes on from does not exist on this board.';

/** A board's last days as everyone on it may see them. */
export interface BoardSummary {
  board: Board;
  /** Board-visible credits of the window, newest first (at most 100). */
  credits: Recognition[];
  /** False while no one leads the board (it was opened by a message, not an install). */
  hasLead: boolean;
}

/** What a person received and gave, newest first. */
export interface MyCredits {
  received: Recognition[];
  given: Recognition[];
}

/**
 * The domain's front door: every surface (bot, API, tab, add-in) gives and reads credit
 * through these methods, so the rules live in one place.
 */
export class Noticed {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The caller's roster entry on the board; a board they are not on does not exist for them. */
  async requireMember(caller: Caller, boardId: string): Promise<{ board: Board; member: Member }> {
    // Looking up by the verified tenant first stops a caller reaching another tenant's board by id.
    const [board, member] = await Promise.all([
      this.store.boards.get(caller.tenantId, boardId),
      this.store.members.get(caller.tenantId, boardId, caller.userId),
    ]);
    if (!board || !member || !isActive(member)) throw new DomainError('not_found', 'That board does not exist or you are not on it.');
    return { board, member };
  }

  /** The caller's roster entry if they lead the board; members are refused. */
  async requireLead(caller: Caller, boardId: string): Promise<{ board: Board; member: Member }> {
    const found = await this.requireMember(caller, boardId);
    if (found.member.role !== 'lead') {
      // Read only when refusing: a board opened by a message has no lead, and says how one comes about.
      const roster = await this.store.members.list(caller.tenantId, boardId);
      throw new DomainError('forbidden', hasLead(roster) ? 'Only the leads of this board can see that.' : NO_LEAD_YET);
    }
    return found;
  }

  /** Records a credit. The same client key again returns the first credit (`created: false`). */
  async giveCredit(caller: Caller, boardId: string, raw: unknown, source: Source, clientKey?: string): Promise<{ recognition: Recognition; created: boolean }> {
    const parsed = creditInputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(issue.message, issue.path.join('.') || undefined);
    }
    const input: CreditInput = parsed.data;
    await this.requireMember(caller, boardId);

    const id = recognitionId(caller.tenantId, boardId, clientKey);
    // A retry (the same client key) lands on the first credit: the store's create returns it.
    // Only if the people can no longer be credited is it looked up here, so the retry still
    // gets the credit it made rather than a refusal; the common case reads nothing extra.
    let recipients: Recipient[];
    let prefersPrivate: boolean;
    try {
      ({ recipients, prefersPrivate } = await this.resolveRecipients(caller, boardId, input));
      if (input.inspiredBy) await this.requirePassOnFrom(caller, boardId, input.inspiredBy);
    } catch (error) {
      const existing = clientKey ? await this.store.recognitions.get(caller.tenantId, boardId, id) : undefined;
      if (existing) return { recognition: existing, created: false };
      throw error;
    }
    const rec: Recognition = {
      id,
      tenantId: caller.tenantId,
      boardId,
      giver: { userId: caller.userId, name: caller.name },
      recipients,
      kind: input.kind ?? suggestKind(input.message),
      message: input.message,
      evidence: input.evidence,
      source,
      visibility: prefersPrivate ? 'private' : (input.visibility ?? 'board'),
      createdAt: this.now().toISOString(),
      endorsements: [],
      inspiredBy: input.inspiredBy,
    };
    return this.store.recognitions.create(stripUndefined(rec));
  }

  /** "I saw this too": once per person; giver and recipients cannot endorse their own credit. */
  async endorse(caller: Caller, boardId: string, id: string): Promise<{ recognition: Recognition; added: boolean }> {
    await this.requireMember(caller, boardId);
    const rec = await this.visibleCredit(caller, boardId, id);
    if (rec.giver.userId === caller.userId || rec.recipients.some((r) => r.userId === caller.userId)) {
      throw invalid('You are part of this credit, so you cannot endorse it.');
    }
    const result = await this.store.recognitions.endorse(caller.tenantId, boardId, id, { userId: caller.userId, name: caller.name, at: this.now().toISOString() });
    if (!result) throw new DomainError('not_found', 'That credit does not exist.');
    return result;
  }

  /** Removes a credit; only its giver or a lead may, and stats follow. */
  async deleteCredit(caller: Caller, boardId: string, id: string): Promise<Recognition> {
    const { member } = await this.requireMember(caller, boardId);
    const rec = await this.visibleCredit(caller, boardId, id);
    if (rec.giver.userId !== caller.userId && member.role !== 'lead') {
      throw new DomainError('forbidden', 'Only the person who gave this credit or a lead can remove it.');
    }
    const deleted = await this.store.recognitions.softDelete(caller.tenantId, boardId, id, this.now().toISOString());
    if (!deleted) throw new DomainError('not_found', 'That credit does not exist.');
    return deleted;
  }

  /** One credit the caller may see. */
  async credit(caller: Caller, boardId: string, id: string): Promise<Recognition> {
    await this.requireMember(caller, boardId);
    return this.visibleCredit(caller, boardId, id);
  }

  /** A page of the board's credits, newest first, private ones only for those they name. */
  async feed(caller: Caller, boardId: string, filters: FeedFilters = {}): Promise<Page<Recognition>> {
    await this.requireMember(caller, boardId);
    const limit = Math.min(Math.max(filters.limit ?? 20, 1), FEED_PAGE_MAX);
    return this.store.recognitions.page({
      tenantId: caller.tenantId,
      boardId,
      viewerId: caller.userId,
      kind: filters.kind,
      recipientKey: filters.person,
      giverId: filters.giver,
      since: filters.since,
      until: filters.until,
      limit,
      cursor: filters.cursor,
    });
  }

  /**
   * The board's last days for its own conversation: board credits only, since everyone on
   * the board reads the answer, whoever asked.
   */
  async boardSummary(caller: Caller, boardId: string, days = 7): Promise<BoardSummary> {
    const { board } = await this.requireMember(caller, boardId);
    const since = new Date(this.now().getTime() - days * 86_400_000).toISOString();
    const [page, roster] = await Promise.all([
      this.store.recognitions.page({ tenantId: caller.tenantId, boardId, viewerId: caller.userId, boardOnly: true, since, limit: FEED_PAGE_MAX }),
      this.store.members.list(caller.tenantId, boardId),
    ]);
    return { board, credits: page.items, hasLead: hasLead(roster) };
  }

  /**
   * What the caller received and gave, on one board or on every board they are on. For a
   * shared audience only board credits: their private ones are for them alone.
   */
  async myCredits(caller: Caller, audience: Audience, boardId?: string): Promise<MyCredits> {
    const boardIds = boardId ? [boardId] : (await this.boardsOf(caller)).map((b) => b.board.id);
    const received: Recognition[] = [];
    const given: Recognition[] = [];
    for (const id of boardIds) {
      try {
        await this.requireMember(caller, id);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'not_found') continue;
        throw error;
      }
      const scope = { tenantId: caller.tenantId, boardId: id, viewerId: caller.userId, boardOnly: audience === 'shared', limit: FEED_PAGE_MAX };
      const [got, gave] = await Promise.all([
        this.store.recognitions.page({ ...scope, recipientKey: caller.userId }),
        this.store.recognitions.page({ ...scope, giverId: caller.userId }),
      ]);
      received.push(...got.items);
      given.push(...gave.items);
    }
    const newest = (a: Recognition, b: Recognition) => b.createdAt.localeCompare(a.createdAt);
    return { received: received.sort(newest), given: given.sort(newest) };
  }

  /** Coverage, kind mix, the unnoticed and concentration: for leads only. */
  async insights(caller: Caller, boardId: string, days = 30): Promise<Insights> {
    await this.requireLead(caller, boardId);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw invalid('days must be a whole number from 1 to 365.', 'days');
    const now = this.now();
    const since = new Date(now.getTime() - days * 86_400_000).toISOString();
    const [roster, stats, facts] = await Promise.all([
      this.store.members.list(caller.tenantId, boardId),
      this.store.stats.list(caller.tenantId, boardId),
      this.store.recognitions.facts(caller.tenantId, boardId, since),
    ]);
    return computeInsights(roster, stats, facts, days, now);
  }

  /** The boards the caller is on, with their role on each. */
  async boardsOf(caller: Caller): Promise<Array<{ board: Board; role: Member['role'] }>> {
    const memberships = await this.store.members.boardsOf(caller.tenantId, caller.userId);
    const boards = await Promise.all(memberships.map((m) => this.store.boards.get(caller.tenantId, m.boardId)));
    return memberships.flatMap((m, i) => (boards[i] ? [{ board: boards[i], role: m.role }] : []));
  }

  /** Everything Noticed keeps about the caller in their tenant, for them to take away (DESIGN §1, principle 5). */
  async exportMyData(caller: Caller): Promise<MemberExport> {
    return exportMemberData(this.store, caller, this.now());
  }

  /**
   * Erases the caller from every board of their tenant: what others gave them is removed,
   * what they gave is anonymised, their endorsements and stats go, and the roster keeps a
   * tombstone. Running it again changes nothing, or finishes a run that was cut short.
   */
  async eraseMyData(caller: Caller): Promise<MemberErasure> {
    return eraseMemberData(this.store, caller, this.now());
  }

  private async visibleCredit(caller: Caller, boardId: string, id: string): Promise<Recognition> {
    const rec = await this.store.recognitions.get(caller.tenantId, boardId, id);
    const visible = rec && !rec.deletedAt && (rec.visibility === 'board' || rec.giver.userId === caller.userId || rec.recipients.some((r) => r.userId === caller.userId));
    if (!visible) throw new DomainError('not_found', 'That credit does not exist.');
    return rec;
  }

  /** Refuses passing credit on from a credit the caller may not link to. */
  private async requirePassOnFrom(caller: Caller, boardId: string, originId: string): Promise<void> {
    const origin = await this.store.recognitions.get(caller.tenantId, boardId, originId);
    // The same words as for an unknown id: otherwise a guessed id would tell that a private credit exists.
    if (!origin || origin.deletedAt || !canSee(origin, caller.userId)) throw invalid(UNKNOWN_ORIGIN, 'inspiredBy');
    // The link is shown with the new credit, so it would carry a private credit's id to everyone who sees that one.
    if (origin.visibility === 'private') throw invalid('A private credit cannot be passed on: the link would show it to others.', 'inspiredBy');
  }

  /** Recipients as the roster knows them, and whether any of them prefers private credit. */
  private async resolveRecipients(caller: Caller, boardId: string, input: CreditInput): Promise<{ recipients: Recipient[]; prefersPrivate: boolean }> {
    const resolved: Recipient[] = [];
    let prefersPrivate = false;
    for (const [i, r] of input.recipients.entries()) {
      const field = `recipients.${i}`;
      const member = r.userId
        ? await this.store.members.get(caller.tenantId, boardId, r.userId)
        : await this.store.members.findByEmail(caller.tenantId, boardId, r.email as string);
      if (r.userId && isBotId(r.userId)) throw invalid('Bots do the easy part; credit the people behind them.', field);
      if (r.userId && (!member || !isActive(member))) throw invalid(`${r.name ?? 'That person'} is not on this board.`, field);
      // Someone who opted out (or erased their data) is not tracked again by a new credit.
      if (member?.optedOut) throw invalid(`${member.name} has opted out of Noticed, so credit cannot be recorded for them.`, field);
      const recipient: Recipient = member
        ? stripUndefined({ userId: member.userId, email: member.email, name: member.name })
        : { email: (r.email as string).toLowerCase(), name: r.name ?? (r.email as string).split('@')[0] };
      if (recipient.userId === caller.userId) throw invalid('Credit is for other people: you cannot credit yourself.', field);
      if (!resolved.some((x) => recipientKey(x) === recipientKey(recipient))) resolved.push(recipient);
      prefersPrivate ||= Boolean(member?.prefersPrivate);
    }
    return { recipients: resolved, prefersPrivate };
  }
}

/** The object without its undefined fields, so stored documents stay the same in either store. */
export function stripUndefined<T extends object>(value: T): T {
  // A loop, not entries/filter/fromEntries: this runs on every credit, and that builds three arrays.
  const kept: Partial<T> = {};
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] !== undefined) kept[key] = value[key];
  return kept as T;
}
