import { type Activity, CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Board, Digest, HabitPoster, Member, Nudge, PostOutcome, Reminder } from '../../../core';
import { boundConnectorCalls } from './bot-adapter';
import type { Card } from './credit-cards';
import { digestCard, nudgeCard, reminderCard } from './habit-cards';

/** Teams throttled without saying how long to wait: a minute, then a later tick tries again. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** The pipeline shape of the connector client, as bot-adapter.ts reaches it. */
interface Pipeline {
  removePolicy?: (options: { name: string }) => unknown;
}

/** Where a post goes: the board's conversation, or a personal chat with one member. */
type Destination = { conversation: 'board' } | { conversation: 'personal'; member: Member };

/**
 * Posts the habits' cards without being spoken to: the digest to the board's stored
 * conversation reference, nudges and reminders in a personal chat with the member. It
 * reports what Teams answered and decides nothing: the scheduler in core records, retries
 * or gives up.
 */
export class ProactiveSender implements HabitPoster {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's Microsoft App ID, empty in local mode. */
    private readonly appId: string,
  ) {}

  async digest(board: Board, digest: Digest): Promise<PostOutcome> {
    return this.post(board, { conversation: 'board' }, digestCard(digest));
  }

  async nudge(board: Board, lead: Member, nudge: Nudge): Promise<PostOutcome> {
    return this.post(board, { conversation: 'personal', member: lead }, nudgeCard(nudge));
  }

  async reminder(board: Board, member: Member, reminder: Reminder): Promise<PostOutcome> {
    return this.post(board, { conversation: 'personal', member }, reminderCard(reminder));
  }

  /** Any card, in a personal chat with the member (the credit notices' way out: credit-notice-sender.ts). */
  async toMember(board: Board, member: Member, c: Card): Promise<PostOutcome> {
    return this.post(board, { conversation: 'personal', member }, c);
  }

  /**
   * Continues the board's conversation for a connector client of its service, and posts with
   * that client: to the board's conversation, or to the personal chat it opens (or finds:
   * Teams keeps one per person) with the member.
   */
  private async post(board: Board, to: Destination, c: Card): Promise<PostOutcome> {
    const reference = referenceOf(board);
    if (!reference || (to.conversation === 'personal' && !to.member.channelUserId)) return { outcome: 'unreachable' };
    let result: { activityId?: string } | { error: unknown } | undefined;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        // Caught here: the adapter hands an error thrown in the turn to its turn error handler, which would swallow it and a failed post would look sent.
        try {
          result = { activityId: await postOnce(context, board, to, c) };
        } catch (error) {
          result = { error };
        }
      });
    } catch (error) {
      result = { error };
    }
    if (!result) return { outcome: 'unknown' };
    if ('error' in result) return failureOf(result.error);
    return result.activityId ? { outcome: 'sent', activityId: result.activityId } : { outcome: 'sent' };
  }
}

/**
 * The board's stored reference, if it holds what a proactive post needs, made to start a new
 * message: the reference was kept from an activity in a channel thread (`;messageid=` and its
 * activity id), and a digest is not a reply to whatever was said when Noticed was added.
 */
function referenceOf(board: Board): (Partial<ConversationReference> & { serviceUrl: string }) | undefined {
  const reference = board.conversationReference as Partial<ConversationReference> | undefined;
  if (!reference?.serviceUrl || !reference.conversation?.id) return undefined;
  const { activityId: _reply, ...rest } = reference;
  return { ...rest, serviceUrl: reference.serviceUrl, conversation: { ...reference.conversation, id: reference.conversation.id.split(';messageid=')[0] } };
}

/**
 * Posts the card as a new message (sendActivity would make it a reply to the adapter's
 * made-up continuation activity), each call made once. The connector client's own retry
 * policy is taken off: it would sleep inside through a 429's Retry-After, and retry a 5xx
 * whose post may already have reached the chat, which would post it twice.
 */
async function postOnce(context: TurnContext, board: Board, to: Destination, c: Card): Promise<string | undefined> {
  const client = context.turnState.get((context.adapter as CloudAdapter).ConnectorClientKey) as ConnectorClient;
  (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline?.removePolicy?.({ name: 'defaultRetryPolicy' });
  boundConnectorCalls(client);
  const bot = context.activity.recipient;
  let conversationId = context.activity.conversation.id;
  if (to.conversation === 'personal') {
    const opened = await client.conversations.createConversation({
      isGroup: false,
      bot,
      members: [{ id: to.member.channelUserId as string, name: to.member.name }],
      tenantId: board.tenantId,
      channelData: { tenant: { id: board.tenantId } },
      activity: undefined as never,
    });
    conversationId = opened.id;
  }
  const sent = await client.conversations.sendToConversation(conversationId, { type: 'message', from: bot, attachments: [CardFactory.adaptiveCard(c)] } as Activity);
  return sent?.id;
}

/** What Teams' refusal means for the send: only a refusal before posting is known not to have posted. */
function failureOf(error: unknown): PostOutcome {
  const status = statusOf(error);
  if (status === 429) return { outcome: 'throttled', retryAfterMs: retryAfterMs(error) };
  // 403: the bot was removed from the team or chat, or the person blocked it; 404: the conversation is gone.
  if (status === 403 || status === 404) return { outcome: 'unreachable' };
  return { outcome: 'unknown' };
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } } | undefined;
  const status = e?.statusCode ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Retry-After in seconds or as an HTTP date, as RFC 9110 allows. */
function retryAfterMs(error: unknown): number {
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | undefined } } })?.response?.headers;
  const value = headers?.get?.('retry-after');
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : DEFAULT_RETRY_AFTER_MS;
}
