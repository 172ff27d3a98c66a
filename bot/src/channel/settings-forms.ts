import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { type BoardPlace, type BoardPreferences, type BoardSettings, type BoardSettingsDesk, type Caller, idSchema, type LeadEntry, type Noticed, type Preferences } from '../../../core';
import type { Card } from './credit-cards';
import type { CreditPosting } from './credit-posting';
import { cardResponse, message, refusal, sendCard } from './replies';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const weekdayChoices = WEEKDAYS.map((title, i) => ({ title, value: String(i) }));
const NO_REMINDERS = 'none';

/** The verbs of the forms' Save buttons. */
const SAVE_SETTINGS = 'saveSettings';
const SAVE_PREFERENCES = 'savePreferences';

/**
 * The `settings` (leads) and `preferences` (anyone) commands: each answers in the personal
 * chat with a card form per board, and the form's Save goes through the same use cases as
 * the REST API. The forms only translate card inputs (always text in Teams) into values.
 */
export class SettingsForms {
  constructor(
    private readonly noticed: Noticed,
    private readonly desk: BoardSettingsDesk,
    private readonly preferences: Preferences,
    private readonly posting: CreditPosting,
  ) {}

  /** True for the card actions these forms answer. */
  handles(verb: string | undefined): boolean {
    return verb === SAVE_SETTINGS || verb === SAVE_PREFERENCES;
  }

  /** `settings`: the boards the caller leads (this one, asked in its conversation), each as a form. */
  async sendSettings(context: TurnContext, caller: Caller, place: BoardPlace | undefined): Promise<void> {
    const boardIds = place ? [place.boardId] : (await this.noticed.boardsOf(caller)).filter((b) => b.role === 'lead').map((b) => b.board.id);
    const cards: Card[] = [];
    try {
      for (const id of boardIds) {
        const { board, settings } = await this.desk.settings(caller, id);
        cards.push(settingsCard(board.id, board.name, settings, await this.desk.leads(caller, id)));
      }
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      await context.sendActivity(text);
      return;
    }
    if (!cards.length) {
      await context.sendActivity('You do not lead any board yet. The person who adds Noticed to a team leads its board.');
      return;
    }
    await this.answerPrivately(context, cards, "I've sent you the board's settings in our private chat.");
  }

  /** `preferences`: the caller's own say, on this board (asked in its conversation) or on each of theirs. */
  async sendPreferences(context: TurnContext, caller: Caller, place: BoardPlace | undefined): Promise<void> {
    let boards: BoardPreferences[];
    try {
      boards = await this.preferences.get(caller, place?.boardId);
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      await context.sendActivity(text);
      return;
    }
    if (!boards.length) {
      await context.sendActivity('You are not on a Noticed board yet: once your team adds Noticed, your preferences are here.');
      return;
    }
    await this.answerPrivately(context, boards.map((b) => preferencesCard(b)), "I've sent you your preferences in our private chat.");
  }

  /**
   * Saves a form. The board comes from the card's data, which anyone can forge: core checks
   * that the verified caller leads it (settings) or is on it (preferences) in their own
   * tenant, so a forged id reaches nothing the caller could not change anyway.
   */
  async handle(context: TurnContext, caller: Caller | undefined, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    const boardId = idSchema.safeParse(data.boardId);
    if (!caller || !boardId.success) return message('This form no longer belongs to a board I can find.');
    try {
      if (value.action.verb === SAVE_SETTINGS) {
        const saved = await this.desk.change(caller, boardId.data, settingsFrom(data));
        const { board } = await this.desk.settings(caller, boardId.data);
        return cardResponse(settingsCard(board.id, board.name, saved, await this.desk.leads(caller, boardId.data), 'Saved.'));
      }
      const [saved] = await this.preferences.change(caller, preferencesFrom(data), boardId.data);
      return cardResponse(preferencesCard(saved, 'Saved.'));
    } catch (error) {
      const text = refusal(error);
      if (!text) throw error;
      return message(text);
    }
  }

  /** Forms are personal: shown here in the personal chat, or sent there with a line here saying so. */
  private async answerPrivately(context: TurnContext, cards: Card[], pointer: string): Promise<void> {
    if (context.activity.conversation.conversationType === 'personal') {
      for (const c of cards) await sendCard(context, c);
      return;
    }
    await this.posting.sendPrivately(context, cards);
    await context.sendActivity(pointer);
  }
}

/** A whole number typed into a card (Teams sends every input as text); anything else is passed on for core to refuse. */
function wholeNumber(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d{1,4}$/.test(value.trim()) ? Number(value.trim()) : value;
}

