import { CardFactory, type ChannelAccount, type CloudAdapter, type TurnContext } from 'botbuilder';
import { type BoardPlace, type Caller, type CreditNotices, type GivenCredit, mayShowIn, type Noticed, type Rosters, stripUndefined } from '../../../core';
import { afterAnswer } from './bot-adapter';
import { type Card, creditCard } from './credit-cards';
import { sendCard } from './replies';
import { audienceOf, tenantOf } from './turn-identity';

/** Where a credit's card goes: this conversation, or the personal chats of its people. */
export class CreditPosting {
  constructor(
    private readonly noticed: Noticed,
    private readonly rosters: Rosters,
    /** The bot's Microsoft App ID, empty in local mode; used to open personal chats. */
    private readonly appId: string,
    /** Tells, after the turn, whoever should hear of a credit privately (core decides who). */
    private readonly notices?: Pick<CreditNotices, 'notify'>,
  ) {}

  /**
   * Posts a credit's card where it may be seen, unless it reached there already: a board
   * credit to this conversation; a private one, when this conversation holds others too,
   * only to its people's personal chats. A credit whose first turn committed but lost its card
   * (the connector failed) gets it on the retry. With `pointToFirst`, a resend of a posted
   * credit is told where its card is, but only where the card could be seen. A `giverNotice`
   * goes on the giver's own copy of a private card only (why it was made private).
   */
  async postCredit(context: TurnContext, caller: Caller, place: BoardPlace, given: GivenCredit, options: { toGiver: boolean; pointToFirst?: boolean; giverNotice?: string }): Promise<void> {
    const { recognition: rec, created, people: known } = given;
    const visibleHere = mayShowIn(rec, audienceOf(context));
    const posted = rec.postedCard;
    if (!created && posted) {
      // Teams redelivering the very activity the card answered: it has its answer.
      if (options.pointToFirst && visibleHere && posted.inReplyTo !== context.activity.id) await context.sendActivity('Already credited — see the card above.');
      return;
    }
    const { audience, mentions } = await this.noticed.cardPeople(caller, place.boardId, rec, known);
    const card = creditCard(rec, undefined, audience, mentions);
    if (visibleHere) {
      const sent = await sendCard(context, card);
      // The card is in the chat: noting where (for a retry) and the notices need not hold up Teams'
      // answer. Read from the turn now: its context is revoked once the turn is over.
      const noted = stripUndefined({ activityId: sent?.id, inReplyTo: context.activity.id });
      await afterAnswer(context, async () => {
        await this.noticed.recordCard(caller, place.boardId, rec.id, noted);
        this.notices?.notify(given, 'board-conversation');
      });
      return;
    }
    const people = rec.recipients.flatMap((r) => (r.userId ? [r.userId] : []));
    for (const person of await this.rosters.reachable(rec.tenantId, rec.boardId, people, known)) {
      await this.sendPrivately(context, [card], { id: person.channelUserId, name: person.name });
    }
    const giverCard = options.giverNotice ? { ...card, body: [...(card.body as Card[]), { type: 'TextBlock', text: options.giverNotice, wrap: true }] } : card;
    for (const giver of options.toGiver ? await this.rosters.reachable(rec.tenantId, rec.boardId, [rec.giver.userId], known) : []) {
      await this.sendPrivately(context, [giverCard], { id: giver.channelUserId, name: giver.name });
    }
    const inReplyTo = context.activity.id;
    await afterAnswer(context, async () => {
      await this.noticed.recordCard(caller, place.boardId, rec.id, { inReplyTo });
      this.notices?.notify(given, 'personal-chats');
    });
  }

  /** A credit whose card reached no one but its giver (given from a personal chat): its people are told privately, after the turn. */
  tellPrivately(given: GivenCredit): void {
    this.notices?.notify(given, 'nowhere');
  }

  /** Sends the cards in a personal chat with one person: the caller unless told otherwise. */
  async sendPrivately(context: TurnContext, cards: Card[], to: ChannelAccount = context.activity.from): Promise<void> {
    const { activity } = context;
    const tenantId = tenantOf(context);
    const adapter = context.adapter as CloudAdapter;
    await adapter.createConversationAsync(
      this.appId,
      activity.channelId,
      activity.serviceUrl,
      'https://api.botframework.com',
      { isGroup: false, bot: activity.recipient, members: [to], tenantId, channelData: { tenant: { id: tenantId } }, activity: undefined as never },
      async (personal) => {
        for (const c of cards) await personal.sendActivity({ attachments: [CardFactory.adaptiveCard(c)] });
      },
    );
  }
}
