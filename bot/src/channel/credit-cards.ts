import { BOT_COMMANDS, canEndorse, type CardMention, type Insights, isPartOf, isShared, type Kind, kindInfo, KINDS, type Member, NO_LEAD_YET, type Recognition } from '../../../core';

/** An Adaptive Card as JSON. */
export type Card = Record<string, unknown>;

/** The emoji each kind is shown with. */
export const KIND_EMOJI: Record<Kind, string> = { enabled: '🤝', prevented: '🛡️', improved: '🛠️', sustained: '🌱', delivered: '🏆' };

/**
 * User text goes into TextRuns: unlike TextBlocks they are never read as Markdown, so a
 * message cannot restyle the card or smuggle in a link.
 */
export function plain(text: string, extra: Record<string, unknown> = {}): Card {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, ...extra }] };
}

/** A card in the schema version Teams renders, as every card Noticed sends is. */
export function card(body: Card[], actions: Card[] = [], extra: Card = {}): Card {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, actions, ...extra };
}

function names(people: Array<{ name: string }>): string {
  const list = people.map((p) => p.name);
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/**
 * A name as a mention's `<at>` text. The mention goes in a TextBlock, which reads Markdown:
 * keeping only letters, digits, spaces and the marks names join with stops a name from closing
 * the tag, restyling the card or smuggling in a link.
 */
export function mentionTag(name: string): string {
  const safe = name.replace(/[^\p{L}\p{M}\p{N} '’.-]/gu, ' ').replace(/\s+/g, ' ').trim();
  return `<at>${safe || 'them'}</at>`;
}

/** The TextBlock that @mentions the people and the card's `msteams.entities` that make Teams notify them. */
function mentionParts(mentions: readonly CardMention[]): { block: Card; msteams: Card } | undefined {
  if (!mentions.length) return undefined;
  const tags = mentions.map((m) => mentionTag(m.name));
  const entities = mentions.map((m, i) => ({ type: 'mention', text: tags[i], mentioned: { id: m.channelUserId, name: m.name } }));
  return { block: { type: 'TextBlock', text: `For ${tags.join(' ')}`, size: 'Small', wrap: true }, msteams: { entities } };
}

/**
 * The card a credit is posted as: who, for what, the kind, evidence, endorsements and actions.
 * Without a viewer it is the card everyone in the chat sees; with one, the card as that
 * person should see it (their own credit, or one they endorsed, offers no endorse button).
 * `refreshFor` names who Teams refreshes it for automatically (Teams channel ids, at most 60);
 * `mentions` are the recipients it @mentions (`Noticed.cardPeople`), on a shared credit only.
 */
export function creditCard(rec: Recognition, viewerId?: string, refreshFor: string[] = [], mentions: readonly CardMention[] = []): Card {
  const kind = kindInfo(rec.kind);
  const endorsed = rec.endorsements.length;
  const seen = viewerId !== undefined && rec.endorsements.some((e) => e.userId === viewerId);
  const own = viewerId !== undefined && isPartOf(rec, viewerId);
  // A private credit reaches only its own people, in personal chats: none of them may endorse
  // it or pass it on, so its card offers neither, and has no other viewers to refresh for.
  const shared = isShared(rec);
  const body: Card[] = [
    { type: 'TextBlock', text: `${KIND_EMOJI[rec.kind]} ${kind.label}`, weight: 'Bolder', size: 'Medium', wrap: true },
    plain(`${rec.giver.name} credited ${names(rec.recipients)}`, { weight: 'Bolder' }),
  ];
  // Only a shared credit is posted where others read it; a private one never mentions anyone.
  const mentioned = shared ? mentionParts(mentions) : undefined;
  if (mentioned) body.push(mentioned.block);
  body.push(
    plain(rec.message),
    { type: 'TextBlock', text: kind.behindTheScenes ? `Behind-the-scenes work · ${kind.description}` : kind.description, isSubtle: true, size: 'Small', wrap: true },
  );
  if (rec.evidence?.title) body.push(plain(`Evidence: ${rec.evidence.title}`, { isSubtle: true, size: 'Small' }));
  if (rec.visibility === 'private') body.push({ type: 'TextBlock', text: 'Private: only the giver and the people credited see this on the board.', isSubtle: true, size: 'Small', wrap: true });
  if (shared) body.push({ type: 'TextBlock', text: endorsementLine(endorsed, seen, own), size: 'Small', wrap: true });
  const data = { boardId: rec.boardId, creditId: rec.id };
  const actions: Card[] = [];
  if (shared && (viewerId === undefined || canEndorse(rec, viewerId))) actions.push({ type: 'Action.Execute', title: 'I saw this too', verb: 'endorse', data });
  if (shared && rec.kind === 'delivered') actions.push({ type: 'Action.Execute', title: 'Who made this possible?', verb: 'inspireForm', data });
  if (rec.evidence?.url && /^https:\/\//.test(rec.evidence.url)) actions.push({ type: 'Action.OpenUrl', title: 'Open the evidence', url: rec.evidence.url });
  if (!shared) return card(body, actions);
  // Universal Actions: each viewer's Teams asks for their own view (verb refresh) when the card is shown.
  const refresh = { action: { type: 'Action.Execute', verb: 'refresh', data }, userIds: refreshFor.slice(0, 60) };
  return card(body, actions, mentioned ? { refresh, msteams: mentioned.msteams } : { refresh });
}

/**
 * A credit as a private notice shows it in a personal chat: a line saying why it came, the
 * credit as its viewer sees it, and a link to the board. No buttons that act on the board's
 * conversation (endorse, pass on, refresh): a personal chat has no board to act on.
 */
export function creditNoticeCard(rec: Recognition, viewerId: string, intro: string, boardUrl: string): Card {
  const full = creditCard(rec, viewerId);
  const links = (full.actions as Card[]).filter((a) => a.type === 'Action.OpenUrl');
  return card([plain(intro, { weight: 'Bolder' }), ...(full.body as Card[])], [...links, { type: 'Action.OpenUrl', title: 'Open the board', url: boardUrl }]);
}

function endorsementLine(endorsed: number, seen: boolean, own: boolean): string {
  if (seen) return endorsed === 1 ? '👀 You saw this too' : `👀 You and ${endorsed - 1 === 1 ? '1 other person' : `${endorsed - 1} others`} saw this too`;
  if (endorsed) return `👀 ${endorsed === 1 ? '1 person saw' : `${endorsed} people saw`} this too`;
  return own ? 'No one has said they saw this yet.' : 'Seen this work too? Say so.';
}

/** The form that passes credit on from a win to the people who made it possible. */
export function inspireFormCard(rec: Recognition, candidates: Member[], formKey: string): Card {
  return card(
    [
      { type: 'TextBlock', text: 'Who made this possible?', weight: 'Bolder', size: 'Medium', wrap: true },
      plain(`The win: ${rec.message}`, { isSubtle: true }),
      {
        type: 'Input.ChoiceSet',
        id: 'people',
        label: 'The people behind it',
        isMultiSelect: true,
        style: 'filtered',
        isRequired: true,
        errorMessage: 'Pick at least one person.',
        choices: candidates.map((m) => ({ title: m.name, value: m.userId })),
      },
      { type: 'Input.Text', id: 'message', label: 'What did they do?', isMultiline: true, maxLength: 1000, isRequired: true, errorMessage: 'Say what they did.', placeholder: 'Set up the demo data the night before…' },
      kindChoice('kind', 'enabled'),
    ],
    [{ type: 'Action.Execute', title: 'Give credit', verb: 'inspireSubmit', data: { boardId: rec.boardId, creditId: rec.id, formKey } }],
  );
}

/** The message extension's "Give credit" form, prefilled from the message. */
export function messageCreditFormCard(input: { roster: Member[]; authorId?: string; excerpt: string; suggested: Kind; formKey: string }): Card {
  return card(
    [
      { type: 'TextBlock', text: 'Give credit for this message', weight: 'Bolder', size: 'Medium', wrap: true },
      ...(input.excerpt ? [plain(input.excerpt, { isSubtle: true, italic: true })] : []),
      {
        type: 'Input.ChoiceSet',
        id: 'people',
        label: 'Who are you crediting?',
        isMultiSelect: true,
        style: 'filtered',
        isRequired: true,
        errorMessage: 'Pick at least one person.',
        value: input.authorId ?? '',
        choices: input.roster.map((m) => ({ title: m.name, value: m.userId })),
      },
      { type: 'Input.Text', id: 'message', label: 'What for?', isMultiline: true, maxLength: 1000, isRequired: true, errorMessage: 'Say what the work was.' },
      kindChoice('kind', input.suggested),
      { type: 'Input.Toggle', id: 'private', title: 'Keep it private (only you and them)', value: 'false', valueOn: 'true', valueOff: 'false' },
    ],
    [{ type: 'Action.Submit', title: 'Give credit', data: { formKey: input.formKey } }],
  );
}

/** The kind picker of credit forms. */
export function kindChoice(id: string, value: Kind): Card {
  // The label alone: Teams cuts a choice off after a few words, so descriptions never fit.
  return { type: 'Input.ChoiceSet', id, label: 'Kind of work', value, choices: KINDS.map((k) => ({ title: `${KIND_EMOJI[k.id]} ${k.label}`, value: k.id })) };
}

/** What Noticed can do, as a card. */
export function helpCard(intro?: string): Card {
  return card([
    ...(intro ? [plain(intro)] : []),
    { type: 'TextBlock', text: 'Noticed makes behind-the-scenes work visible', weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'FactSet',
      // The same list the app manifest's command menu is checked against.
      facts: BOT_COMMANDS.map((c) => ({
        title: c.type === 'credit' ? `${c.title} @Ana for …` : c.title,
        value: c.aliases.length ? `${c.description} Also: ${c.aliases.join(', ')}.` : c.description,
      })),
    },
    { type: 'TextBlock', text: `Kinds: ${KINDS.map((k) => `${KIND_EMOJI[k.id]} ${k.label}`).join(' · ')}`, isSubtle: true, size: 'Small', wrap: true },
  ]);
}

/** The card posted when Noticed joins a team or chat; without a lead it says how the board gets one. */
export function welcomeCard(boardName: string, leadName?: string): Card {
  return card([
    { type: 'TextBlock', text: `👋 Noticed is here for ${boardName}`, weight: 'Bolder', size: 'Large', wrap: true },
    plain(
      'The work that keeps things running is invisible when it is done well. Credit it where it happens: mention me with credit, the people, and what they did.',
    ),
    { type: 'TextBlock', text: 'Try: @Noticed credit @Ana for catching the migration bug before release #caught', fontType: 'Monospace', wrap: true },
    leadName
      ? plain(`${leadName} added Noticed and leads this board; leads see who has gone unnoticed, privately.`, { isSubtle: true, size: 'Small' })
      : { type: 'TextBlock', text: NO_LEAD_YET, isSubtle: true, size: 'Small', wrap: true },
  ]);
}

/** The last days of a board: counts by kind (from the domain's counts) and the latest credits, all of them board credits. */
export function boardCard(boardName: string, summary: { credits: Recognition[]; counts: { total: number; byKind: Record<Kind, number> }; days: number; hasLead?: boolean }): Card {
  const { credits, counts, days } = summary;
  const noLead: Card[] = summary.hasLead === false ? [{ type: 'TextBlock', text: NO_LEAD_YET, isSubtle: true, size: 'Small', wrap: true }] : [];
  if (!counts.total) {
    return card([
      { type: 'TextBlock', text: `${boardName}: no credits in the last ${days} days`, weight: 'Bolder', wrap: true },
      plain('Who made your week easier? Try: @Noticed credit @Ana for …'),
      ...noLead,
    ]);
  }
  const byKind = KINDS.map((k) => ({ k, n: counts.byKind[k.id] })).filter((x) => x.n);
  const behind = KINDS.filter((k) => k.behindTheScenes).reduce((sum, k) => sum + counts.byKind[k.id], 0);
  return card([
    { type: 'TextBlock', text: `${boardName}: ${counts.total} credit${counts.total === 1 ? '' : 's'} in the last ${days} days`, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: `${behind} of ${counts.total} for behind-the-scenes work`, isSubtle: true, wrap: true },
    { type: 'FactSet', facts: byKind.map(({ k, n }) => ({ title: `${KIND_EMOJI[k.id]} ${k.label}`, value: String(n) })) },
    ...credits.slice(0, 8).map((c) => plain(`${KIND_EMOJI[c.kind]} ${names(c.recipients)} — ${c.message}`)),
    ...noLead,
  ]);
}

/** What the user received and gave; `privateElsewhere` where others read it too, so private credits are left out. */
export function mineCard(received: Recognition[], given: Recognition[], options: { privateElsewhere?: boolean } = {}): Card {
  const list = (items: Recognition[], who: (r: Recognition) => string) =>
    items.length ? items.slice(0, 5).map((r) => plain(`${KIND_EMOJI[r.kind]} ${who(r)}: ${r.message}`)) : [plain('Nothing yet.', { isSubtle: true })];
  return card([
    { type: 'TextBlock', text: `You received ${received.length} credit${received.length === 1 ? '' : 's'}`, weight: 'Bolder', wrap: true },
    ...list(received, (r) => `from ${r.giver.name}`),
    { type: 'TextBlock', text: `You gave ${given.length}`, weight: 'Bolder', wrap: true, spacing: 'Large' },
    ...list(given, (r) => `to ${names(r.recipients)}`),
    // The same words whether or not there are private credits, so the note tells the room nothing.
    ...(options.privateElsewhere
      ? [{ type: 'TextBlock', text: 'Credits on this board only. Private credits are never shown here: message me mine in our personal chat to see everything.', isSubtle: true, size: 'Small', wrap: true }]
      : []),
  ]);
}

/** The lead's private list of who has gone unnoticed. */
export function missedCard(boardName: string, insights: Insights): Card {
  const people = insights.unnoticed;
  return card([
    { type: 'TextBlock', text: `${boardName}: ${insights.creditedCount} of ${insights.rosterSize} people credited in the last ${insights.days} days`, weight: 'Bolder', wrap: true },
    people.length
      ? { type: 'TextBlock', text: 'Not credited lately — worth a look at what they have been doing:', wrap: true }
      : { type: 'TextBlock', text: 'Everyone has been credited recently. 🎉', wrap: true },
    ...people.map((p) => plain(`• ${p.name} — ${p.daysSinceCredited === undefined ? 'never credited here' : `${p.daysSinceCredited} days`}`)),
    { type: 'TextBlock', text: 'Only leads see this. It is a prompt to notice, never a ranking.', isSubtle: true, size: 'Small', wrap: true },
  ]);
}
