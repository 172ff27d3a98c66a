// The part of the domain the tab and the add-in bundle for the browser: kinds, the classifier
// and the shapes the REST API answers with. It pulls in nothing Node-only (ids.ts needs
// node:crypto) and no zod, so the bundles stay as small as they were.
export { KIND_IDS, KINDS, type Kind, type KindInfo, isKind, kindFromHashtag, kindFromHashtags, kindInfo } from './src/kinds';
export { scoreKinds, suggestKind } from './src/classifier';
export type { Insights, KindWeek, UnnoticedMember } from './src/insights';
export type { Audience, Endorsement, Evidence, Person, PostedCard, Recipient, Recognition, Source, Visibility } from './src/recognition';
export type { CreditView } from './src/credit-view';
export type { BoardSettings, Role } from './src/board';
