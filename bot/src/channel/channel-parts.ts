import type { Logger } from 'pino';
import type { BoardSettingsDesk, CreditNotices, Habits, Noticed, Preferences, Rosters } from '../../../core';
import type { CreditPosting } from './credit-posting';
import type { SettingsForms } from './settings-forms';
import type { TeamsRoster } from './teams-roster';

/** What the bot is built from. */
export interface BotDeps {
  noticed: Noticed;
  rosters: Rosters;
  /** The habits' digests, for showing one on demand. */
  habits: Habits;
  /** Board settings and leads, for the `settings` form. */
  boardSettings: BoardSettingsDesk;
  /** Everyone's own preferences, for the `preferences` form. */
  preferences: Preferences;
  log: Logger;
  /** The bot's Microsoft App ID, empty in local mode; used to open personal chats. */
  appId: string;
  /** Tenants whose activities the bot serves. */
  allowedTenants: readonly string[];
  /** The private notices about credit, started once a credit's card is posted (absent: nobody is told). */
  creditNotices?: Pick<CreditNotices, 'notify'>;
}

/** What each of the bot's handlers works with: the domain, and the Teams roster and posting they share. */
export interface ChannelParts {
  noticed: Noticed;
  rosters: Rosters;
  habits: Habits;
  log: Logger;
  teams: TeamsRoster;
  posting: CreditPosting;
  forms: SettingsForms;
}
