// The board's pieces that load beside it rather than with it (the filters, Fluent's view tabs,
// Change kind): one entry, so esbuild splits them into one set of chunks, not a set each, and
// the board's first files stay as few as before they left it.
export { default as BoardFilters } from './board-filters';
export { default as FluentViewTabs } from './fluent-view-tabs';
export { default as KindSelect } from './kind-select';
