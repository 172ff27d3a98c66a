import { type Board, type Member, hasLead, isActive, settingsOf } from './board';
import { suggestKind } from './classifier';
import { CreditContext } from './credit-context';
import { type CreditInput, creditInputSchema } from './credit-input';
import { DomainError, NoLeadYet, invalid } from './errors';
import { SAME_CREDIT_MS, afterRemovedId, sameCreditIds, sameCreditKey, sameCreditSince } from './ids';
import { evidenceOf } from './email-evidence';
import { addCounts, addTotals, boardCreditsByKind, countsOf, dayOf, nextUtcDay, totalsOf } from './credit-counts';
import { type Insights, PREVIOUS_WINDOW_MAX_DAYS, insightsFromCounts, previousWindow, weekStartHours } from './insights';
import { KIND_IDS, type Kind, isKind } from './kinds';
import { type MemberExport, eraseMemberData, exportMemberData } from './member-data';
import { type Audience, type PostedCard, type Recipient, type Recognition, type Source, canSee, isPartOf, isShared, mayChangeKind, mayRemove, recipientKey, recipientKeys } from './recognition';
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
  /** Credits this person received: a user id, or the email address of someone credited from a thread. */
  person?: string;
  /** Credits this user gave. */
  giver?: string;
  since?: string;
  until?: string;
  /** Only the last this many days, by the domain's clock (not the caller's): 1 to 365. */
  days?: number;
  limit?: number;
  cursor?: string;
}

/** Teams bots have ids that start with 28:; a bot is never a recipient of credit. */
export function isBotId(userId: string): boolean {
  return userId.startsWith('28:');
}

const FEED_PAGE_MAX = 100;
/** The roster a page of the people picker may hold: the tab keeps a whole team's for its filters. */
const ROSTER_PAGE_MAX = 1000;
/** A credit passed on from a win ("who made this possible?") is for enabling it, unless the giver says otherwise. */
const PASSED_ON_KIND: Kind = 'enabled';
const UNKNOWN_ORIGIN = 'The credit this one passes on from does not exist on this board.';

/** A board's last days as everyone on it may see them. */
export interface BoardSummary {
  board: Board;
  /** Board-visible credits of the window, newest first (at most 100). */
  credits: Recognition[];
  /** How many board-visible credits the window holds, in all and per kind: private ones are never counted here. */
  counts: { total: number; byKind: Record<Kind, number> };
  /** False while no one leads the board (it was opened by a message, not an install). */
  hasLead: boolean;
  /** How many days the summary covers. */
  days: number;
}

/** A board as its member sees it: how many are on it and their own role. */
export interface BoardDetails {
  board: Board;
  memberCount: number;
  role: Member['role'];
}

/** Which of the roster to list: a name or email prefix, how many, and whether to leave the caller out. */
export interface RosterQuery {
  q?: string;
  limit?: number;
  /** Forms that pick whom to credit leave the caller out: credit is for other people. */
  withoutCaller?: boolean;
}

/** A credit as given: the one recorded (or found again), and the roster entries of its people as found. */
export interface GivenCredit {
  recognition: Recognition;
  /** False when the same credit was given already: nothing was written. */
  created: boolean;
  /** The roster entries the credit found (its giver and recipients, as the roster had them), for the card's audience without reading them again. */
  people: Member[];
  /** True when a recipient's preference made a new credit private, so the giver can be told. */
  madePrivate?: boolean;
}

/** A recipient a credit's card @mentions: the channel's id for them, and their name as the credit shows it. */
export interface CardMention {
  userId: string;
  channelUserId: string;
  name: string;
}

/** What a person received and gave, newest first. */
export interface MyCredits {
  received: Recognition[];
  given: Recognition[];
}

