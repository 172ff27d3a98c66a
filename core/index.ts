// The domain's public face for the server side (bot, app package, tests that cross folders).
// The store adapters are not here: only the composition root opens a store (core/store.ts).
export * from './browser';
export * from './kind-suggestion';
export { Noticed, type BoardDetails, type BoardSummary, type Caller, type CardMention, type FeedFilters, type GivenCredit, type MyCredits, type RosterQuery, isBotId, stripUndefined } from './src/noticed';
export { CreditContext } from './src/credit-context';
export { STANDUP_WINDOWS, Standups, type Spotlight, type StandupHeld, type StandupSession, type StandupWindow } from './src/standup';
export { BoardSettingsDesk, type BoardSettingsChange, LAST_LEAD, boardSettingsChangeSchema, isTimeZone } from './src/board-settings';
export { Preferences, type PreferencesChange, MADE_PRIVATE, preferencesChangeSchema } from './src/preferences';
export { Rosters, type BoardPlace, type Installed, type Installer, type RosterEntry, type RosterPage, type RosterPages, type RosterSyncRun } from './src/roster';
export { type Board, type DigestHistory, type Member, type MemberStats, type RosterSync, DEFAULT_BOARD_SETTINGS, NO_LEAD_YET, hasLead, isActive, settingsOf } from './src/board';
export { type DomainErrorCode, DomainError, NoLeadYet, invalid } from './src/errors';
export { type Command, type Mention, parseCommand } from './src/commands';
export { type BotCommand, type BotScope, BOT_COMMANDS } from './src/bot-commands';
export { EXCERPT_MAX, decodeEntities, htmlToText, messageExcerpt } from './src/message-text';
export { type CreditInput, LIMITS, creditInputSchema, idSchema, isTenantId, recipientInputSchema, tenantIdSchema } from './src/credit-input';
export { endorsersOf, toCreditView } from './src/credit-view';
export { canEndorse, canSee, isPartOf, isShared, mayShowIn, recipientKey, recipientKeys } from './src/recognition';
export { type MemberExport, FORMER_MEMBER } from './src/member-data';
export { DEMO_BOARD_ID, DEMO_BOARD_NAME, demoPeople, demoUserId } from './src/demo-board';
export { type Digest, type DigestSpotlight, COVERAGE_DAYS, DIGEST_SPOTLIGHT_MEMORY, HABIT_PROMPT } from './src/digest';
export { type Nudge, type NudgeEntry, type Reminder, NUDGE_PEOPLE_MAX } from './src/nudge';
export { Habits } from './src/habits';
export { type HabitPoster, type PostOutcome, type TickReport, HABIT_LEASE, HabitScheduler, PENDING_GRACE_MS } from './src/habit-scheduler';
export { type DueSlot, type LocalTime, type WeeklySlot, CATCH_UP_MS, dueSlot, latestSlot, localTime, periodOf, zonedInstant } from './src/schedule';
export { type SendKind, type SendRecord, type SendStatus, sendKey } from './src/send-record';
export { type CreditNotice, type CreditNoticeKind, type CreditNoticePoster, type CreditShown, CreditNotices, whoIsTold } from './src/credit-notices';
export { recognitionId } from './src/ids';
