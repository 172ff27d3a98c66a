// Types for teams-js's meeting module imported by its own path (see teams-meeting.ts): the
// package publishes them only for its index.
declare module '@microsoft/teams-js/dist/esm/packages/teams-js/src/public/meeting/meeting.js' {
  import type { meeting } from '@microsoft/teams-js';
  export const getAppContentStageSharingCapabilities: typeof meeting.getAppContentStageSharingCapabilities;
  export const shareAppContentToStage: typeof meeting.shareAppContentToStage;
}
