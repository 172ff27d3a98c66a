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
  // ("Ana" in "Banana") is never taken for a mention; the longest first, so one that starts
  // another ("Ana" in "Ana López") never cuts it.
  let marked = text;
  const order = [...mentions.keys()];
  if (order.length > 1) order.sort((a, b) => mentions[b].text.length - mentions[a].text.length);
  for (const i of order) if (mentions[i].text) marked = marked.replaceAll(mentions[i].text, ` \uE000${i}\uE001 `);

  const people: Mention[] = [];
  const words: string[] = [];
  for (const token of plainText(marked).split(/\s+/)) {
    if (!token) continue;
    // Only a token that starts like a placeholder is matched against one (this runs every chat
    // turn), and one typed by hand that names no mention is a word like any other.
    const ref = token.charCodeAt(0) === 0xe000 ? /^\uE000(\d+)\uE001$/.exec(token) : null;
    const m = ref ? mentions[Number(ref[1])] : undefined;
    if (!m) {
      words.push(token);
      continue;
    }
    if (m.userId !== botUserId && !people.some((p) => p.userId === m.userId)) people.push(m);
  }

  const first = words[0]?.toLowerCase().replace(/[!.,:]+$/, '') ?? '';
  if (!first) return people.length ? { type: 'unknown', text: '' } : { type: 'help' };
  if (SIMPLE[first] && words.length === 1 && !people.length) return { type: SIMPLE[first] } as Command;
  if (!CREDIT_VERBS.has(first)) return { type: 'unknown', text: words.join(' ') };

  let kind: Kind | undefined;
  const kept: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const tag = word.startsWith('#') ? /^#([\p{L}\p{N}_-]+)[.,!]*$/u.exec(word)?.[1] : undefined;
    const k = tag ? kindFromHashtag(tag) : undefined;
    if (k) kind ??= k;
    else kept.push(word);
  }
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
