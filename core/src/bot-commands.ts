import type { Command } from './commands';

/** Where a bot command can be used: the Teams conversation scopes of the app manifest. */
export type BotScope = 'personal' | 'team' | 'groupChat';

/** A command the bot answers, as the help card and the Teams command menu show it. */
export interface BotCommand {
  /** The command type `parseCommand` returns for it. */
  type: Exclude<Command['type'], 'unknown'>;
  /** The word a person types after @Noticed; `parseCommand` recognises it. */
  title: string;
  /** One sentence for the Teams command menu and the help card. */
  description: string;
  /** Other words `parseCommand` takes for the same command. */
  aliases: readonly string[];
  /** The conversations where the command does its job (elsewhere the bot explains where to ask). */
  scopes: readonly BotScope[];
}

const EVERYWHERE: readonly BotScope[] = ['personal', 'team', 'groupChat'];
const SHARED: readonly BotScope[] = ['team', 'groupChat'];

// A Record keyed by command type, so a new command in the grammar does not compile until it is listed here.
const COMMANDS: Record<BotCommand['type'], Omit<BotCommand, 'type'>> = {
  credit: {
    title: 'credit',
    description: 'Credit @people for what they did; add #caught, #process, #morale, #helped or #win to name the kind.',
    aliases: ['thanks', 'kudos'],
    scopes: SHARED,
  },
  board: { title: 'board', description: 'Credits on this board in the last 7 days.', aliases: [], scopes: SHARED },
  digest: { title: 'digest', description: 'The weekly digest as it stands now: the week by kind, coverage and a spotlight.', aliases: [], scopes: SHARED },
  mine: { title: 'mine', description: 'What you received and gave.', aliases: [], scopes: EVERYWHERE },
  missed: { title: 'missed', description: 'Leads: who has not been credited for 30 days (answered privately).', aliases: [], scopes: EVERYWHERE },
  settings: { title: 'settings', description: 'Leads: the digest, the nudge window, the time zone and who leads (answered privately).', aliases: [], scopes: EVERYWHERE },
  preferences: { title: 'preferences', description: 'Your say: private credit, reminders, notifications, opting out (answered privately).', aliases: ['prefs'], scopes: EVERYWHERE },
  help: { title: 'help', description: 'What Noticed can do.', aliases: [], scopes: EVERYWHERE },
};

/**
 * Every command the bot implements, in menu order. The app manifest's command lists are
 * checked against this at package time, and the help card can be built from it.
 */
export const BOT_COMMANDS: readonly BotCommand[] = (Object.keys(COMMANDS) as Array<BotCommand['type']>).map((type) => ({ type, ...COMMANDS[type] }));
