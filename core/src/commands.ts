import { type Kind, kindFromHashtag } from './kinds';
import { decodeEntities } from './message-text';

/** A person @mentioned in a chat message, as the channel reports it. */
export interface Mention {
  userId: string;
  name: string;
  /** The mention as it appears in the text, e.g. `<at>Ana</at>` in Teams or `@Ana` in a terminal. */
  text: string;
}

/** What a chat message asks Noticed to do. */
export type Command =
  /** `creditsBot`: no person was named, only the bot after the verb, as if to credit it. */
  | { type: 'credit'; recipients: Mention[]; reason: string; kind?: Kind; creditsBot?: true }
  | { type: 'board' }
  | { type: 'digest' }
  | { type: 'mine' }
  | { type: 'missed' }
  | { type: 'settings' }
  | { type: 'preferences' }
  | { type: 'help' }
  | { type: 'unknown'; text: string };

const CREDIT_VERBS = new Set(['credit', 'thanks', 'thank', 'kudos', 'props', 'shoutout']);
const SIMPLE: Record<string, Command['type']> = { board: 'board', digest: 'digest', mine: 'mine', me: 'mine', missed: 'missed', unnoticed: 'missed', settings: 'settings', preferences: 'preferences', prefs: 'preferences', help: 'help', '?': 'help' };
const LEADING_FILLER = /^(?:\s|,|&|:|-|–|—|\band\b|\byou\b|\bto\b|\bfor\b)+/iu;

/**
 * Parses a chat message into a command. `mentions` are the message's mention entities;
 * the bot's own mentions are ignored wherever they stand, so `@Noticed credit @Ana` and
 * `credit @Ana` mean the same. Only the mentions' own markup is taken out of the text (as
 * the Teams SDK's `stripMentionsText` does) and entities are decoded once: everything else
 * a person typed, `<data>` included, is kept as typed. Pure: the roster is checked later.
 */
export function parseCommand(text: string, mentions: readonly Mention[], botUserId: string): Command {
  const people: Mention[] = [];
  const words: string[] = [];
  const addWords = (segment: string) => {
    for (const word of decodeEntities(segment).split(/\s+/)) if (word) words.push(word);
  };
  const seen = new Set([botUserId]);
  // The bot named after the verb ("credit @Noticed for …") is someone trying to credit it.
  let botAfterVerb = false;
  let from = 0;
  for (const { start, end, mention } of mentionSpans(text, mentions)) {
    addWords(text.slice(from, start));
    from = end;
    if (mention.userId === botUserId) botAfterVerb ||= words.length > 0;
    else if (!seen.has(mention.userId)) {
      seen.add(mention.userId);
      people.push(mention);
    }
  }
  addWords(text.slice(from));

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
  const command: Command = { type: 'credit', recipients: people, reason, kind };
  if (!people.length && botAfterVerb) command.creditsBot = true;
  return command;
}

/**
 * Where each mention stands in the text, in order. Every occurrence of every mention text
 * is found, then read left to right, the longest first where two start together: a mention
 * that starts another ("@Al" in "@Alma") never cuts it, and a name inside other words
 * ("Ana" in "Banana") is never taken for a mention because only the entity's exact markup
 * is looked for. The nth occurrence of a text is its nth entity, so two people who share a
 * display name are both mentioned.
 */
function mentionSpans(text: string, mentions: readonly Mention[]): Array<{ start: number; end: number; mention: Mention }> {
  const byText = new Map<string, Mention[]>();
  for (const mention of mentions) {
    // An empty needle would never move the search below forward.
    if (typeof mention.text !== 'string' || !mention.text) continue;
    const same = byText.get(mention.text);
    if (same) same.push(mention);
    else byText.set(mention.text, [mention]);
  }
  const found: Array<{ start: number; end: number; needle: string }> = [];
  for (const needle of byText.keys()) {
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) found.push({ start: at, end: at + needle.length, needle });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: Array<{ start: number; end: number; mention: Mention }> = [];
  const nth = new Map<string, number>();
  let taken = 0;
  for (const { start, end, needle } of found) {
    if (start < taken) continue;
    taken = end;
    const same = byText.get(needle) as Mention[];
    const n = nth.get(needle) ?? 0;
    nth.set(needle, n + 1);
    spans.push({ start, end, mention: same[Math.min(n, same.length - 1)] });
  }
  return spans;
}
