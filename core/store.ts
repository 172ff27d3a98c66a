// The stores, for the composition root (bot/src/app.ts) and the tests that build one. Everything
// else asks the domain (core/index.ts): a rule decided beside the store is a rule nobody finds.
export type { BoardStore, CreditFact, FeedQuery, LeaseStore, MemberErasure, MemberStore, Page, RecognitionStore, SendStore, StatsStore, Store } from './src/store/store';
export { type SqliteStore, openSqliteStore } from './src/store/sqlite-store';
// The feed's cursor, for the store benchmark's deep pages: a reader far back in a board's history.
export { type FeedPosition, encodeCursor } from './src/store/feed-cursor';
export { openCosmosStore } from './src/store/cosmos-store';
export { seedDemoBoard } from './src/demo-board';
