// The kind classifier, for the browser and the server alike (core/index.ts re-exports it).
export { scoreKinds, suggestKind } from './src/classifier';
