import { z } from 'zod';
import { type Board, type BoardSettings, type LeadEntry, type Member, isActive, settingsOf } from './board';
import { DomainError, invalid } from './errors';
import type { Caller, Noticed } from './noticed';
import type { Store } from './store/store';

/** Every IANA zone this runtime knows, read once: the list is fixed for the life of the process. */
let knownZones: ReadonlySet<string> | undefined;

/**
 * True for an IANA time zone name (Europe/Berlin, America/Argentina/Buenos_Aires, UTC) or an
 * alias of one (Asia/Calcutta): offsets (+01:00) and abbreviations (CET) are not zones with
 * daylight saving rules, so a digest set in them would drift by an hour twice a year.
 */
export function isTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  if (!/^[A-Za-z][A-Za-z_]*(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(name)) return false;
  knownZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (knownZones.has(name)) return true;
  try {
    return knownZones.has(new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}

/** A whole number in a range, refused in one sentence whatever is wrong with it. */
export function wholeNumber(min: number, max: number, message: string) {
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

const weekday = (what: string) => wholeNumber(0, 6, `${what} must be a weekday from 0 (Sunday) to 6 (Saturday).`);
const TIME_ZONE = 'timeZone must be an IANA time zone name such as Europe/Berlin.';

/** A change to a board's settings: any of them, nothing else. */
export const boardSettingsChangeSchema = z
  .strictObject(
    {
      digestEnabled: z.boolean({ error: 'digestEnabled must be true or false.' }),
      digestDay: weekday('digestDay'),
      digestHour: wholeNumber(0, 23, 'digestHour must be an hour from 0 to 23.'),
      nudgeAfterDays: wholeNumber(1, 365, 'nudgeAfterDays must be a number of days from 1 to 365.'),
      timeZone: z.string({ error: TIME_ZONE }).max(64, TIME_ZONE).refine(isTimeZone, TIME_ZONE),
      weekStartsOn: weekday('weekStartsOn'),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown setting: ${issue.keys.join(', ')}.` : 'Send the settings to change as a JSON object.') },
  )
  .partial()
  .refine((change) => Object.keys(change).length > 0, 'Say which settings to change.');

/** A change to a board's settings, as validated. */
export type BoardSettingsChange = z.infer<typeof boardSettingsChangeSchema>;

/** What the last lead of a board hears when they try to step down, or to remove the last other one. */
export const LAST_LEAD = 'A board always keeps at least one lead: make someone else a lead first.';

/** The first issue of a failed parse, as the domain refuses bad input. */
export function refuseIssue(error: z.ZodError): DomainError {
  const issue = error.issues[0];
  return invalid(issue.message, issue.path.join('.') || undefined);
}

/**
 * Board settings and the lead list, for leads only: the digest, the nudge window, the time
 * zone and who else leads. Lead rights pass only from a lead to someone on the roster.
 */
export class BoardSettingsDesk {
  constructor(
    private readonly store: Store,
    private readonly noticed: Noticed,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The board's settings, defaults filled in. */
  async settings(caller: Caller, boardId: string): Promise<{ board: Board; settings: BoardSettings }> {
    const { board } = await this.noticed.requireLead(caller, boardId);
    return { board, settings: settingsOf(board) };
  }

  /** Changes some of the board's settings and answers all of them as stored after; bad input changes nothing. */
  async change(caller: Caller, boardId: string, raw: unknown): Promise<BoardSettings> {
    await this.noticed.requireLead(caller, boardId);
    const parsed = boardSettingsChangeSchema.safeParse(raw);
    if (!parsed.success) throw refuseIssue(parsed.error);
    const at = this.now().toISOString();
    const stored = await this.store.boards.update(caller.tenantId, boardId, (board) => ({ ...board, settings: { ...settingsOf(board), ...parsed.data }, updatedAt: at }));
    if (!stored) throw new DomainError('not_found', 'That board does not exist or you are not on it.');
    return settingsOf(stored);
  }

  /** Who leads the board, by name. */
  async leads(caller: Caller, boardId: string): Promise<LeadEntry[]> {
    await this.noticed.requireLead(caller, boardId);
    return leadsOf(await this.store.members.list(caller.tenantId, boardId));
  }

  /** Makes someone on the roster a lead; one who leads already stays so. Answers the leads after. */
  async grantLead(caller: Caller, boardId: string, userId: string): Promise<LeadEntry[]> {
    await this.noticed.requireLead(caller, boardId);
    const member = await this.rosterMember(caller, boardId, userId);
    if (member.optedOut) throw invalid(`${member.name} has opted out of Noticed, so they cannot lead this board.`, 'userId');
    if (member.role !== 'lead') await this.store.members.put({ ...member, role: 'lead' });
    return leadsOf(await this.store.members.list(caller.tenantId, boardId));
  }

  /**
   * Takes lead rights from a lead (the caller may step down). The last lead is kept: a board
   * nobody leads has nobody to see who goes unnoticed, and no one to grant lead again.
   */
  async removeLead(caller: Caller, boardId: string, userId: string): Promise<LeadEntry[]> {
    await this.noticed.requireLead(caller, boardId);
    const member = await this.rosterMember(caller, boardId, userId);
    const roster = await this.store.members.list(caller.tenantId, boardId);
    if (member.role !== 'lead') return leadsOf(roster);
    if (!roster.some((m) => m.role === 'lead' && m.userId !== userId)) throw new DomainError('conflict', LAST_LEAD);
    await this.store.members.put({ ...member, role: 'member' });
    // Two leads removing each other at once both pass the check above; whoever then finds no
    // lead left puts theirs back, so the board ends with at least one either way.
    const after = await this.store.members.list(caller.tenantId, boardId);
    if (!after.some((m) => m.role === 'lead')) {
      const current = await this.store.members.get(caller.tenantId, boardId, userId);
      if (current) await this.store.members.put({ ...current, role: 'lead' });
      throw new DomainError('conflict', LAST_LEAD);
    }
    return leadsOf(after);
  }

  private async rosterMember(caller: Caller, boardId: string, userId: string): Promise<Member> {
    const member = await this.store.members.get(caller.tenantId, boardId, userId);
    if (!member || !isActive(member)) throw new DomainError('not_found', 'That person is not on this board.', 'userId');
    return member;
  }
}

function leadsOf(roster: readonly Member[]): LeadEntry[] {
  return roster.filter((m) => m.role === 'lead' && isActive(m)).map((m) => ({ userId: m.userId, name: m.name }));
}
