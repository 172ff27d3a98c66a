import { type AdaptiveCardInvokeResponse, CardFactory, type MessagingExtensionActionResponse, type ResourceResponse, type TurnContext } from 'botbuilder';
import { DomainError } from '../../../core';
import type { Card } from './credit-cards';
import { RosterUnreachable } from './teams-roster';

const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

/** A refusal to show in chat: the domain's own words, or a short default. */
export function refusal(error: unknown): string | undefined {
  if (error instanceof RosterUnreachable) return 'I could not reach Teams to check the roster, try again.';
  if (error instanceof DomainError && error.code !== 'unavailable') return error.message;
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
