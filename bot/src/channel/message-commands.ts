import type { TurnContext } from 'botbuilder';
import { type BoardPlace, type Caller, type CreditContext, isBotId, MADE_PRIVATE, type Mention, NoLeadYet, parseCommand } from '../../../core';
import type { ChannelParts } from './channel-parts';
import { type Card, boardCard, helpCard, mineCard, missedCard } from './credit-cards';
import { digestCard } from './habit-cards';
import { refusal, sendCard } from './replies';
import { RosterUnreachable } from './teams-roster';
import { audienceOf, callerOf, placeOf } from './turn-identity';

/** Text commands to @Noticed: credit, board, digest, mine, missed, settings, preferences, help. */
export class MessageCommands {
  constructor(private readonly parts: ChannelParts) {}

  /** Answers one message. */
  async handle(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const mentions: Mention[] = (activity.entities ?? [])
      .filter((e) => e.type === 'mention' && e.mentioned?.id)
      .map((e) => ({ userId: e.mentioned.id as string, name: (e.mentioned.name as string) ?? '', text: (e.text as string) ?? '' }));
    const command = parseCommand(activity.text ?? '', mentions, activity.recipient.id);
    const place = placeOf(context);
    const caller = callerOf(context);

    switch (command.type) {
      case 'help':
        await sendCard(context, helpCard());
        return;
      case 'unknown':
        await sendCard(context, helpCard("I didn't catch that. Here is what I can do:"));
        return;
      case 'mine':
        if (!caller) return cannotIdentify(context);
        await this.sendMine(context, caller, place);
        return;
      case 'missed':
        if (!caller) return cannotIdentify(context);
        await this.sendMissed(context, caller, place);
        return;
      case 'settings':
        if (!caller) return cannotIdentify(context);
        await this.parts.forms.sendSettings(context, caller, place);
        return;
      case 'preferences':
        if (!caller) return cannotIdentify(context);
        await this.parts.forms.sendPreferences(context, caller, place);
        return;
      case 'board':
        if (!place || !caller) {
          await context.sendActivity('The board belongs to a team or group chat: ask me there with @Noticed board.');
          return;
        }
        await this.parts.teams.ensureBoard(context, place);
        await this.parts.teams.ensureMember(context, place, caller);
        await this.sendBoard(context, caller, place);
        return;
      case 'digest':
        if (!place || !caller) {
          await context.sendActivity('The digest belongs to a team or group chat: ask me there with @Noticed digest.');
          return;
        }
        await this.parts.teams.ensureBoard(context, place);
        await this.parts.teams.ensureMember(context, place, caller);
        // The digest as the conversation would get it now, so nobody has to wait a week to see one.
        await sendCard(context, digestCard(await this.parts.habits.digestNow(caller, place.boardId)));
        return;
      case 'credit':
        if (!place) {
          await context.sendActivity('Give credit where the team can see it: mention me in a team or group chat, e.g. @Noticed credit @Ana for …');
          return;
        }
        if (!caller) return cannotIdentify(context);
        if (command.creditsBot) {
          await context.sendActivity(`${activity.recipient.name || 'Noticed'} is a bot. Credit the people behind it.`);
          return;
        }
        if (!command.recipients.length) {
          await context.sendActivity('Mention who you want to credit, e.g. @Noticed credit @Ana for catching the bug before release #caught');
          return;
        }
        if (!command.reason) {
          await context.sendActivity('Say what they did, so the credit means something: @Noticed credit @Ana for …');
          return;
        }
        await this.giveCredit(context, place, caller, command.recipients, command.reason, command.kind);
    }
  }

