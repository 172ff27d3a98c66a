const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));/gi;

/**
 * The text with HTML entities decoded, in one pass: `&amp;lt;` becomes `&lt;`, never `<`,
 * so what a person typed comes out as they typed it. Unknown entities stay as written.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name) return ENTITIES[name.toLowerCase()] ?? whole;
    const code = dec ? Number(dec) : Number.parseInt(hex as string, 16);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The words of a Teams message's HTML body (what a message extension receives): markup
 * removed, line breaks and runs of white space as one space, entities decoded. Only for HTML;
 * chat text is not HTML.
 */
export function htmlToText(html: string): string {
  if (!html.includes('<') && !html.includes('&')) return html.replace(/\s+/g, ' ').trim();
  // A tag ends at the first `<` or `>`: with `[^>]*` a run of unclosed `<a` scanned to the
  // end of the text from each one, quadratic in the message's length (1.2 s at 60 KB).
  const text = html.replace(/<br\s*\/?>|<\/(?:p|div|li)>/gi, ' ').replace(/<\/?[a-z][^<>]*>/gi, '');
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

/** How much of a message a credit form quotes back to the giver. */
export const EXCERPT_MAX = 280;

/**
 * The start of a message, at most 280 characters with an ellipsis when cut: counted in code
 * points, so a cut never splits an emoji into half a character.
 */
export function messageExcerpt(text: string, max = EXCERPT_MAX): string {
  // A string no longer than max code units has no more code points than that.
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
