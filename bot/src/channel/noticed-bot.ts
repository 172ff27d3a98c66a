import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  ActivityTypes,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  CardFactory,
  type ChannelAccount,
  type CloudAdapter,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type ResourceResponse,
  type TeamsChannelAccount,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import { type Audience, type BoardPlace, type Caller, DomainError, htmlToText, isBotId, isKind, mayShowIn, type Mention, messageExcerpt, NO_LEAD_YET, type Noticed, parseCommand, type Recognition, type RosterEntry, type Rosters, stripUndefined, suggestKind } from '../../../core';
import { type Card, boardCard, creditCard, helpCard, inspireFormCard, messageCreditFormCard, mineCard, missedCard, welcomeCard } from './credit-cards';

/** What the bot is built from. */
export interface BotDeps {
  noticed: Noticed;
  rosters: Rosters;
  log: Logger;
  /** The bot's Microsoft App ID, empty in local mode; used to open personal chats. */
  appId: string;
  /** Tenants whose activities the bot serves. */
  allowedTenants: readonly string[];
}

const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

/** A roster lookup that could not ask Teams (or the store): not knowing is not "not there". */
class RosterUnreachable extends Error {
  constructor(cause: unknown) {
    super('the roster could not be checked', { cause });
    this.name = 'RosterUnreachable';
  }
}

/** A refusal to show in chat: the domain's own words, or a short default. */
function refusal(error: unknown): string | undefined {
  if (error instanceof RosterUnreachable) return 'I could not reach Teams to check the roster, try again.';
  if (error instanceof DomainError && error.code !== 'unavailable') return error.message;
  return undefined;
}

/**
 * The Teams channel adapter: turns activities into domain calls and results into cards.
 * Every rule (who may credit whom, limits, idempotency) lives in core.
 */
export class NoticedBot extends TeamsActivityHandler {
  private readonly allowedTenants: ReadonlySet<string>;

  constructor(private readonly deps: BotDeps) {
    super();
    this.allowedTenants = new Set(deps.allowedTenants.map((t) => t.toLowerCase()));
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onTeamsMembersAddedEvent(async (membersAdded, _team, context, next) => {
      await this.handleMembersAdded(context, membersAdded);
      await next();
    });
    this.onTeamsMembersRemovedEvent(async (membersRemoved, _team, context, next) => {
      const place = this.placeOf(context);
      if (place && membersRemoved.some((m) => m.id === context.activity.recipient.id)) {
        this.deps.log.info({ boardId: place.boardId }, 'Noticed was removed; the board stays for its history');
      } else if (place) {
        await this.deps.rosters.remove(place.tenantId, place.boardId, membersRemoved.map((m) => m.aadObjectId).filter((id): id is string => Boolean(id)));
      }
      await next();
    });
    this.onTeamsTeamRenamedEvent(async (team, context, next) => {
      const place = this.placeOf(context);
      if (place && team?.name) await this.deps.rosters.rename(place.tenantId, place.boardId, team.name);
      await next();
    });
  }

  /**
   * The tenant allow-list, once, before any handler runs, so no handler can forget it: without
   * it a bot registration shared across tenants would keep boards and rosters for any of them.
   * A person who writes gets a polite answer; roster and team events are ignored.
   */
  protected override async onTurnActivity(context: TurnContext): Promise<void> {
    if (this.tenantAllowed(context)) return super.onTurnActivity(context);
    const { type, name } = context.activity;
    const notEnabled = 'Noticed is not enabled for your organization yet. Ask your Teams admin.';
    if (type === ActivityTypes.Message) {
      await context.sendActivity(notEnabled);
      return;
    }
    // Invokes Noticed answers get an answer of their own type; any other keeps botbuilder's 501.
    const body =
      name === 'adaptiveCard/action' ? message(notEnabled) : name === 'composeExtension/fetchTask' || name === 'composeExtension/submitAction' ? taskMessage(notEnabled) : undefined;
    if (type === ActivityTypes.Invoke && body) await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
  }

