import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { LOCAL_TENANT_ID } from '../config';
import { DEMO_BOARD_ID, DEMO_BOARD_NAME, demoPeople } from '../../../core';
import { cardTexts } from './card-text';
import { type ConnectorCall, type TeamsMember, cardsOf, startTeamsConnector } from './local-connector';
import { type Where, cardAction, channelMessage, personalMessage } from './teams-activities';

/** The bot as the terminal chat mentions it. */
export const LOCAL_BOT = { id: '28:noticed-local', name: 'Noticed' };

/** The demo people as Teams would list them. */
export function demoMembers(): TeamsMember[] {
  return demoPeople().map((p) => ({ id: p.channelUserId, aadObjectId: p.userId, name: p.name, email: p.email }));
}

/**
 * Turns "@Ana López and @ben thanks" into message parts with real mentions: the longest
 * person name after each @ wins, and a first name alone is enough when it is unique.
 */
export function mentionParts(text: string, people: Array<{ id: string; name: string }>): Array<string | { id: string; name: string }> {
  const parts: Array<string | { id: string; name: string }> = [];
  const byLength = [...people].sort((a, b) => b.name.length - a.name.length);
  let rest = text;
  let at: number;
  while ((at = rest.indexOf('@')) >= 0) {
    parts.push(rest.slice(0, at));
    const after = rest.slice(at + 1);
    const lower = after.toLowerCase();
    const full = byLength.find((p) => lower.startsWith(p.name.toLowerCase()));
    const first = lower.match(/^[\p{L}'-]+/u)?.[0];
    const byFirst = first ? people.filter((p) => p.name.toLowerCase().split(' ')[0] === first) : [];
    const person = full ?? (byFirst.length === 1 ? byFirst[0] : undefined);
    if (!person) {
      parts.push('@');
      rest = after;
      continue;
    }
    parts.push(person);
    rest = after.slice(full ? person.name.length : (first ?? '').length);
  }
  parts.push(rest);
  return parts.filter((p) => p !== '');
}

/** A card as readable lines, its buttons numbered for /click. */
export function renderCard(card: unknown): string {
  let button = 0;
  const lines = cardTexts(card).map(({ element, text }) => {
    if (element === 'Action') return `  [${++button}] ${text}`;
    if (element === 'Input') return `  (form field: ${text})`;
    return `  ${text}`;
  });
  const bar = '─'.repeat(60);
  return [bar, ...lines, bar].join('\n');
}

/** Options of a chat session. */
export interface ChatOptions {
  serverUrl: string;
  input: Readable;
  output: Writable;
  as?: string;
}

/**
 * Plays Teams in the terminal: sends your lines to the bot as a demo person in the demo
 * team's channel, and prints what the bot answers, cards included. Resolves on /quit or EOF.
 */
export async function runChat(options: ChatOptions): Promise<void> {
  const out = (line: string) => options.output.write(`${line}\n`);
  const members = demoMembers();
  let lastCard: Record<string, unknown> | undefined;
  const show = (call: ConnectorCall) => {
    if (call.method === 'POST' && call.path === '/v3/conversations') return out('Noticed opened a private chat with you:');
    if (!['POST', 'PUT'].includes(call.method) || !call.body) return;
    if (call.body.text) out(`Noticed: ${call.body.text}`);
    for (const card of cardsOf(call.body)) {
      if (call.method === 'POST') lastCard = card;
      out(call.method === 'PUT' ? `(the card was updated)\n${renderCard(card)}` : renderCard(card));
    }
  };
  const connector = await startTeamsConnector(show);
  connector.roster(DEMO_BOARD_ID, members);
  const where: Where = { tenantId: LOCAL_TENANT_ID, serviceUrl: connector.url, team: { id: DEMO_BOARD_ID, name: DEMO_BOARD_NAME }, bot: LOCAL_BOT };
  const pick = (name: string) => members.find((m) => m.name.toLowerCase().startsWith(name.toLowerCase().trim()));
  let me = pick(options.as ?? '') ?? members[1];

  const send = async (activity: unknown) => {
    const res = await fetch(`${options.serverUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await res.text();
    if (!res.ok) return out(`(the bot answered ${res.status}: ${text})`);
    if (!text) return;
    const body = JSON.parse(text) as { type?: string; value?: unknown };
    if (body.type === 'application/vnd.microsoft.card.adaptive') {
      lastCard = body.value as Record<string, unknown>;
      out(renderCard(body.value));
    } else if (typeof body.value === 'string') out(`Noticed: ${body.value}`);
  };

  out(`You are ${me.name} in "${DEMO_BOARD_NAME}". Mention people with @Name; I add @Noticed for you.`);
  out('Try: credit @Ana López for catching the pricing typo #caught   ·   board   ·   mine   ·   missed   ·   help');
  out(`Other lines: /as <name> (${members.map((m) => m.name.split(' ')[0]).join(', ')}), /click <n> on the last card, /dm <text> for the private chat, /digest for this week's digest, /quit`);

  const rl = createInterface({ input: options.input, terminal: false });
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) continue;
    try {
      if (line === '/quit') break;
      if (line.startsWith('/as ')) {
        me = pick(line.slice(4)) ?? me;
        out(`You are ${me.name}.`);
      } else if (line.startsWith('/click')) {
        const n = Number(line.slice(6).trim() || '1');
        const actions = ((lastCard?.actions ?? []) as Array<{ type: string; verb?: string; data?: Record<string, unknown> }>).filter((a) => a.type === 'Action.Execute');
        const action = actions[n - 1];
        if (!action?.verb) out('That card has no such button.');
        else await send(cardAction(where, me, action.verb, action.data ?? {}));
      } else if (line === '/digest') {
        // What the channel gets on its digest day, now: the bot's digest command, said in the channel.
        await send(channelMessage(where, me, [LOCAL_BOT, ' digest']));
      } else if (line.startsWith('/dm ')) {
        await send(personalMessage(where, me, line.slice(4)));
      } else {
        const parts = mentionParts(line, [LOCAL_BOT, ...members]);
        const mentionsBot = parts.some((p) => typeof p !== 'string' && p.id === LOCAL_BOT.id);
        await send(channelMessage(where, me, mentionsBot ? parts : [LOCAL_BOT, ' ', ...parts]));
      }
    } catch (error) {
      out(`(could not reach Noticed at ${options.serverUrl}: ${error instanceof Error ? error.message : String(error)})`);
    }
  }
  rl.close();
  await connector.close();
}