function toggle(value: unknown): unknown {
  return value === 'true' ? true : value === 'false' ? false : value;
}

/** The settings a form sent, as core's change takes them: only the form's own fields. */
function settingsFrom(data: Record<string, unknown>): Record<string, unknown> {
  return stripAbsent({
    digestEnabled: toggle(data.digestEnabled),
    digestDay: wholeNumber(data.digestDay),
    digestHour: wholeNumber(data.digestHour),
    timeZone: typeof data.timeZone === 'string' ? data.timeZone.trim() : data.timeZone,
    nudgeAfterDays: wholeNumber(data.nudgeAfterDays),
    weekStartsOn: wholeNumber(data.weekStartsOn),
  });
}

/** The preferences a form sent, as core's change takes them. */
function preferencesFrom(data: Record<string, unknown>): Record<string, unknown> {
  return stripAbsent({
    prefersPrivate: toggle(data.prefersPrivate),
    reminderDay: data.reminderDay === NO_REMINDERS ? null : wholeNumber(data.reminderDay),
    creditNotifications: toggle(data.creditNotifications),
    optedOut: toggle(data.optedOut),
  });
}

function stripAbsent(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
}

function form(title: string, boardName: string, body: Card[], verb: string, boardId: string, notice?: string): Card {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
      // The board's name is people's text: a TextRun is never read as Markdown.
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: boardName }] },
      ...(notice ? [{ type: 'TextBlock', text: notice, color: 'Good', wrap: true }] : []),
      ...body,
    ],
    actions: [{ type: 'Action.Execute', title: 'Save', verb, data: { boardId } }],
  };
}

const toggleInput = (id: string, label: string, on: boolean) => ({ type: 'Input.Toggle', id, title: label, label, value: String(on), valueOn: 'true', valueOff: 'false', wrap: true });

/** A lead's form for one board's settings, with its leads listed. */
export function settingsCard(boardId: string, boardName: string, settings: BoardSettings, leads: LeadEntry[], notice?: string): Card {
  return form(
    '⚙️ Board settings',
    boardName,
    [
      toggleInput('digestEnabled', 'Post the weekly digest to the team', settings.digestEnabled),
      { type: 'Input.ChoiceSet', id: 'digestDay', label: 'Digest day', choices: weekdayChoices, value: String(settings.digestDay), isRequired: true },
      { type: 'Input.Number', id: 'digestHour', label: 'Digest hour (0–23, local time)', min: 0, max: 23, value: settings.digestHour, isRequired: true },
      { type: 'Input.Text', id: 'timeZone', label: 'Time zone (an IANA name such as Europe/Berlin)', value: settings.timeZone, maxLength: 64, isRequired: true },
      { type: 'Input.ChoiceSet', id: 'weekStartsOn', label: 'Weeks start on', choices: weekdayChoices, value: String(settings.weekStartsOn), isRequired: true },
      { type: 'Input.Number', id: 'nudgeAfterDays', label: 'Nudge leads about people not credited for this many days (1–365)', min: 1, max: 365, value: settings.nudgeAfterDays, isRequired: true },
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: `Leads: ${leads.map((l) => l.name).join(', ')}` }] },
      { type: 'TextBlock', text: 'Grant or remove leads in the Noticed tab, under Settings.', isSubtle: true, size: 'Small', wrap: true },
    ],
    SAVE_SETTINGS,
    boardId,
    notice,
  );
}

/** Someone's form for their own preferences on one board. */
export function preferencesCard(prefs: BoardPreferences, notice?: string): Card {
  return form(
    '🙋 Your preferences',
    prefs.boardName,
    [
      toggleInput('prefersPrivate', 'Make new credit to me private (the giver is told)', prefs.prefersPrivate),
      {
        type: 'Input.ChoiceSet',
        id: 'reminderDay',
        label: 'Remind me to give credit',
        choices: [{ title: 'No reminders', value: NO_REMINDERS }, ...weekdayChoices.map((c) => ({ ...c, title: `Every ${c.title}` }))],
        value: prefs.reminderDay === null ? NO_REMINDERS : String(prefs.reminderDay),
        isRequired: true,
      },
      toggleInput('creditNotifications', 'Tell me privately when I receive credit', prefs.creditNotifications),
      toggleInput('optedOut', 'Opt out of Noticed on this board: no new credit to me, never named in nudges', prefs.optedOut),
      { type: 'TextBlock', text: 'Export or erase your data in the Noticed tab, under You.', isSubtle: true, size: 'Small', wrap: true },
    ],
    SAVE_PREFERENCES,
    prefs.boardId,
    notice,
  );
}
