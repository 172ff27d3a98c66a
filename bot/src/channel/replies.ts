import { type AdaptiveCardInvokeResponse, CardFactory, type MessagingExtensionActionResponse, type ResourceResponse, type TurnContext } from 'botbuilder';
import { DomainError, asStoreFault } from '../../../core';
import type { Card } from './credit-cards';
import { RosterUnreachable } from './teams-roster';

const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

/** What chat shows when the store failed for a moment: a resend is safe, since a credit already saved is found again, not saved twice. */
export const STORE_UNAVAILABLE_REPLY = "I couldn't save that just now — nothing was recorded twice; please send it again.";

/** A refusal to show in chat: the domain's own words, or a short default. */
export function refusal(error: unknown): string | undefined {
  if (error instanceof RosterUnreachable) return 'I could not reach Teams to check the roster, try again.';
  if (asStoreFault(error) || (error instanceof DomainError && error.code === 'unavailable')) return STORE_UNAVAILABLE_REPLY;
  if (error instanceof DomainError) return error.message;
  return undefined;
}

/** Posts one Adaptive Card to the conversation. */
export async function sendCard(context: TurnContext, c: Card): Promise<ResourceResponse | undefined> {
  return context.sendActivity({ attachments: [CardFactory.adaptiveCard(c)] });
}

/** The answer to a card action that shows a card in place. */
export function cardResponse(card: Card): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_RESPONSE, value: card };
}

/** The answer to a card action that shows a line of text. */
export function message(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: MESSAGE_RESPONSE, value: text as never };
}

/** The answer to a message extension that closes its dialog on a line of text. */
export function taskMessage(text: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: text } };
}
