import { randomUUID } from 'node:crypto';
import { CardFactory, type MessagingExtensionAction, type MessagingExtensionActionResponse, type TurnContext } from 'botbuilder';
import { htmlToText, isKind, MADE_PRIVATE, messageExcerpt, suggestKind } from '../../../core';
import type { ChannelParts } from './channel-parts';
import { messageCreditFormCard } from './credit-cards';
import { refusal, taskMessage } from './replies';
import { callerOf, placeOf } from './turn-identity';

const OUTSIDE_A_BOARD = 'Give credit from a message in a team or group chat where Noticed is added.';

/** The message extension's "Give credit" action on any message: its form, then the credit. */
export class MessageExtension {
  constructor(private readonly parts: ChannelParts) {}

  /** The form, prefilled with the message's author and an excerpt of the message. */
  async fetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const place = placeOf(context);
    const caller = callerOf(context);
    if (!place || !caller) return taskMessage(OUTSIDE_A_BOARD);
    await this.parts.teams.ensureBoard(context, place);
    await this.parts.teams.ensureMember(context, place, caller);
    let roster;
    try {
      roster = await this.parts.noticed.roster(caller, place.boardId, { withoutCaller: true });
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      return taskMessage(text);
    }
    const payload = action.messagePayload;
    const text = htmlToText(payload?.body?.content ?? '');
    const authorId = payload?.from?.user?.id;
    const form = messageCreditFormCard({
      roster,
      authorId: roster.some((m) => m.userId === authorId) ? authorId : undefined,
      excerpt: messageExcerpt(text),
      suggested: suggestKind(text),
      formKey: randomUUID(),
    });
    return { task: { type: 'continue', value: { title: 'Give credit', height: 'large', width: 'medium', card: CardFactory.adaptiveCard(form) } } };
  }

  /** The form submitted: one credit with the message as evidence, and a line that closes the dialog. */
  async submitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const place = placeOf(context);
    const caller = callerOf(context);
    if (!place || !caller) return taskMessage(OUTSIDE_A_BOARD);
    const data = (action.data ?? {}) as Record<string, unknown>;
    const payload = action.messagePayload;
    const people = String(data.people ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const link = payload?.linkToMessage;
    try {
      const given = await this.parts.noticed.giveCredit(
        caller,
        place.boardId,
        {
          recipients: people.map((userId) => ({ userId })),
          message: String(data.message ?? ''),
          kind: isKind(data.kind) ? data.kind : undefined,
          visibility: data.private === 'true' ? 'private' : 'board',
          evidence: link ? { type: 'teams-message', url: link, title: 'The Teams message', ref: payload?.id } : undefined,
        },
        'message-extension',
      );
      // A private credit reaches its recipients in personal chats; the giver reads this confirmation alone.
      await this.parts.posting.postCredit(context, caller, place, given, { toGiver: false });
      const { recognition } = given;
      const who = recognition.recipients.map((r) => r.name).join(', ');
      // The giver chose a board credit: they are told why it became private, as in chat and the API.
      if (given.madePrivate) return taskMessage(`Credit sent privately to ${who}. ${MADE_PRIVATE}`);
      return taskMessage(recognition.visibility === 'private' ? `Credit sent privately to ${who}: only you and them can see it.` : `Credit posted for ${who}.`);
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      return taskMessage(text);
    }
  }
}
