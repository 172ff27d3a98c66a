import { DEFAULT_BOARD_SETTINGS, type Member } from './board';
import type { Kind } from './kinds';
import { Noticed } from './noticed';
import type { Store } from './store/store';

/** The demo board's id; local sign-in lists its people. */
export const DEMO_BOARD_ID = 'demo-board';
/** The demo board's name, as Teams would report the team's. */
export const DEMO_BOARD_NAME = 'Northwind launch team';

const PEOPLE: Array<[string, string, Member['role']]> = [
  ['Maya Chen', 'maya.chen', 'lead'],
  ['Ana López', 'ana.lopez', 'member'],
  ["Ben O'Neil", 'ben.oneil', 'member'],
  ['Chidi Okafor', 'chidi.okafor', 'member'],
  ['Dana Kowalski', 'dana.kowalski', 'member'],
  ['Elif Yılmaz', 'elif.yilmaz', 'member'],
  ['Farid Haddad', 'farid.haddad', 'member'],
  ['Grace Kim', 'grace.kim', 'member'],
  ['Hiro Tanaka', 'hiro.tanaka', 'member'],
  ['Isabel Santos', 'isabel.santos', 'member'],
  ['Jonas Berg', 'jonas.berg', 'lead'],
  ['Kemi Adeyemi', 'kemi.adeyemi', 'member'],
];

/** The demo people's user ids, stable so local tokens and links keep working across restarts. */
export function demoUserId(index: number): string {
  return `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
}

// [days ago, giver, recipients, kind, message]: a few weeks of a launch team's credits.
// Farid, Isabel and Kemi are left out on purpose so the insights show the unnoticed.
const CREDITS: Array<[number, number, number[], Kind, string]> = [
  [34, 0, [1], 'prevented', 'Caught the currency rounding bug in the invoice export before the first customer run.'],
  [33, 2, [3], 'improved', 'Automated the release checklist so nobody has to copy the steps by hand any more.'],
  [31, 1, [4], 'sustained', 'Onboarded our two new joiners with so much patience, and wrote them a welcome guide.'],
  [30, 10, [2, 3], 'delivered', 'Shipped the new checkout to every customer on time.'],
  [29, 3, [5], 'enabled', 'Set up the staging data on a Sunday so the QA team was unblocked on Monday.'],
  [27, 4, [7], 'prevented', 'Spotted the expired SSO certificate a week before it would have broken sign-in.'],
  [26, 5, [1], 'improved', 'Documented the on-call runbook end to end. #docs'],
  [24, 0, [8], 'sustained', 'Kept everyone motivated through the crunch with the Friday demos.'],
  [23, 7, [2], 'enabled', 'Covered my support shift so I could finish the migration.'],
  [22, 8, [3], 'prevented', 'Her code review caught a permissions hole in the upload endpoint.'],
  [20, 1, [0], 'delivered', 'Closed the Contoso renewal, the biggest of the quarter.'],
  [19, 2, [4], 'improved', 'Cut the pipeline build time in half by caching dependencies.'],
  [18, 10, [5, 7], 'enabled', 'Did all the research legwork behind the pricing proposal.'],
  [17, 3, [1], 'sustained', 'Mentored me through my first incident review.'],
  [16, 4, [8], 'prevented', 'Flagged the double-charging edge case before release.'],
  [15, 5, [2], 'delivered', 'Launched the mobile app in the store.'],
  [13, 0, [3], 'improved', 'Streamlined the approval workflow from five steps to two.'],
  [12, 7, [4], 'enabled', 'Jumped in to answer customer questions during the outage call.'],
  [11, 8, [1], 'prevented', 'Noticed the backup job had silently stopped and fixed it.'],
  [10, 1, [7], 'sustained', 'Organised the team lunch that lifted everyone after a hard week.'],
  [9, 10, [2], 'delivered', 'Hit the deadline for the Q3 release; it went live without a hitch.'],
  [8, 2, [5], 'improved', 'Turned our messy wiki into one clear onboarding checklist.'],
  [7, 3, [8], 'enabled', 'Paired with me for two days to get the data export working.'],
  [6, 4, [0], 'sustained', 'Checked in on everyone during the reorg and kept the team spirit alive.'],
  [5, 5, [3], 'prevented', 'Caught the typo in the pricing page before the campaign went out. #caught'],
  [4, 7, [1, 4], 'delivered', 'Presented the demo that won over the Fabrikam board.'],
  [3, 8, [2], 'improved', 'Wrote the script that cleans up stale feature flags.'],
  [2, 0, [5], 'enabled', 'Unblocked the design review by preparing every mock-up overnight.'],
  [1, 1, [8], 'sustained', 'Welcomed our new intern with a personal tour and a buddy plan.'],
  [0, 10, [7], 'prevented', 'Rolled back the bad deploy within minutes and averted an outage.'],
];

/** Seeds the demo board on first run; does nothing when it already exists. */
export async function seedDemoBoard(store: Store, tenantId: string, now = new Date()): Promise<boolean> {
  if (await store.boards.get(tenantId, DEMO_BOARD_ID)) return false;
  const started = new Date(now.getTime() - 40 * 86_400_000).toISOString();
  await store.boards.put({ tenantId, id: DEMO_BOARD_ID, name: DEMO_BOARD_NAME, settings: DEFAULT_BOARD_SETTINGS, createdAt: started, updatedAt: now.toISOString() });
  for (const [i, [name, handle, role]] of PEOPLE.entries()) {
    await store.members.put({
      tenantId,
      boardId: DEMO_BOARD_ID,
      userId: demoUserId(i),
      channelUserId: channelUserIdOf(handle),
      name,
      email: emailOf(handle),
      role,
      joinedAt: started,
      prefersPrivate: false,
      optedOut: false,
    });
  }
  let clock = now;
  const noticed = new Noticed(store, () => clock);
  for (const [n, [daysAgo, giver, recipients, kind, message]] of CREDITS.entries()) {
    clock = new Date(now.getTime() - daysAgo * 86_400_000 - (n % 5) * 3_600_000);
    const caller = { tenantId, userId: demoUserId(giver), name: PEOPLE[giver][0] };
    await noticed.giveCredit(caller, DEMO_BOARD_ID, { recipients: recipients.map((r) => ({ userId: demoUserId(r) })), kind, message }, 'tab');
  }
  return true;
}

/** The demo people, for the local sign-in picker and the terminal chat. */
export function demoPeople(): Array<{ userId: string; channelUserId: string; name: string; email: string; role: Member['role'] }> {
  return PEOPLE.map(([name, handle, role], i) => ({ userId: demoUserId(i), channelUserId: channelUserIdOf(handle), name, email: emailOf(handle), role }));
}

const channelUserIdOf = (handle: string) => `29:demo-${handle}`;
const emailOf = (handle: string) => `${handle}@northwind.example`;
