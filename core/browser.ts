// The part of the domain the tab and the add-in bundle for the browser: kinds and the shapes
// the REST API answers with. It pulls in nothing Node-only (ids.ts needs node:crypto) and no
// zod. The classifier has its own face (core/kind-suggestion.ts): the tab loads it only with
// the give-credit dialog, and esbuild splits by file, so a re-export here would load it at once.
export { KIND_IDS, KINDS, type Kind, type KindInfo, isKind, kindFromHashtag, kindFromHashtags, kindInfo } from './src/kinds';
export type { Insights, KindWeek, PreviousWindow, UnnoticedMember } from './src/insights';
export { mayChangeKind, mayRemove } from './src/recognition';
export { type TabPlace, boardHints, chooseBoard } from './src/board-choice';
export { isOutlookItemId, outlookWebLink } from './src/email-evidence';
export type { Audience, Endorsement, Evidence, Person, PostedCard, Recipient, Recognition, Source, Visibility } from './src/recognition';
export type { CreditView } from './src/credit-view';
export type { LivePosition, StandupWindow } from './src/standup-position';
export type { BoardPreferences, BoardSettings, LeadEntry, Role } from './src/board';
export {
  ApiError,
  type ApiRole,
  BoardApi,
  type BoardInfo,
  type BoardSummary,
  type CachedToken,
  type Credit,
  type CreditDraft,
  type FeedFilters,
  type Me,
  NoticedApi,
  type RosterMember,
  type TokenSource,
  cachedTokens,
  describeError,
  enc,
} from './src/api-client';