  /**
   * The board, the giver and the people mentioned are read once, with the giver's latest
   * credits, and that one read goes on to core: in the common case (board and people known)
   * nothing else is read before the credit is written. Teams is asked only for whom the
   * roster does not know yet.
   */
  private async giveCredit(context: TurnContext, place: BoardPlace, caller: Caller, mentioned: Mention[], reason: string, kind?: string): Promise<void> {
    const { teams, noticed, posting } = this.parts;
    try {
      let found = await this.creditContext(caller, place, mentioned);
      if (!found.board) {
        await teams.ensureBoard(context, place);
        found = await this.creditContext(caller, place, mentioned);
      }
      if (!found.member(caller.userId)) await teams.addCaller(context, place);
      const recipients: Array<{ userId: string }> = [];
      for (const m of mentioned) {
        if (isBotId(m.userId)) {
          await context.sendActivity(`${m.name || 'That'} is a bot. Credit the people behind it.`);
          return;
        }
        const member = found.memberByChannelId(m.userId) ?? (await teams.fetchMember(context, place, m.userId));
        if (!member) {
          await context.sendActivity(`I can't find ${m.name || 'that person'} in this team, so I can't credit them here.`);
          return;
        }
        recipients.push({ userId: member.userId });
      }
      // Core answers a redelivery or a resend of the same credit with the first one.
      const given = await noticed.giveCredit(caller, place.boardId, { recipients, message: reason, kind }, 'bot', found);
      await posting.postCredit(context, caller, place, given, { toGiver: true, pointToFirst: true, giverNotice: given.madePrivate ? MADE_PRIVATE : undefined });
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      await context.sendActivity(text);
    }
  }

  /** What core reads for the credit; a store that cannot answer is a roster that cannot be checked. */
  private async creditContext(caller: Caller, place: BoardPlace, mentioned: Mention[]): Promise<CreditContext> {
    try {
      return await this.parts.noticed.creditContext(caller, place.boardId, { channelUserIds: mentioned.filter((m) => !isBotId(m.userId)).map((m) => m.userId) });
    } catch (error) {
      this.parts.log.warn({ err: error }, 'roster read failed');
      throw new RosterUnreachable(error);
    }
  }

  private async sendBoard(context: TurnContext, caller: Caller, place: BoardPlace): Promise<void> {
    const summary = await this.parts.noticed.boardSummary(caller, place.boardId);
    await sendCard(context, boardCard(summary.board.name, summary));
  }

  /** In a team or group chat only board credits: the private ones are shown in the personal chat. */
  private async sendMine(context: TurnContext, caller: Caller, place: BoardPlace | undefined): Promise<void> {
    const audience = audienceOf(context);
    const { received, given } = await this.parts.noticed.myCredits(caller, audience, place?.boardId);
    await sendCard(context, mineCard(received, given, { privateElsewhere: audience === 'shared' }));
  }

  /** Leads only, and always in the personal chat: the unnoticed list is never shown to a team. */
  private async sendMissed(context: TurnContext, caller: Caller, place: BoardPlace | undefined): Promise<void> {
    const { noticed } = this.parts;
    const boards = place ? [{ id: place.boardId }] : (await noticed.boardsOf(caller)).filter((b) => b.role === 'lead').map((b) => ({ id: b.board.id }));
    const cards: Card[] = [];
    for (const { id } of boards) {
      try {
        const { board } = await noticed.requireLead(caller, id);
        cards.push(missedCard(board.name, await noticed.insights(caller, id, 30)));
      } catch (error) {
        const text = refusal(error);
        if (!text) throw error;
        await context.sendActivity(place && !(error instanceof NoLeadYet) ? 'Only the leads of this board can ask who has gone unnoticed.' : text);
        return;
      }
    }
    if (!cards.length) {
      await context.sendActivity('You do not lead any board yet. The person who adds Noticed to a team leads its board.');
      return;
    }
    if (context.activity.conversation.conversationType === 'personal') {
      for (const c of cards) await sendCard(context, c);
      return;
    }
    await this.parts.posting.sendPrivately(context, cards);
    await context.sendActivity("I've sent you the list in our private chat.");
  }
}

async function cannotIdentify(context: TurnContext): Promise<void> {
  await context.sendActivity('I could not tell who you are from this message, so I cannot record credit for you.');
}
