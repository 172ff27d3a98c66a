// The views beside the board, loaded as one piece on first use (board-app.tsx says why): what
// opens one of them is a visit to more than the board, and the next opens at once.
export { default as StandupMode } from './standup-mode';
export { default as InsightsView } from './insights-view';
export { default as SettingsView } from './settings-view';
export { default as MyCreditsView } from './my-credits-view';
export { default as YouView } from './you-view';
export { default as LinkedCreditCheck } from './linked-credit-check';