/** Teams refreshes a card per viewer for at most 60 named people. */
const CARD_AUDIENCE_MAX = 60;
/** How many times in a row the same credit may be given and removed inside its window. */
const SAME_CREDIT_HOPS = 5;

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
      throw hasLead(roster) ? new DomainError('forbidden', 'Only the leads of this board can see that.') : new NoLeadYet();
    }
    return found;
  }

  /**
   * What giving a credit on the board reads first, with the caller as giver and these people
   * (by user id, or by the channel's id for them as mentions name them), in one store read.
   * The bot reads it to find whom a message mentions and passes it on to `giveCredit`.
   */
  async creditContext(caller: Caller, boardId: string, people: { userIds?: readonly string[]; channelUserIds?: readonly string[] } = {}): Promise<CreditContext> {
    // From the start of the previous window: a resend just past a window's end finds its credit there.
    const now = this.now();
    const givenSince = sameCreditSince(now);
    const records = await this.store.readCreditContext(caller.tenantId, boardId, {
      giverId: caller.userId,
      userIds: people.userIds ?? [],
      channelUserIds: people.channelUserIds ?? [],
      givenSince,
      at: now.toISOString(),
    });
    return new CreditContext(caller.tenantId, boardId, caller.userId, givenSince, records);
  }

  /**
   * Records a credit. The same giver, people and reason on the board within 10 minutes is the
   * same credit (a resend, a redelivery with a new activity id, a retyped message): that
   * answers with the first one (`created: false`) and writes nothing. `context` is what the
   * caller read with `creditContext` for this credit; without it, it is read here. `people`
   * are the roster entries of the giver and recipients as found, so the card needs no reads.
   */
  async giveCredit(caller: Caller, boardId: string, raw: unknown, source: Source, context?: CreditContext): Promise<GivenCredit> {
    const parsed = creditInputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(issue.message, issue.path.join('.') || undefined);
    }
    const input: CreditInput = parsed.data;
    const found = context ?? (await this.creditContext(caller, boardId, { userIds: input.recipients.flatMap((r) => (r.userId ? [r.userId] : [])) }));
    // A context read for someone else or another board would let its roster vouch for this credit's people.
    if (found.tenantId !== caller.tenantId || found.boardId !== boardId || found.giverId !== caller.userId) throw new Error('The credit context was read for another giver or board.');
    const people = new Map(found.members().map((m) => [m.userId, m]));
    const giver = await this.memberIn(found, caller.userId);
    const board = found.board ?? (await this.store.boards.get(caller.tenantId, boardId));
    // Looked up in the verified tenant's partition, so a caller cannot reach another tenant's board by id.
    if (!board || !giver) throw new DomainError('not_found', 'That board does not exist or you are not on it.');
    people.set(giver.userId, giver);

    const now = this.now();
    // Keyed by the people as asked for (user id, else address), so the key needs no roster read
    // and a retry finds its credit even after the people can no longer be credited.
    const key = sameCreditKey(caller.userId, input.recipients.map((r) => recipientKey({ ...r, name: '' })), input.message, input.inspiredBy);
    const ids = sameCreditIds(caller.tenantId, boardId, key, now);
    const since = sameCreditSince(now);
    const earlier = await this.sameCreditAt(found, ids.previous, since);
    if (earlier.live && now.getTime() - Date.parse(earlier.live.createdAt) < SAME_CREDIT_MS) return { recognition: earlier.live, created: false, people: [...people.values()] };
    // Before the people are checked, so a retry gets the credit it made rather than a refusal.
    const current = await this.sameCreditAt(found, ids.current, since);
    if (current.live) return { recognition: current.live, created: false, people: [...people.values()] };

    const { recipients, prefersPrivate } = await this.resolveRecipients(caller, boardId, input, found, people);
    if (input.inspiredBy) await this.requirePassOnFrom(caller, boardId, input.inspiredBy);
    const rec: Recognition = {
      id: current.free ?? ids.current,
      tenantId: caller.tenantId,
      boardId,
      giver: { userId: caller.userId, name: caller.name },
      recipients,
      kind: input.kind ?? (input.inspiredBy ? PASSED_ON_KIND : suggestKind(input.message)),
      message: input.message,
      evidence: evidenceOf(input.evidence),
      source,
      visibility: prefersPrivate ? 'private' : (input.visibility ?? 'board'),
      createdAt: now.toISOString(),
      endorsements: [],
      inspiredBy: input.inspiredBy,
    };
    // The id is the whole guard: two resends racing in one window meet at the store's create-only
    // write, and one of them is kept. A removed credit passes its id on, so giving it again is new.
    for (let hop = current.hops; current.free && hop < SAME_CREDIT_HOPS; hop++) {
      const result = await this.store.recognitions.create(stripUndefined(rec), found.basis);
      if (result.created && prefersPrivate && input.visibility !== 'private') return { ...result, people: [...people.values()], madePrivate: true };
      if (result.created || !result.recognition.deletedAt) return { ...result, people: [...people.values()] };
      rec.id = afterRemovedId(caller.tenantId, boardId, rec.id);
    }
    throw new DomainError('conflict', 'This credit was given and removed several times in a row; wait ten minutes and give it again.');
  }

  /** Notes that the credit's card reached the chat, so a retry knows not to post it again. */
  async recordCard(caller: Caller, boardId: string, id: string, card: PostedCard): Promise<Recognition> {
    const rec = await this.store.recognitions.recordCard(caller.tenantId, boardId, id, card);
    if (!rec) throw new DomainError('not_found', 'That credit does not exist.');
    return rec;
  }

  /**
   * The channel ids (Teams 29:…) of the people a credit's card is about: giver, recipients
   * and endorsers, at most 60, as Teams allows for a card's per-viewer refresh. `known` are
   * roster entries already in hand (`giveCredit`'s people); only the others are read.
   */
  async cardAudience(caller: Caller, boardId: string, rec: Recognition, known: readonly Member[] = []): Promise<string[]> {
    return (await this.cardPeople(caller, boardId, rec, known)).audience;
  }

  /**
   * Who a credit's card refreshes for (`cardAudience`) and whom it @mentions, so Teams notifies
   * them: the recipients the channel knows, on a shared credit only (a private one is never
   * posted where a mention could tell anyone else). People credited by email alone have no
   * channel id and are named as text only.
   */
  async cardPeople(caller: Caller, boardId: string, rec: Recognition, known: readonly Member[] = []): Promise<{ audience: string[]; mentions: CardMention[] }> {
    // Only entries of this board count: another board's would put its people's ids on this card.
    const inHand = new Map(known.filter((m) => m.tenantId === caller.tenantId && m.boardId === boardId).map((m) => [m.userId, m]));
    const userIds = [...new Set([rec.giver.userId, ...rec.recipients.flatMap((r) => (r.userId ? [r.userId] : [])), ...rec.endorsements.map((e) => e.userId)])];
    const members = await Promise.all(userIds.map((userId) => inHand.get(userId) ?? this.store.members.get(caller.tenantId, boardId, userId)));
    const byId = new Map(members.flatMap((m) => (m ? [[m.userId, m] as const] : [])));
    const audience = members.flatMap((m) => (m?.channelUserId ? [m.channelUserId] : [])).slice(0, CARD_AUDIENCE_MAX);
    const mentions = !isShared(rec)
      ? []
      : rec.recipients.flatMap((r) => {
          const m = r.userId ? byId.get(r.userId) : undefined;
          return m?.channelUserId && isActive(m) ? [{ userId: m.userId, channelUserId: m.channelUserId, name: r.name }] : [];
        });
    return { audience, mentions };
  }

  /**
   * The live credit at the id, or where a removed one passed its id on to; else the first id
   * of that chain still free (none after too many removals) and how many removals it took.
   * The giver's credits since `since` come from the context when it read them all.
   */
  private async sameCreditAt(context: CreditContext, id: string, since: string): Promise<{ live?: Recognition; free?: string; hops: number }> {
    let at = id;
    for (let hop = 0; hop < SAME_CREDIT_HOPS; hop++) {
      const inContext = context.givenAt(at, since);
      const rec = inContext === 'unknown' ? await this.store.recognitions.get(context.tenantId, context.boardId, at) : inContext;
      if (!rec) return { free: at, hops: hop };
      if (!rec.deletedAt) return { live: rec, hops: hop };
      at = afterRemovedId(context.tenantId, context.boardId, at);
    }
    return { hops: SAME_CREDIT_HOPS };
  }

  /** The active member as the context holds them, else as stored now (the channel may just have added them). */
  private async memberIn(context: CreditContext, userId: string): Promise<Member | undefined> {
    const member = context.member(userId) ?? (await this.store.members.get(context.tenantId, context.boardId, userId));
    return member && isActive(member) ? member : undefined;
  }

  /** "I saw this too": once per person; giver and recipients cannot endorse their own credit. */
  async endorse(caller: Caller, boardId: string, id: string): Promise<{ recognition: Recognition; added: boolean }> {
    await this.requireMember(caller, boardId);
    const rec = await this.visibleCredit(caller, boardId, id);
    if (isPartOf(rec, caller.userId)) throw invalid('You are part of this credit, so you cannot endorse it.');
    const result = await this.store.recognitions.endorse(caller.tenantId, boardId, id, { userId: caller.userId, name: caller.name, at: this.now().toISOString() });
    if (!result) throw new DomainError('not_found', 'That credit does not exist.');
    return result;
  }

  /** Takes back one's own "I saw this too"; nothing else counts endorsements, so no stats change. */
  async unendorse(caller: Caller, boardId: string, id: string): Promise<{ recognition: Recognition; removed: boolean }> {
    await this.requireMember(caller, boardId);
    await this.visibleCredit(caller, boardId, id);
    // Only the caller's own endorsement is ever removed: the user id comes from the token, never the request.
    const result = await this.store.recognitions.unendorse(caller.tenantId, boardId, id, caller.userId);
    if (!result) throw new DomainError('not_found', 'That credit does not exist.');
    return result;
  }

  /** Removes a credit; only its giver or a lead may, and stats follow. */
  async deleteCredit(caller: Caller, boardId: string, id: string): Promise<Recognition> {
    const { member } = await this.requireMember(caller, boardId);
    const rec = await this.visibleCredit(caller, boardId, id);
    if (!mayRemove(rec, { userId: caller.userId, role: member.role })) {
      throw new DomainError('forbidden', 'Only the person who gave this credit or a lead can remove it.');
    }
    const deleted = await this.store.recognitions.softDelete(caller.tenantId, boardId, id, this.now().toISOString());
    if (!deleted) throw new DomainError('not_found', 'That credit does not exist.');
    return deleted;
  }

  /**
   * Changes the kind of the caller's own credit, board-visible or private; the counts kept for
   * it move with it. The same kind again writes nothing.
   */
  async changeKind(caller: Caller, boardId: string, id: string, kind: unknown): Promise<{ recognition: Recognition; changed: boolean }> {
    await this.requireMember(caller, boardId);
    if (!isKind(kind)) throw invalid(`kind must be one of ${KIND_IDS.join(', ')}.`, 'kind');
    const rec = await this.visibleCredit(caller, boardId, id);
    if (!mayChangeKind(rec, caller)) throw new DomainError('forbidden', 'Only the person who gave this credit can change its kind.');
    if (rec.kind === kind) return { recognition: rec, changed: false };
    const changed = await this.store.recognitions.changeKind(caller.tenantId, boardId, id, kind);
    // Removed between our read and the write: as gone as if it never was.
    if (!changed || changed.deletedAt) throw new DomainError('not_found', 'That credit does not exist.');
    return { recognition: changed, changed: true };
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
    let since = filters.since;
    if (filters.days !== undefined) {
      if (!Number.isInteger(filters.days) || filters.days < 1 || filters.days > 365) throw invalid('days must be a whole number from 1 to 365.', 'days');
      const windowStart = this.daysAgo(filters.days);
      if (!since || windowStart > since) since = windowStart;
    }
    return this.store.recognitions.page({
      tenantId: caller.tenantId,
      boardId,
      viewerId: caller.userId,
      kind: filters.kind,
      recipientKey: filters.person && personKey(filters.person),
      giverId: filters.giver,
      since,
      until: filters.until,
      limit,
      cursor: filters.cursor,
    });
  }

  /** The board's name, settings, member count and the caller's role on it. */
  async boardDetails(caller: Caller, boardId: string): Promise<BoardDetails> {
    const { board, member } = await this.requireMember(caller, boardId);
    const roster = await this.store.members.list(caller.tenantId, boardId);
    return { board: { ...board, settings: settingsOf(board) }, memberCount: roster.length, role: member.role };
  }

  /** The board's active roster for its members: all of it (up to the limit) or those a name or email prefix finds. */
  async roster(caller: Caller, boardId: string, query: RosterQuery = {}): Promise<Member[]> {
    await this.requireMember(caller, boardId);
    const limit = Math.min(Math.max(query.limit ?? ROSTER_PAGE_MAX, 1), ROSTER_PAGE_MAX);
    const q = query.q?.trim();
    // One more than asked, so leaving the caller out still fills the page.
    const wanted = query.withoutCaller ? limit + 1 : limit;
    const found = q ? await this.store.members.search(caller.tenantId, boardId, q, wanted) : await this.store.members.list(caller.tenantId, boardId);
    return (query.withoutCaller ? found.filter((m) => m.userId !== caller.userId) : found).slice(0, limit);
  }

  /**
   * Whom the "who made this possible?" form offers for a win: the roster but the caller and the
   * people the win already credits.
   */
  async passOnCandidates(caller: Caller, boardId: string, originId: string): Promise<{ origin: Recognition; candidates: Member[] }> {
    const origin = await this.credit(caller, boardId, originId);
    const credited = new Set(recipientKeys(origin));
    const roster = await this.roster(caller, boardId, { withoutCaller: true });
    return { origin, candidates: roster.filter((m) => !credited.has(m.userId)) };
  }

  /**
   * The board's last days for its own conversation: board credits only, since everyone on
   * the board reads the answer, whoever asked.
   */
  async boardSummary(caller: Caller, boardId: string, days = 7): Promise<BoardSummary> {
    const { board } = await this.requireMember(caller, boardId);
    const since = this.daysAgo(days);
    // Counted from the hours kept on write, so a busy board's count is not the page's 100.
    const fullDays = nextUtcDay(since);
    const [page, roster, hours, firstDay] = await Promise.all([
      this.store.recognitions.page({ tenantId: caller.tenantId, boardId, viewerId: caller.userId, boardOnly: true, since, limit: FEED_PAGE_MAX }),
      this.store.members.list(caller.tenantId, boardId),
      this.store.stats.hours(caller.tenantId, boardId, dayOf(fullDays)),
      this.store.recognitions.facts(caller.tenantId, boardId, since, { until: fullDays, boardOnly: true }),
    ]);
    const byKind = boardCreditsByKind(hours, firstDay);
    const total = Object.values(byKind).reduce((a, b) => a + b, 0);
    return { board, credits: page.items, counts: { total, byKind }, hasLead: hasLead(roster), days };
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
    const { board } = await this.requireLead(caller, boardId);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw invalid('days must be a whole number from 1 to 365.', 'days');
    const now = this.now();
    const since = new Date(now.getTime() - days * 86_400_000).toISOString();
    // The stores count credits per day and hour as they are written; only the window's first,
    // partial day is read credit by credit, so no insights call scans the window.
    const fullDays = nextUtcDay(since);
    // The previous window [prevSince, since) from the same counts: its first full day to the
    // window's first full day, plus its own partial first day, less the window's partial day.
    const withPrevious = days <= PREVIOUS_WINDOW_MAX_DAYS;
    const prevSince = new Date(now.getTime() - 2 * days * 86_400_000).toISOString();
    const prevFullDays = nextUtcDay(prevSince);
    const { timeZone, weekStartsOn } = settingsOf(board);
    const weekBounds = weekStartHours(dayOf(fullDays), now, { timeZone, weekStartsOn });
    const [{ roster, counts }, firstDay, prevFirstDay] = await Promise.all([
      this.store.stats.rosterCounts(caller.tenantId, boardId, dayOf(fullDays), withPrevious ? dayOf(prevFullDays) : undefined, weekBounds),
      this.store.recognitions.facts(caller.tenantId, boardId, since, { until: fullDays }),
      withPrevious ? this.store.recognitions.facts(caller.tenantId, boardId, prevSince, { until: prevFullDays }) : [],
    ]);
    const windowPartial = countsOf(firstDay);
    const insights = insightsFromCounts(roster, counts.lastCreditedAt, addCounts(counts, windowPartial), days, now, { timeZone, weekStartsOn });
    if (!counts.previous) return insights;
    const previous = addTotals(addTotals(counts.previous, totalsOf(countsOf(prevFirstDay))), totalsOf(windowPartial), -1);
    return { ...insights, previous: previousWindow(roster, previous, days, new Date(since)) };
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

  /** The instant `days` days before now, as the store compares times. */
  private daysAgo(days: number): string {
    return new Date(this.now().getTime() - days * 86_400_000).toISOString();
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
    if (!isShared(origin)) throw invalid('A private credit cannot be passed on: the link would show it to others.', 'inspiredBy');
  }

  /** Recipients as the roster knows them, and whether any of them prefers private credit; each one found joins `people`. */
  private async resolveRecipients(
    caller: Caller,
    boardId: string,
    input: CreditInput,
    context: CreditContext,
    people: Map<string, Member>,
  ): Promise<{ recipients: Recipient[]; prefersPrivate: boolean }> {
    const resolved: Recipient[] = [];
    let prefersPrivate = false;
    for (const [i, r] of input.recipients.entries()) {
      const field = `recipients.${i}`;
      const member = r.userId ? await this.memberIn(context, r.userId) : await this.store.members.findByEmail(caller.tenantId, boardId, r.email as string);
      if (r.userId && isBotId(r.userId)) throw invalid('Bots do the easy part; credit the people behind them.', field);
      if (r.userId && !member) throw invalid(`${r.name ?? 'That person'} is not on this board.`, field);
      // Someone who opted out (or erased their data) is not tracked again by a new credit.
      if (member?.optedOut) throw invalid(`${member.name} has opted out of Noticed, so credit cannot be recorded for them.`, field);
      const recipient: Recipient = member
        ? stripUndefined({ userId: member.userId, email: member.email, name: member.name })
        : { email: (r.email as string).toLowerCase(), name: r.name ?? (r.email as string).split('@')[0] };
      if (recipient.userId === caller.userId) throw invalid('Credit is for other people: you cannot credit yourself.', field);
      if (!resolved.some((x) => recipientKey(x) === recipientKey(recipient))) resolved.push(recipient);
      if (member) people.set(member.userId, member);
      prefersPrivate ||= Boolean(member?.prefersPrivate);
    }
    return { recipients: resolved, prefersPrivate };
  }
}

/** The feed's key for a person asked for by user id or by email address (addresses compare without case). */
function personKey(person: string): string {
  return person.includes('@') ? recipientKey({ email: person, name: '' }) : person;
}

/** The object without its undefined fields, so stored documents stay the same in either store. */
export function stripUndefined<T extends object>(value: T): T {
  // A loop, not entries/filter/fromEntries: this runs on every credit, and that builds three arrays.
  const kept: Partial<T> = {};
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] !== undefined) kept[key] = value[key];
  return kept as T;
}
