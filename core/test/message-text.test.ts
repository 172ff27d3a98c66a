import { decodeEntities, htmlToText } from '../src/message-text';

describe('htmlToText: the words of a Teams message body', () => {
  test.each([
    ['paragraphs and bold', '<p>I spotted the <b>invoice</b> bug</p><p>and fixed it</p>', 'I spotted the invoice bug and fixed it'],
    ['line breaks and runs of white space', 'one<br>two<br/>\n  three ', 'one two three'],
    ['entities decoded once', '&lt;data&gt; &amp;lt; &#39;quoted&#39;', "<data> &lt; 'quoted'"],
    ['a lone < that opens no tag', 'x < y and <3', 'x < y and <3'],
    ['unclosed tag-shaped text', 'a <b c', 'a <b c'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  test('unclosed tag-shaped runs take one pass, not one per run', () => {
    // 120,000 characters of `<a`: scanning to the end from each `<` took about 5 s here;
    // one pass takes a few milliseconds. The bound only tells those two apart.
    const html = '<a'.repeat(60_000);
    const started = process.hrtime.bigint();
    expect(htmlToText(html)).toBe(html);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });
});

test('decodeEntities leaves unknown and out-of-range entities as written', () => {
  expect(decodeEntities('&bogus; &#0; &#xD800; &#x1F44D;')).toBe('&bogus; &#0; &#xD800; 👍');
});
