import { randomUUID } from 'node:crypto';
import type { TeamsMember } from './local-connector';

/** Where activities come from: the tenant, the connector to answer, and the team if any. */
export interface Where {
  tenantId: string;
  serviceUrl: string;
  team: { id: string; name: string };
  bot: { id: string; name: string };
}

type Person = TeamsMember;
type Mentionable = Person | { id: string; name: string };

const account = (p: Person) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId });

function base(where: Where, from: Mentionable, conversation: Record<string, unknown>, channelData: Record<string, unknown>) {
  return {
    id: `1732${Math.floor(Math.random() * 1e9)}`,
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    from: 'aadObjectId' in from ? account(from) : from,
    recipient: where.bot,
    conversation: { tenantId: where.tenantId, ...conversation },
    channelData: { tenant: { id: where.tenantId }, ...channelData },
    locale: 'en-US',
  };
}

const channel = (where: Where) => ({ isGroup: true, conversationType: 'channel', id: `${where.team.id};messageid=1732100000000` });
const teamData = (where: Where) => ({ teamsChannelId: where.team.id, teamsTeamId: where.team.id, channel: { id: where.team.id }, team: { id: where.team.id, name: where.team.name } });

/** Text with Teams mention markup, and the matching mention entities. */
export function withMentions(parts: Array<string | Mentionable>): { text: string; entities: unknown[] } {
  const entities: unknown[] = [];
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const tag = `<at>${p.name}</at>`;
      entities.push({ type: 'mention', text: tag, mentioned: { id: p.id, name: p.name } });
      return tag;
    })
    .join('');
  return { text, entities };
}

/** A message in a team channel, as Teams posts it to the bot. */
export function channelMessage(where: Where, from: Person, parts: Array<string | Mentionable>, id?: string) {
  const { text, entities } = withMentions(parts);
  return { ...base(where, from, channel(where), teamData(where)), ...(id ? { id } : {}), type: 'message', textFormat: 'plain', text, entities: [...entities, { type: 'clientInfo', locale: 'en-US', platform: 'Web' }] };
}

/** A message in a group chat. */
export function groupChatMessage(where: Where, chatId: string, from: Person, parts: Array<string | Mentionable>) {
  const { text, entities } = withMentions(parts);
  return { ...base(where, from, { isGroup: true, conversationType: 'groupChat', id: chatId }, {}), type: 'message', text, entities };
}

/** A message in the personal chat with the bot. */
export function personalMessage(where: Where, from: Person, text: string) {
  return { ...base(where, from, { conversationType: 'personal', id: `a:1personal-${from.aadObjectId}` }, {}), type: 'message', text };
}

/** The conversationUpdate Teams sends when someone adds the bot to a team. */
export function botInstalledInTeam(where: Where, installer: Person) {
  return { ...base(where, installer, channel(where), { ...teamData(where), eventType: 'teamMemberAdded' }), type: 'conversationUpdate', membersAdded: [{ id: where.bot.id }] };
}

/** Members added to or removed from the team. */
export function membersChanged(where: Where, by: Person, change: 'added' | 'removed', people: Person[]) {
  const list = people.map((p) => ({ id: p.id, aadObjectId: p.aadObjectId }));
  return {
    ...base(where, by, channel(where), { ...teamData(where), eventType: change === 'added' ? 'teamMemberAdded' : 'teamMemberRemoved' }),
    type: 'conversationUpdate',
    ...(change === 'added' ? { membersAdded: list } : { membersRemoved: list }),
  };
}

/** The team was renamed. */
export function teamRenamed(where: Where, by: Person, name: string) {
  return { ...base(where, by, channel(where), { ...teamData(where), team: { id: where.team.id, name }, eventType: 'teamRenamed' }), type: 'conversationUpdate' };
}

/** A click on an Action.Execute button of a card the bot posted. */
export function cardAction(where: Where, from: Person, verb: string, data: Record<string, unknown>, replyToId = 'act-card') {
  return {
    ...base(where, from, channel(where), teamData(where)),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
  };
}

/** A click on an Action.Execute button of a card the bot posted in the personal chat. */
export function personalCardAction(where: Where, from: Person, verb: string, data: Record<string, unknown>, replyToId = 'act-card') {
  return {
    ...base(where, from, { conversationType: 'personal', id: `a:1personal-${from.aadObjectId}` }, {}),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
  };
}

/** A Teams message as a message extension receives it. */
export function messagePayload(where: Where, author: Person, html: string) {
  return {
    id: '1732100000123',
    createdDateTime: new Date().toISOString(),
    messageType: 'message',
    linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(where.team.id)}/1732100000123`,
    from: { user: { id: author.aadObjectId, displayName: author.name, userIdentityType: 'aadUser' } },
    body: { contentType: 'html', content: html },
  };
}

/** The message extension opening its "Give credit" form on someone's message. */
export function fetchTask(where: Where, from: Person, payload: ReturnType<typeof messagePayload>) {
  return {
    ...base(where, from, channel(where), teamData(where)),
    type: 'invoke',
    name: 'composeExtension/fetchTask',
    value: { commandId: 'giveCredit', commandContext: 'message', context: { theme: 'default' }, messagePayload: payload },
  };
}

/** The message extension form submitted. */
export function submitAction(where: Where, from: Person, payload: ReturnType<typeof messagePayload>, data: Record<string, unknown>, id?: string) {
  return {
    ...base(where, from, channel(where), teamData(where)),
    ...(id ? { id } : {}),
    type: 'invoke',
    name: 'composeExtension/submitAction',
    value: { commandId: 'giveCredit', commandContext: 'message', context: { theme: 'default' }, data, messagePayload: payload },
  };
}
