import type { ChannelAccount, TeamInfo, TeamsChannelAccount, TurnContext } from 'botbuilder';
import type { ChannelParts } from './channel-parts';
import { welcomeCard } from './credit-cards';
import { sendCard } from './replies';
import { RosterUnreachable } from './teams-roster';
import { placeOf } from './turn-identity';

/** Noticed added or removed, people joining and leaving, a team renamed: the board and roster follow. */
export class InstallEvents {
  constructor(private readonly parts: ChannelParts) {}

  /** Noticed itself added (the install: board, roster, first lead, welcome) or people joining a known board. */
  async membersAdded(context: TurnContext, added: TeamsChannelAccount[]): Promise<void> {
    const { rosters, teams } = this.parts;
    const place = placeOf(context);
    if (!place) return;
    if (added.some((m) => m.id === context.activity.recipient.id)) {
      // The install event's from is the installer; in Teams it carries ids but no name, so Teams is asked for them alone.
      const { from } = context.activity;
      const listed = from?.id ? await teams.listedMember(context, from.id) : undefined;
      const { board, created, newLead } = await rosters.install(place, { userId: from?.aadObjectId, channelUserId: from?.id }, listed);
      if (created || newLead) await sendCard(context, welcomeCard(board.name, newLead?.name));
      // The turn waits for the first page only: a team of up to 500 is then complete when the install is answered, and the rest of
      // a bigger one follows in the background, since Teams redelivers an event it has waited 15 s for.
      const run = rosters.syncRoster(place.tenantId, place.boardId, teams.rosterPages(context));
      run?.finished.catch((error: unknown) => this.parts.log.error({ err: error, boardId: place.boardId }, 'roster sync stopped; the next install continues it'));
      await run?.firstPageWritten;
      return;
    }
    if (!(await rosters.hasBoard(place.tenantId, place.boardId))) return;
    for (const m of added) {
      try {
        await teams.fetchMember(context, place, m.id);
      } catch (error) {
        // The next message or member event finds them; the event itself has no one to tell.
        if (!(error instanceof RosterUnreachable)) throw error;
      }
    }
  }

  /** People leaving keep their credits on the board; Noticed itself removed keeps the board for its history. */
  async membersRemoved(context: TurnContext, removed: ChannelAccount[]): Promise<void> {
    const place = placeOf(context);
    if (place && removed.some((m) => m.id === context.activity.recipient.id)) {
      this.parts.log.info({ boardId: place.boardId }, 'Noticed was removed; the board stays for its history');
    } else if (place) {
      await this.parts.rosters.remove(place.tenantId, place.boardId, removed.map((m) => m.aadObjectId).filter((id): id is string => Boolean(id)));
    }
  }

  /** A Teams team rename renames its board. */
  async teamRenamed(context: TurnContext, team: TeamInfo | undefined): Promise<void> {
    const place = placeOf(context);
    if (place && team?.name) await this.parts.rosters.rename(place.tenantId, place.boardId, team.name);
  }
}
