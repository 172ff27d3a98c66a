import { type Command, type Mention, parseCommand } from '../src/commands';

const BOT = '28:bot-app-id';
const bot: Mention = { userId: BOT, name: 'Noticed', text: '<at>Noticed</at>' };
const ana: Mention = { userId: '29:ana', name: 'Ana López', text: '<at>Ana López</at>' };
const ben: Mention = { userId: '29:ben', name: "Ben O'Neil", text: "<at>Ben O'Neil</at>" };
const zoe: Mention = { userId: '29:zoe', name: 'Zoë Ng', text: '@Zoë Ng' };
const al: Mention = { userId: '29:al', name: 'Al', text: '@Al' };
const alma: Mention = { userId: '29:alma', name: 'Alma', text: '@Alma' };
const kimA: Mention = { userId: '29:kim-a', name: 'Kim', text: '<at>Kim</at>' };
const kimB: Mention = { userId: '29:kim-b', name: 'Kim', text: '<at>Kim</at>' };

const cases: Array<[string, string, Mention[], Command]> = [
  ['credit with a hashtag', '<at>Noticed</at> credit <at>Ana López</at> for catching the migration bug before release #caught', [bot, ana],
    { type: 'credit', recipients: [ana], reason: 'catching the migration bug before release', kind: 'prevented' }],
  ['thanks, two people', "<at>Noticed</at> thanks <at>Ana López</at> and <at>Ben O'Neil</at> for the runbook", [bot, ana, ben],
    { type: 'credit', recipients: [ana, ben], reason: 'the runbook', kind: undefined }],
  ['thank you', 'thank you <at>Ana López</at> for staying late', [ana],
    { type: 'credit', recipients: [ana], reason: 'staying late', kind: undefined }],
  ['kudos without "for"', 'kudos <at>Ana López</at>, great onboarding docs #docs', [ana],
    { type: 'credit', recipients: [ana], reason: 'great onboarding docs', kind: 'improved' }],
  ['bot mentioned last', "credit <at>Ben O'Neil</at> for the demo #win <at>Noticed</at>", [ben, bot],
    { type: 'credit', recipients: [ben], reason: 'the demo', kind: 'delivered' }],
  ['same person twice', 'credit <at>Ana López</at> and <at>Ana López</at> for help', [ana, ana],
    { type: 'credit', recipients: [ana], reason: 'help', kind: undefined }],
  ['terminal mention', 'credit @Zoë Ng for the retro', [zoe],
    { type: 'credit', recipients: [zoe], reason: 'the retro', kind: undefined }],
  ['two people who share a name are both credited', 'credit <at>Kim</at> and <at>Kim</at> for the handover', [kimA, kimB],
    { type: 'credit', recipients: [kimA, kimB], reason: 'the handover', kind: undefined }],
  ['a mention that starts another never cuts it', 'credit @Alma and @Al for the @Alma-@Al pairing', [al, alma],
    { type: 'credit', recipients: [alma, al], reason: 'the - pairing', kind: undefined }],
  ['unknown hashtag stays in the text', 'credit <at>Ana López</at> for the #q3 numbers #caught #win', [ana],
    { type: 'credit', recipients: [ana], reason: 'the #q3 numbers', kind: 'prevented' }],
  ['html entities', 'credit <at>Ana López</at> for R&amp;D &lt;3', [ana],
    { type: 'credit', recipients: [ana], reason: 'R&D <3', kind: undefined }],
  ['no one mentioned', 'credit for the cake', [],
    { type: 'credit', recipients: [], reason: 'the cake', kind: undefined }],
  ['only the bot mentioned', '<at>Noticed</at> credit <at>Noticed</at> for being a bot', [bot, bot],
    { type: 'credit', recipients: [], reason: 'being a bot', kind: undefined, creditsBot: true }],
  ['the bot named after the verb, without addressing it first', 'thanks <at>Noticed</at> for the reminder', [bot],
    { type: 'credit', recipients: [], reason: 'the reminder', kind: undefined, creditsBot: true }],
  ['no reason', '<at>Noticed</at> kudos <at>Ana López</at>', [bot, ana],
    { type: 'credit', recipients: [ana], reason: '', kind: undefined }],
  ['name inside another word is not a mention', 'credit <at>Ana López</at> for the Banana López joke', [ana],
    { type: 'credit', recipients: [ana], reason: 'the Banana López joke', kind: undefined }],
  ['board', '<at>Noticed</at> board', [bot], { type: 'board' }],
  ['mine', 'Mine', [], { type: 'mine' }],
  ['missed', '<at>Noticed</at> missed', [bot], { type: 'missed' }],
  ['help', 'help', [], { type: 'help' }],
  ['empty', '<at>Noticed</at>', [bot], { type: 'help' }],
  ['unknown', '<at>Noticed</at> what can you do?', [bot], { type: 'unknown', text: 'what can you do?' }],
  ['a placeholder typed by hand is a word', 'credit <at>Ana López</at> for \uE0007\uE001', [ana],
    { type: 'credit', recipients: [ana], reason: '\uE0007\uE001', kind: undefined }],
  ['tag-shaped text is what the person typed', '<p><at>Noticed</at> board</p>', [bot], { type: 'unknown', text: '<p> board</p>' }],
  ['a placeholder in angle brackets', 'credit <at>Ana López</at> for fixing the <data> pipeline', [ana],
    { type: 'credit', recipients: [ana], reason: 'fixing the <data> pipeline', kind: undefined }],
  ['comparisons', 'credit <at>Ana López</at> for proving x<y, z>w', [ana],
    { type: 'credit', recipients: [ana], reason: 'proving x<y, z>w', kind: undefined }],
  ['a component name', 'kudos <at>Ana López</at> for the <Select> rewrite #process', [ana],
    { type: 'credit', recipients: [ana], reason: 'the <Select> rewrite', kind: 'improved' }],
  ['entities are decoded once, not twice', 'credit <at>Ana López</at> for explaining &amp;lt;br&amp;gt; &#x1F600; &#39;tags&#39;', [ana],
    { type: 'credit', recipients: [ana], reason: "explaining &lt;br&gt; 😀 'tags'", kind: undefined }],
  ['at-markup that is no mention entity of the message is text', 'credit <at>Ana López</at> for the <at>Ben</at> joke', [ana],
    { type: 'credit', recipients: [ana], reason: 'the <at>Ben</at> joke', kind: undefined }],
];

describe('parseCommand', () => {
  test.each(cases)('%s', (_name, text, mentions, expected) => {
    expect(parseCommand(text, mentions, BOT)).toEqual(expected);
  });

  const many = 5000;
  const floods: Array<[string, string, Mention[]]> = [
    ['one person mentioned thousands of times', `credit ${ana.text.repeat(many)} for the flood`, Array(many).fill(ana)],
    ['three people and the bot in turn, thousands of times', `credit ${[bot, ana, ben, kimA].map((m) => m.text).join(' ').repeat(many)} for the flood`, Array.from({ length: 4 * many }, (_, i) => [bot, ana, ben, kimA][i % 4])],
    ['mentions that start one another, thousands of times', `credit ${'@Alma @Al '.repeat(many)} for the flood`, Array.from({ length: 2 * many }, (_, i) => (i % 2 ? al : alma))],
  ];
  test.each(floods)('%s parses in well under a second', (_name, text, mentions) => {
    const started = performance.now();
    const command = parseCommand(text, mentions, BOT);
    expect(performance.now() - started).toBeLessThan(250);
    expect(command).toMatchObject({ type: 'credit', reason: 'the flood' });
  });
});
