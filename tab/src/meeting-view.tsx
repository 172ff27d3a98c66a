import type { BoardApi } from '../../core/browser';
import type { FirstLoad } from './board-opening';
import MeetingSidePanel from './meeting-side-panel';
import MeetingStage from './meeting-stage';
import type { MeetingView as Where } from './teams';

/**
 * The board where a meeting shows it: the side panel or the stage. One chunk for both, loaded
 * only in a meeting: split in two, they cut the board's first chunk into more pieces than they save.
 */
export default function MeetingView({ view, ...props }: { view: Where; api: BoardApi; boardHints: string[]; first?: FirstLoad; onRendered?(): void }) {
  return view === 'stage' ? <MeetingStage {...props} /> : <MeetingSidePanel {...props} />;
}
