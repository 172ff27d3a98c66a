import { randomUUID } from 'node:crypto';
import { type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, CardFactory, type TurnContext } from 'botbuilder';
import { isKind } from '../../../core';
import type { ChannelParts } from './channel-parts';
import { type Card, creditCard, inspireFormCard } from './credit-cards';
import { HabitActions } from './habit-actions';
import { cardResponse, message, refusal } from './replies';
import { callerOf, placeOf } from './turn-identity';

/** The buttons on credit cards (Universal Actions): endorse, refresh, and passing credit on. */
export class CardActions {
  private readonly habits: HabitActions;

  constructor(private readonly parts: ChannelParts) {
    this.habits = new HabitActions(parts);
  }

  /** Answers one card action with the card as the clicker should now see it, or a line of text. */
  async handle(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const { noticed, teams, posting } = this.parts;
    // The habit cards' Give credit comes to personal chats too, where no board is the conversation's.
    if (HabitActions.handles(value.action?.verb)) return this.habits.handle(context, value);
    const place = placeOf(context);
    const caller = callerOf(context);
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    const creditId = typeof data.creditId === 'string' ? data.creditId : '';
    // The board comes from the verified conversation, never from card data.
    if (!place || !caller || !creditId || (data.boardId && data.boardId !== place.boardId)) {
      return message('This card no longer belongs to a board I can find.');
    }
    try {
      await teams.ensureMember(context, place, caller);
      switch (value.action.verb) {
        case 'endorse': {
          const { recognition } = await noticed.endorse(caller, place.boardId, creditId);
          const { audience, mentions } = await noticed.cardPeople(caller, place.boardId, recognition);
          // Everyone's copy gets the new count, its mentions kept; the clicker gets their own view.
          await this.updateCard(context, creditCard(recognition, undefined, audience, mentions));
          return cardResponse(creditCard(recognition, caller.userId, audience, mentions));
        }
        case 'refresh': {
          // Teams asks once per viewer: the answer is the card as this person should see it.
          const rec = await noticed.credit(caller, place.boardId, creditId);
          const { audience, mentions } = await noticed.cardPeople(caller, place.boardId, rec);
          return cardResponse(creditCard(rec, caller.userId, audience, mentions));
        }
        case 'inspireForm': {
          const { origin, candidates } = await noticed.passOnCandidates(caller, place.boardId, creditId);
          return cardResponse(inspireFormCard(origin, candidates, randomUUID()));
        }
        case 'inspireSubmit': {
          const people = String(data.people ?? '').split(',').map((s) => s.trim()).filter(Boolean);
          const given = await noticed.giveCredit(
            caller,
            place.boardId,
            { recipients: people.map((userId) => ({ userId })), message: String(data.message ?? ''), kind: isKind(data.kind) ? data.kind : undefined, inspiredBy: creditId },
            'bot',
          );
          await posting.postCredit(context, caller, place, given, { toGiver: true });
          const win = await noticed.credit(caller, place.boardId, creditId);
          const { audience, mentions } = await noticed.cardPeople(caller, place.boardId, win);
          return cardResponse(creditCard(win, caller.userId, audience, mentions));
        }
        default:
          return message('That button is not one I know.');
      }
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      return message(text);
    }
  }

  private async updateCard(context: TurnContext, updated: Card): Promise<void> {
    const id = context.activity.replyToId;
    if (!id) return;
    try {
      await context.updateActivity({ id, type: 'message', attachments: [CardFactory.adaptiveCard(updated)] });
    } catch (error) {
      // The clicker already sees the new count in the invoke response; others see it on refresh.
      this.parts.log.warn({ err: error }, 'could not update the shared card');
    }
  }
}
