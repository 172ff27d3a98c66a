import { type Kind, kindFromHashtag } from './kinds';

/** A person @mentioned in a chat message, as the channel reports it. */
export interface Mention {
  userId: string;
  name: string;
  /** The mention as it appears in the text, e.g. `<at>Ana</at>` in Teams or `@Ana` in a terminal. */
  text: string;
}

/** What a chat message asks Noticed to do. */
export type Command =
  | { type: 'credit'; recipients: Mention[]; reason: string; kind?: Kind }
  | { type: 'board' }
  | { type: 'mine' }
  | { type: 'missed' }
  | { type: 'help' }
  | { type: 'unknown'; text: string };

const CREDIT_VERBS = new Set(['credit', 'thanks', 'thank', 'kudos', 'props', 'shoutout']);
const SIMPLE: Record<string, Command['type']> = { board: 'board', mine: 'mine', me: 'mine', missed: 'missed', unnoticed: 'missed', help: 'help', '?': 'help' };
const LEADING_FILLER = /^(?:\s|,|&|:|-|–|—|\band\b|\byou\b|\bto\b|\bfor\b)+/iu;

/**
 * Parses a chat message into a command. `mentions` are the message's mention entities;
 * the bot's own mentions are ignored wherever they stand, so `@Noticed credit @Ana` and
 * `credit @Ana` mean the same. Pure: validation against the roster happens later.
 */
export function parseCommand(text: string, mentions: readonly Mention[], botUserId: string): Command {
  // Mentions become placeholders before markup is stripped, so a name inside other words
  // ("Ana" in "Banana") is never taken for a mention.
  let marked = text;
  const byLength = mentions.map((m, i) => ({ m, i })).sort((a, b) => b.m.text.length - a.m.text.length);
  for (const { m, i } of byLength) if (m.text) marked = marked.split(m.text).join(` \uE000${i}\uE001 `);
  const tokens = plainText(marked).replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);

  const people: Mention[] = [];
  const words: string[] = [];
  for (const token of tokens) {
    const ref = /^\uE000(\d+)\uE001$/.exec(token);
    if (!ref) {
      words.push(token);
      continue;
    }
    const m = mentions[Number(ref[1])];
    if (m.userId !== botUserId && !people.some((p) => p.userId === m.userId)) people.push(m);
  }

  const first = words[0]?.toLowerCase().replace(/[!.,:]+$/, '') ?? '';
  if (!first) return people.length ? { type: 'unknown', text: '' } : { type: 'help' };
  if (SIMPLE[first] && words.length === 1 && !people.length) return { type: SIMPLE[first] } as Command;
  if (!CREDIT_VERBS.has(first)) return { type: 'unknown', text: words.join(' ') };

  let kind: Kind | undefined;
  const kept = words.slice(1).filter((w) => {
    const tag = w.startsWith('#') ? /^#([\p{L}\p{N}_-]+)[.,!]*$/u.exec(w)?.[1] : undefined;
    const k = tag ? kindFromHashtag(tag) : undefined;
    if (!k) return true;
    kind ??= k;
    return false;
  });
  const reason = kept.join(' ').replace(LEADING_FILLER, '').trim();
  return { type: 'credit', recipients: people, reason, kind };
}

/** Text with markup removed and entities decoded, as a person would read it. */
export function plainText(text: string): string {
  // Most chat text has neither markup nor entities left once mentions are out.
  if (!text.includes('<') && !text.includes('&')) return text;
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
