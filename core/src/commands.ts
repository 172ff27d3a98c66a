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
  // Mentions are found in the text before markup is stripped, so a name inside other words
  // ("Ana" in "Banana") is never taken for a mention; the longest first, so one that starts
  // another ("Ana" in "Ana López") never cuts it. Found by position, not replaced: this runs
  // every chat turn, and rewriting the text once per mention built a new string each time.
  const spans: Array<{ start: number; end: number; mention: Mention }> = [];
  // Each text is looked for once, however many entities carry it: the nth time it appears is
  // the nth of them, so two people who share a name are both mentioned.
  const byText = new Map<string, Mention[]>();
  for (const mention of mentions) {
    if (!mention.text) continue;
    const same = byText.get(mention.text);
    if (same) same.push(mention);
    else byText.set(mention.text, [mention]);
  }
  const texts = byText.size > 1 ? [...byText.keys()].sort((a, b) => b.length - a.length) : byText.keys();
  // Characters already taken by a longer mention: no pairwise check of spans, which a
  // message repeating mentions thousands of times would make quadratic.
  const taken = byText.size > 1 ? takenScratch(text.length) : undefined;
  for (const needle of texts) {
    const same = byText.get(needle) as Mention[];
    let nth = 0;
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
      const end = at + needle.length;
      // Taken spans are at least as long as this one, so one it overlaps holds an end of it.
      if (taken?.[at] || taken?.[end - 1]) continue;
      taken?.fill(1, at, end);
      spans.push({ start: at, end, mention: same[Math.min(nth++, same.length - 1)] });
    }
  }
  if (spans.length > 1) spans.sort((a, b) => a.start - b.start);

  const people: Mention[] = [];
  const words: string[] = [];
  const addWords = (segment: string) => {
    for (const word of plainText(segment).split(/\s+/)) if (word) words.push(word);
  };
  const seen = new Set([botUserId]);
  let from = 0;
  for (const { start, end, mention } of spans) {
    addWords(text.slice(from, start));
    from = end;
    if (!seen.has(mention.userId)) {
      seen.add(mention.userId);
      people.push(mention);
    }
  }
  addWords(from ? text.slice(from) : text);

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

let scratch = new Uint8Array(1024);
/**
 * A zeroed byte per character of the text. One buffer serves every parse (parsing is
 * synchronous, so never two at once): a typed array of its own each time lives outside the
 * heap, and allocating it cost as much as the rest of the parse in the bench server.
 */
function takenScratch(length: number): Uint8Array {
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  return scratch.fill(0, 0, length);
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
