import { randomUUID } from 'node:crypto';
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { isKind } from '../../../core';
import type { ChannelParts } from './channel-parts';
import { creditCard } from './credit-cards';
import { GIVE_FORM_VERB, GIVE_SUBMIT_VERB, giveCreditFormCard } from './habit-cards';
import { cardResponse, message, refusal } from './replies';
import { callerOf, placeOf } from './turn-identity';

/** The Give credit button of digests, nudges and reminders, and the form it opens. */
export class HabitActions {
  constructor(private readonly parts: ChannelParts) {}

  /** True for the verbs this class answers. */
  static handles(verb: string | undefined): boolean {
    return verb === GIVE_FORM_VERB || verb === GIVE_SUBMIT_VERB;
  }

  async handle(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const { noticed, teams, posting } = this.parts;
    const caller = callerOf(context);
    const place = placeOf(context);
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    // In the board's conversation the board is the conversation's. Nudges and reminders come to a
    // personal chat, so the card names the board; that is safe because every call below checks the
    // verified caller is on that board, so forged card data cannot reach a board they are not on.
    const boardId = place?.boardId ?? (typeof data.boardId === 'string' ? data.boardId : '');
    if (!caller || !boardId || (place && data.boardId && data.boardId !== place.boardId)) return message('This card no longer belongs to a board I can find.');
    try {
      if (place) await teams.ensureMember(context, place, caller);
      if (value.action.verb === GIVE_FORM_VERB) {
        const roster = await noticed.roster(caller, boardId, { withoutCaller: true });
        return cardResponse(giveCreditFormCard({ boardId, roster, userId: typeof data.userId === 'string' ? data.userId : undefined, formKey: randomUUID() }));
      }
      const people = String(data.people ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const given = await noticed.giveCredit(
        caller,
        boardId,
        { recipients: people.map((userId) => ({ userId })), message: String(data.message ?? ''), kind: isKind(data.kind) ? data.kind : undefined, visibility: data.private === 'true' ? 'private' : 'board' },
        'bot',
      );
      const { recognition } = given;
      if (place) {
        await posting.postCredit(context, caller, place, given, { toGiver: true });
        return message(recognition.visibility === 'private' ? 'Credit sent privately: only you and them can see it.' : 'Credit posted. Thank you for noticing.');
      }
      // In a personal chat the clicker alone reads the answer: their credit, as they see it; its people are told privately.
      posting.tellPrivately(given);
      return cardResponse(creditCard(recognition, caller.userId));
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      return message(text);
    }
  }
}
