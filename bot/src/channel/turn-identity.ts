import { TurnContext } from 'botbuilder';
import type { Audience, BoardPlace, Caller } from '../../../core';

/** The tenant an activity comes from, lower-cased as the allow-list holds it. */
export function tenantOf(context: TurnContext): string {
  const data = context.activity.channelData as { tenant?: { id?: string } } | undefined;
  return (data?.tenant?.id ?? context.activity.conversation?.tenantId ?? '').toLowerCase();
}

/** A personal chat holds the caller alone; a team or group chat holds others too. */
export function audienceOf(context: TurnContext): Audience {
  return context.activity.conversation?.conversationType === 'personal' ? 'personal' : 'shared';
}

/** The person who acts, by their Entra object id; undefined when Teams did not say. */
export function callerOf(context: TurnContext): Caller | undefined {
  const from = context.activity.from;
  if (!from?.aadObjectId) return undefined;
  return { tenantId: tenantOf(context), userId: from.aadObjectId, name: from.name || 'Someone' };
}

/** The board this conversation belongs to: the team for channels, the chat itself for group chats. */
export function placeOf(context: TurnContext): BoardPlace | undefined {
  const { activity } = context;
  const tenantId = tenantOf(context);
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
