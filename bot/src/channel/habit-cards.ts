import { type Digest, type Kind, kindInfo, KINDS, type Member, type Nudge, type NudgeEntry, type Reminder } from '../../../core';
import { type Card, card, KIND_EMOJI, kindChoice, plain } from './credit-cards';

/** The verbs of the Give credit button on habit cards and of the form it opens. */
export const GIVE_FORM_VERB = 'giveForm';
export const GIVE_SUBMIT_VERB = 'giveSubmit';

/** The Give credit button: opens the give-credit form for the board, prefilled with the person when given. */
function giveCredit(boardId: string, userId?: string): Card {
  return { type: 'Action.Execute', title: 'Give credit', verb: GIVE_FORM_VERB, data: userId ? { boardId, userId } : { boardId } };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The weekly digest for the board's conversation: the week by kind with the behind-the-scenes
 * share, coverage, one spotlight and the prompt. Names and messages go in TextRuns (text, never
 * Markdown); counts are per kind, never per person.
 */
export function digestCard(digest: Digest): Card {
  const body: Card[] = [plain(`📬 ${digest.boardName}: the week in credit`, { weight: 'Bolder', size: 'Medium' })];
  if (digest.total) {
    body.push(
      { type: 'TextBlock', text: `${plural(digest.total, 'credit')} this week, ${digest.behindTheScenes} of them for behind-the-scenes work.`, wrap: true },
      { type: 'FactSet', facts: digest.byKind.map(({ kind, count }) => ({ title: `${KIND_EMOJI[kind]} ${kindInfo(kind).label}`, value: String(count) })) },
    );
  } else {
    body.push({
      type: 'TextBlock',
      text: 'No credits this week yet. Quiet weeks are when the work no one sees piles up: a line about someone who helped is enough to start.',
      wrap: true,
    });
  }
  const { credited, rosterSize, days } = digest.coverage;
  body.push({ type: 'TextBlock', text: `${credited} of ${plural(rosterSize, 'person', 'people')} credited in the last ${days} days.`, isSubtle: true, wrap: true });
  if (digest.spotlight) {
    const { kind, name, message } = digest.spotlight;
    body.push(
      { type: 'TextBlock', text: `🔦 Behind the scenes · ${kindInfo(kind).label}`, weight: 'Bolder', wrap: true, spacing: 'Medium' },
      plain(`${name}: ${message}`),
    );
  }
  body.push({ type: 'TextBlock', text: digest.prompt, weight: 'Bolder', wrap: true, spacing: 'Medium' });
  return card(body, [giveCredit(digest.boardId)]);
}

function lastCredited(p: NudgeEntry): string {
  if (p.daysSince === undefined) return 'never credited here';
  const when = `last credited ${plural(p.daysSince, 'day')} ago`;
  return p.lastFor ? `${when}, for ${KIND_EMOJI[p.lastFor.kind]} ${kindInfo(p.lastFor.kind).label}: ${p.lastFor.message}` : when;
}

/** A lead's private nudge: each person unnoticed for the board's window, with a Give credit button for them. */
export function nudgeCard(nudge: Nudge): Card {
  const body: Card[] = [
    plain(`${nudge.boardName}: not credited for ${nudge.days} days`, { weight: 'Bolder', size: 'Medium' }),
    { type: 'TextBlock', text: 'Worth a look at what they have been doing:', wrap: true },
    ...nudge.people.map((p) => ({
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [plain(`${p.name} — ${lastCredited(p)}`)] },
        { type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions: [giveCredit(nudge.boardId, p.userId)] }] },
      ],
    })),
  ];
  if (nudge.more) body.push({ type: 'TextBlock', text: `And ${nudge.more} more: ask me "missed" for the whole list.`, isSubtle: true, wrap: true });
  body.push({ type: 'TextBlock', text: 'Only you see this. It is a prompt to notice, never a ranking.', isSubtle: true, size: 'Small', wrap: true });
  return card(body);
}

/** A giver's private reminder: the prompt and the Give credit button. */
export function reminderCard(reminder: Reminder): Card {
  return card(
    [
      { type: 'TextBlock', text: reminder.prompt, weight: 'Bolder', size: 'Medium', wrap: true },
      plain(`A line of credit on ${reminder.boardName} takes a minute and is remembered much longer.`),
      { type: 'TextBlock', text: 'You asked for this reminder; you can turn it off in your preferences.', isSubtle: true, size: 'Small', wrap: true },
    ],
    [giveCredit(reminder.boardId)],
  );
}

/** The give-credit form the habit cards open, prefilled with a person when the button named one. */
export function giveCreditFormCard(input: { boardId: string; roster: Member[]; userId?: string; formKey: string; kind?: Kind }): Card {
  return card(
    [
      { type: 'TextBlock', text: 'Give credit', weight: 'Bolder', size: 'Medium', wrap: true },
      {
        type: 'Input.ChoiceSet',
        id: 'people',
        label: 'Who are you crediting?',
        isMultiSelect: true,
        style: 'filtered',
        isRequired: true,
        errorMessage: 'Pick at least one person.',
        value: input.roster.some((m) => m.userId === input.userId) ? input.userId : '',
        choices: input.roster.map((m) => ({ title: m.name, value: m.userId })),
      },
      { type: 'Input.Text', id: 'message', label: 'What for?', isMultiline: true, maxLength: 1000, isRequired: true, errorMessage: 'Say what the work was.' },
      kindChoice('kind', input.kind ?? KINDS[0].id),
      { type: 'Input.Toggle', id: 'private', title: 'Keep it private (only you and them)', value: 'false', valueOn: 'true', valueOff: 'false' },
    ],
    [{ type: 'Action.Execute', title: 'Give credit', verb: GIVE_SUBMIT_VERB, data: { boardId: input.boardId, formKey: input.formKey } }],
  );
}
