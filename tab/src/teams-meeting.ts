// By the module's own path, not the package's index: through the index esbuild kept the whole
// meeting module in the board's first chunk (reached from teams.ts's import of the index), 2 KB
// gzipped over the tab's budget; by its path nearly all of it loads with the meeting views instead.
import * as meeting from '@microsoft/teams-js/dist/esm/packages/teams-js/src/public/meeting/meeting.js';

// The meeting calls of teams-js, beside teams.ts and behind the same rule (components never
// touch teams-js), in a file of their own so that only the meeting views' chunk carries them.

/** Whether Teams lets the caller share the app to the meeting's stage (presenters and organisers, where the meeting allows it). */
export function canShareToStage(): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      meeting.getAppContentStageSharingCapabilities((error, capabilities) => resolve(!error && Boolean(capabilities?.doesAppHaveSharePermission)));
    } catch {
      // Outside a meeting frame teams-js throws rather than calling back: no stage to share to.
      resolve(false);
    }
  });
}

/** Shares `url` to the meeting's stage, for everyone in the meeting. */
export function shareToStage(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      meeting.shareAppContentToStage((error, shared) => (error || !shared ? reject(new Error('Teams did not share to the stage.')) : resolve()), url);
    } catch {
      reject(new Error('Teams did not share to the stage.'));
    }
  });
}
