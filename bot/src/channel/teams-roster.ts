import type { Logger } from 'pino';
import { type TeamsChannelAccount, TeamsInfo, type TurnContext } from 'botbuilder';
import type { ConnectorClient, ConversationsGetConversationPagedMembersOptionalParams } from 'botframework-connector';
import type { BoardPlace, Caller, RosterEntry, RosterPages, Rosters } from '../../../core';

/** Members per roster page asked of Teams: its largest page. */
const ROSTER_PAGE_SIZE = 500;

/** A roster lookup that could not ask Teams (or the store): not knowing is not "not there". */
export class RosterUnreachable extends Error {
  constructor(cause: unknown) {
    super('the roster could not be checked', { cause });
    this.name = 'RosterUnreachable';
  }
}

/** Asks Teams who is in the conversation and hands what it says to core's rosters. */
export class TeamsRoster {
  constructor(
    private readonly rosters: Rosters,
    private readonly log: Logger,
  ) {}

  /**
   * Creates the board if the install event was missed (e.g. Noticed was added before an
   * outage); it has no lead until an install. As at an install, the turn waits for the
   * roster's first page only, and the rest follows in the background.
   */
  async ensureBoard(context: TurnContext, place: BoardPlace): Promise<void> {
    const run = await this.rosters.ensureBoard(place, this.rosterPages(context));
    run?.finished.catch((error: unknown) => this.log.error({ err: error, boardId: place.boardId }, 'roster sync stopped; the next install continues it'));
    await run?.firstPageWritten;
  }

  /** Puts the caller on the roster if Teams lists them and the roster does not yet. */
  async ensureMember(context: TurnContext, place: BoardPlace, caller: Caller): Promise<void> {
    if (!(await this.rosters.isOnRoster(place.tenantId, place.boardId, caller.userId))) await this.addCaller(context, place);
  }

  /** Asks Teams for the caller, whom the roster does not know, and keeps them if Teams lists them. */
  async addCaller(context: TurnContext, place: BoardPlace): Promise<void> {
    try {
      await this.fetchMember(context, place, context.activity.from.id);
    } catch (error) {
      // Core decides whether the caller is on the board from what the store holds.
      if (!(error instanceof RosterUnreachable)) throw error;
    }
  }

  /** Asks Teams for one member and keeps them; undefined only when Teams says they are not in the conversation. */
  async fetchMember(context: TurnContext, place: BoardPlace, channelUserId: string): Promise<RosterEntry | undefined> {
    const entry = await this.listedMember(context, channelUserId);
    if (!entry) return undefined;
    try {
      await this.rosters.sync(place.tenantId, place.boardId, [entry]);
    } catch (error) {
      this.log.warn({ err: error }, 'roster write failed');
      throw new RosterUnreachable(error);
    }
    return entry;
  }

  /** One member as Teams lists them, not kept; undefined only when Teams says they are not in the conversation. */
  async listedMember(context: TurnContext, channelUserId: string): Promise<RosterEntry | undefined> {
    let account: TeamsChannelAccount;
    try {
      account = await TeamsInfo.getMember(context, channelUserId);
    } catch (error) {
      if (isMemberNotFound(error)) return undefined;
      this.log.warn({ err: error }, 'member lookup failed');
      throw new RosterUnreachable(error);
    }
    return toRosterEntry(account);
  }

  /**
   * Reads the roster a page at a time, during the turn or after it: botbuilder revokes the
   * turn's context when the turn ends, so this keeps the turn's connector client (its calls
   * bounded as every connector call is) and asks it directly, as TeamsInfo.getPagedMembers does.
   * In a channel the calls go to the team, not the channel.
   */
  rosterPages(context: TurnContext): RosterPages {
    const client = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
    const { activity } = context;
    const teamId = (activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
    // In a channel the roster is the team's, not the channel conversation's.
    const conversationId = typeof teamId === 'string' ? teamId : activity.conversation.id;
    return async (continuationToken) => {
      if (!client) throw new Error('the turn has no connector client to ask Teams for the roster');
      // The SDK's type requires a token, yet the first page has none; TeamsInfo passes undefined just the same.
      const options = { pageSize: ROSTER_PAGE_SIZE, continuationToken } as ConversationsGetConversationPagedMembersOptionalParams;
      const page = await client.conversations.getConversationPagedMembers(conversationId, options);
      return {
        entries: (page.members ?? []).flatMap((m) => toRosterEntry(m as TeamsChannelAccount) ?? []),
        continuationToken: page.continuationToken || undefined,
      };
    };
  }
}

/** Teams' own answer that the person is not in the conversation, as opposed to a failure to ask. */
function isMemberNotFound(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string } | undefined;
  return e?.statusCode === 404 && (e.code === undefined || e.code === 'MemberNotFound');
}

function toRosterEntry(m: TeamsChannelAccount): RosterEntry | undefined {
  if (!m.aadObjectId || m.id?.startsWith('28:')) return undefined;
  return { userId: m.aadObjectId, channelUserId: m.id, name: m.name ?? m.givenName ?? 'Someone', email: m.email ?? m.userPrincipalName };
}