  // ---- messages ----

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const mentions: Mention[] = (activity.entities ?? [])
      .filter((e) => e.type === 'mention' && e.mentioned?.id)
      .map((e) => ({ userId: e.mentioned.id as string, name: (e.mentioned.name as string) ?? '', text: (e.text as string) ?? '' }));
    const command = parseCommand(activity.text ?? '', mentions, activity.recipient.id);
    const place = this.placeOf(context);
    const caller = this.callerOf(context);

    switch (command.type) {
      case 'help':
        await this.sendCard(context, helpCard());
        return;
      case 'unknown':
        await this.sendCard(context, helpCard("I didn't catch that. Here is what I can do:"));
        return;
      case 'mine':
        if (!caller) return this.cannotIdentify(context);
        await this.sendMine(context, caller, place);
        return;
      case 'missed':
        if (!caller) return this.cannotIdentify(context);
        await this.sendMissed(context, caller, place);
        return;
      case 'board':
        if (!place || !caller) {
          await context.sendActivity('The board belongs to a team or group chat: ask me there with @Noticed board.');
          return;
        }
        await this.ensureBoard(context, place);
        await this.ensureMember(context, place, caller);
        await this.sendBoard(context, caller, place);
        return;
      case 'credit':
        if (!place) {
          await context.sendActivity('Give credit where the team can see it: mention me in a team or group chat, e.g. @Noticed credit @Ana for …');
          return;
        }
        if (!caller) return this.cannotIdentify(context);
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
        await this.ensureBoard(context, place);
        await this.giveCredit(context, place, caller, command.recipients, command.reason, command.kind);
    }
  }

  private async giveCredit(context: TurnContext, place: BoardPlace, caller: Caller, mentioned: Mention[], reason: string, kind?: string): Promise<void> {
    try {
      await this.ensureMember(context, place, caller);
      const recipients: Array<{ userId: string }> = [];
      for (const m of mentioned) {
        if (isBotId(m.userId)) {
          await context.sendActivity(`${m.name || 'That'} is a bot. Credit the people behind it.`);
          return;
        }
        const member = await this.lookUpMember(context, place, m.userId);
        if (!member) {
          await context.sendActivity(`I can't find ${m.name || 'that person'} in this team, so I can't credit them here.`);
          return;
        }
        recipients.push({ userId: member.userId });
      }
      // Core answers a redelivery or a resend of the same credit with the first one.
      const { recognition, created } = await this.deps.noticed.giveCredit(caller, place.boardId, { recipients, message: reason, kind }, 'bot');
      await this.postCredit(context, caller, place, recognition, created, { toGiver: true, pointToFirst: true });
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      await context.sendActivity(text);
    }
  }

  /**
   * Posts a credit's card where it may be seen, unless it reached there already: a board
   * credit to this conversation; a private one, when this conversation holds others too,
   * only to its people's personal chats. A credit whose first turn committed but lost its card
   * (the connector failed) gets it on the retry. With `pointToFirst`, a resend of a posted
   * credit is told where its card is, but only where the card could be seen.
   */
  private async postCredit(
    context: TurnContext,
    caller: Caller,
    place: BoardPlace,
    rec: Recognition,
    created: boolean,
    options: { toGiver: boolean; pointToFirst?: boolean },
  ): Promise<void> {
    const visibleHere = mayShowIn(rec, this.audienceOf(context));
    const posted = rec.postedCard;
    if (!created && posted) {
      // Teams redelivering the very activity the card answered: it has its answer.
      if (options.pointToFirst && visibleHere && posted.inReplyTo !== context.activity.id) await context.sendActivity('Already credited — see the card above.');
      return;
    }
    const card = creditCard(rec, undefined, await this.deps.noticed.cardAudience(caller, place.boardId, rec));
    if (visibleHere) {
      const sent = await this.sendCard(context, card);
      await this.deps.noticed.recordCard(caller, place.boardId, rec.id, stripUndefined({ activityId: sent?.id, inReplyTo: context.activity.id }));
      return;
    }
    const people = rec.recipients.flatMap((r) => (r.userId ? [r.userId] : []));
    if (options.toGiver) people.push(rec.giver.userId);
    for (const person of await this.deps.rosters.reachable(rec.tenantId, rec.boardId, people)) {
      await this.sendPrivately(context, [card], { id: person.channelUserId, name: person.name });
    }
    await this.deps.noticed.recordCard(caller, place.boardId, rec.id, { inReplyTo: context.activity.id });
  }

  private async sendBoard(context: TurnContext, caller: Caller, place: BoardPlace): Promise<void> {
    const { board, credits, hasLead } = await this.deps.noticed.boardSummary(caller, place.boardId, 7);
    await this.sendCard(context, boardCard(board.name, credits, 7, { hasLead }));
  }

  /** In a team or group chat only board credits: the private ones are shown in the personal chat. */
  private async sendMine(context: TurnContext, caller: Caller, place: BoardPlace | undefined): Promise<void> {
    const audience = this.audienceOf(context);
    const { received, given } = await this.deps.noticed.myCredits(caller, audience, place?.boardId);
    await this.sendCard(context, mineCard(received, given, { privateElsewhere: audience === 'shared' }));
  }

  /** Leads only, and always in the personal chat: the unnoticed list is never shown to a team. */
  private async sendMissed(context: TurnContext, caller: Caller, place: BoardPlace | undefined): Promise<void> {
    const boards = place ? [{ id: place.boardId }] : (await this.deps.noticed.boardsOf(caller)).filter((b) => b.role === 'lead').map((b) => ({ id: b.board.id }));
    const cards: Card[] = [];
    for (const { id } of boards) {
      try {
        const { board } = await this.deps.noticed.requireLead(caller, id);
        cards.push(missedCard(board.name, await this.deps.noticed.insights(caller, id, 30)));
      } catch (error) {
        const text = refusal(error);
        if (!text) throw error;
        await context.sendActivity(place && text !== NO_LEAD_YET ? 'Only the leads of this board can ask who has gone unnoticed.' : text);
        return;
      }
    }
    if (!cards.length) {
      await context.sendActivity('You do not lead any board yet. The person who adds Noticed to a team leads its board.');
      return;
    }
    if (context.activity.conversation.conversationType === 'personal') {
      for (const c of cards) await this.sendCard(context, c);
      return;
    }
    await this.sendPrivately(context, cards);
    await context.sendActivity("I've sent you the list in our private chat.");
  }

  /** Sends the cards in a personal chat with one person: the caller unless told otherwise. */
  private async sendPrivately(context: TurnContext, cards: Card[], to: ChannelAccount = context.activity.from): Promise<void> {
    const { activity } = context;
    const tenantId = this.tenantOf(context);
    const adapter = context.adapter as CloudAdapter;
    await adapter.createConversationAsync(
      this.deps.appId,
      activity.channelId,
      activity.serviceUrl,
      'https://api.botframework.com',
      { isGroup: false, bot: activity.recipient, members: [to], tenantId, channelData: { tenant: { id: tenantId } }, activity: undefined as never },
      async (personal) => {
        for (const c of cards) await personal.sendActivity({ attachments: [CardFactory.adaptiveCard(c)] });
      },
    );
  }

  // ---- cards (Universal Actions) ----

  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const place = this.placeOf(context);
    const caller = this.callerOf(context);
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    const creditId = typeof data.creditId === 'string' ? data.creditId : '';
    // The board comes from the verified conversation, never from card data.
    if (!place || !caller || !creditId || (data.boardId && data.boardId !== place.boardId)) {
      return message('This card no longer belongs to a board I can find.');
    }
    try {
      await this.ensureMember(context, place, caller);
      switch (value.action.verb) {
        case 'endorse': {
          const { recognition } = await this.deps.noticed.endorse(caller, place.boardId, creditId);
          const audience = await this.deps.noticed.cardAudience(caller, place.boardId, recognition);
          // Everyone's copy gets the new count; the clicker gets their own view.
          await this.updateCard(context, creditCard(recognition, undefined, audience));
          return cardResponse(creditCard(recognition, caller.userId, audience));
        }
        case 'refresh': {
          // Teams asks once per viewer: the answer is the card as this person should see it.
          const rec = await this.deps.noticed.credit(caller, place.boardId, creditId);
          return cardResponse(creditCard(rec, caller.userId, await this.deps.noticed.cardAudience(caller, place.boardId, rec)));
        }
        case 'inspireForm': {
          const rec = await this.deps.noticed.credit(caller, place.boardId, creditId);
          const roster = await this.deps.noticed.roster(caller, place.boardId, { withoutCaller: true });
          return cardResponse(inspireFormCard(rec, roster, randomUUID()));
        }
        case 'inspireSubmit': {
          const people = String(data.people ?? '').split(',').map((s) => s.trim()).filter(Boolean);
          const { recognition, created } = await this.deps.noticed.giveCredit(
            caller,
            place.boardId,
            { recipients: people.map((userId) => ({ userId })), message: String(data.message ?? ''), kind: isKind(data.kind) ? data.kind : undefined, inspiredBy: creditId },
            'bot',
          );
          await this.postCredit(context, caller, place, recognition, created, { toGiver: true });
          const win = await this.deps.noticed.credit(caller, place.boardId, creditId);
          return cardResponse(creditCard(win, caller.userId, await this.deps.noticed.cardAudience(caller, place.boardId, win)));
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
      this.deps.log.warn({ err: error }, 'could not update the shared card');
    }
  }

  // ---- message extension ----

  protected override async handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const place = this.placeOf(context);
    const caller = this.callerOf(context);
    if (!place || !caller) return taskMessage('Give credit from a message in a team or group chat where Noticed is added.');
    await this.ensureBoard(context, place);
    await this.ensureMember(context, place, caller);
    let roster;
    try {
      roster = await this.deps.noticed.roster(caller, place.boardId, { withoutCaller: true });
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

  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const place = this.placeOf(context);
    const caller = this.callerOf(context);
    if (!place || !caller) return taskMessage('Give credit from a message in a team or group chat where Noticed is added.');
    const data = (action.data ?? {}) as Record<string, unknown>;
    const payload = action.messagePayload;
    const people = String(data.people ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const link = payload?.linkToMessage;
    try {
      const { recognition, created } = await this.deps.noticed.giveCredit(
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
      await this.postCredit(context, caller, place, recognition, created, { toGiver: false });
      const who = recognition.recipients.map((r) => r.name).join(', ');
      return taskMessage(recognition.visibility === 'private' ? `Credit sent privately to ${who}: only you and them can see it.` : `Credit posted for ${who}.`);
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      return taskMessage(text);
    }
  }

  // ---- install and roster ----

  private async handleMembersAdded(context: TurnContext, added: TeamsChannelAccount[]): Promise<void> {
    const place = this.placeOf(context);
    if (!place) return;
    if (added.some((m) => m.id === context.activity.recipient.id)) {
      const roster = await this.fetchRoster(context);
      // The install event's from is the installer; in Teams it carries ids but no name, so the roster names them.
      const { from } = context.activity;
      const { board, created, newLead } = await this.deps.rosters.install(place, roster, { userId: from?.aadObjectId, channelUserId: from?.id });
      if (created || newLead) await this.sendCard(context, welcomeCard(board.name, newLead?.name));
      return;
    }
    if (!(await this.deps.rosters.hasBoard(place.tenantId, place.boardId))) return;
    for (const m of added) {
      try {
        await this.fetchMember(context, place, m.id);
      } catch (error) {
        // The next message or member event finds them; the event itself has no one to tell.
        if (!(error instanceof RosterUnreachable)) throw error;
      }
    }
  }

  /** Creates the board if the install event was missed (e.g. Noticed was added before an outage); it has no lead until an install. */
  private async ensureBoard(context: TurnContext, place: BoardPlace): Promise<void> {
    await this.deps.rosters.ensureBoard(place, () => this.fetchRoster(context));
  }

  private async ensureMember(context: TurnContext, place: BoardPlace, caller: Caller): Promise<void> {
    const onRoster = await this.deps.rosters.isOnRoster(place.tenantId, place.boardId, caller.userId);
    try {
      if (!onRoster) await this.fetchMember(context, place, context.activity.from.id);
    } catch (error) {
      // Core decides whether the caller is on the board from what the store holds.
      if (!(error instanceof RosterUnreachable)) throw error;
    }
  }

  /** A mentioned person on the board's roster: known already, or asked of Teams and kept. */
  private async lookUpMember(context: TurnContext, place: BoardPlace, channelUserId: string): Promise<{ userId: string } | undefined> {
    let known;
    try {
      known = await this.deps.rosters.byChannelId(place.tenantId, place.boardId, channelUserId);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'roster read failed');
      throw new RosterUnreachable(error);
    }
    return known ?? (await this.fetchMember(context, place, channelUserId));
  }

  /** Asks Teams for one member and keeps them; undefined only when Teams says they are not in the conversation. */
  private async fetchMember(context: TurnContext, place: BoardPlace, channelUserId: string): Promise<RosterEntry | undefined> {
    let account: TeamsChannelAccount;
    try {
      account = await TeamsInfo.getMember(context, channelUserId);
    } catch (error) {
      if (isMemberNotFound(error)) return undefined;
      this.deps.log.warn({ err: error }, 'member lookup failed');
      throw new RosterUnreachable(error);
    }
    const entry = toRosterEntry(account);
    if (!entry) return undefined;
    try {
      await this.deps.rosters.sync(place.tenantId, place.boardId, [entry]);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'roster write failed');
      throw new RosterUnreachable(error);
    }
    return entry;
  }

  /** The whole roster, every page; in a channel the calls go to the team, not the channel. */
  private async fetchRoster(context: TurnContext): Promise<RosterEntry[]> {
    const entries: RosterEntry[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, 500, continuationToken);
      for (const m of page.members) {
        const entry = toRosterEntry(m);
        if (entry) entries.push(entry);
      }
      continuationToken = page.continuationToken || undefined;
    } while (continuationToken);
    return entries;
  }

  // ---- identity ----

  private tenantOf(context: TurnContext): string {
    const data = context.activity.channelData as { tenant?: { id?: string } } | undefined;
    return (data?.tenant?.id ?? context.activity.conversation?.tenantId ?? '').toLowerCase();
  }

  private tenantAllowed(context: TurnContext): boolean {
    // Without this a bot registration shared across tenants would write boards for any of them.
    return this.allowedTenants.has(this.tenantOf(context));
  }

  /** A personal chat holds the caller alone; a team or group chat holds others too. */
  private audienceOf(context: TurnContext): Audience {
    return context.activity.conversation?.conversationType === 'personal' ? 'personal' : 'shared';
  }

  private callerOf(context: TurnContext): Caller | undefined {
    const from = context.activity.from;
    if (!from?.aadObjectId) return undefined;
    return { tenantId: this.tenantOf(context), userId: from.aadObjectId, name: from.name || 'Someone' };
  }

  /** The board this conversation belongs to: the team for channels, the chat itself for group chats. */
  private placeOf(context: TurnContext): BoardPlace | undefined {
    const { activity } = context;
    const tenantId = this.tenantOf(context);
    const team = (activity.channelData as { team?: { id?: string; name?: string } } | undefined)?.team;
    // The reference is kept only when a board is created or found again; built then, not every turn.
    const place = (boardId: string, name: string): BoardPlace => ({
      tenantId,
      boardId,
      name,
      get conversationReference() {
        return TurnContext.getConversationReference(activity);
      },
    });
    if (team?.id) return place(team.id, team.name ?? 'Team');
    if (activity.conversation?.conversationType === 'groupChat') return place(activity.conversation.id, activity.conversation.name ?? 'Group chat');
    return undefined;
  }

  private async cannotIdentify(context: TurnContext): Promise<void> {
    await context.sendActivity('I could not tell who you are from this message, so I cannot record credit for you.');
  }

  private async sendCard(context: TurnContext, c: Card): Promise<ResourceResponse | undefined> {
    return context.sendActivity({ attachments: [CardFactory.adaptiveCard(c)] });
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

function cardResponse(card: Card): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_RESPONSE, value: card };
}

function message(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: MESSAGE_RESPONSE, value: text as never };
}

function taskMessage(text: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: text } };
}
