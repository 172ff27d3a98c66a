import { suggestKind } from '../src/classifier';
import type { Kind } from '../src/kinds';

const cases: Array<[string, Kind]> = [
  // A hashtag always decides.
  ['for the migration fix #caught', 'prevented'],
  ['for the release notes #docs', 'improved'],
  ['for sitting with the new hire all week #onboarding', 'sustained'],
  ['for getting the contract over the line #win', 'delivered'],
  ['for answering my questions late at night #unblocked', 'enabled'],
  ['for the Friday quiz #MORALE', 'sustained'],
  ['for shipping the mobile app #shipped', 'delivered'],
  ['for checking the numbers #saved', 'prevented'],
  // Caught it early.
  ['catching the migration bug before release', 'prevented'],
  ['spotted the wrong currency in the invoice template before it went out', 'prevented'],
  ['flagged the expired certificate a week before it broke login', 'prevented'],
  ['noticed the pricing typo on the landing page', 'prevented'],
  ['found the bug in the payroll export that would have paid everyone twice', 'prevented'],
  ['her review caught a security hole in the upload endpoint', 'prevented'],
  ['prevented a data leak by locking down the shared drive', 'prevented'],
  ['rolled back the bad deploy within minutes and averted an outage', 'prevented'],
  // Improved how we work.
  ['automated the weekly report so nobody has to copy numbers by hand', 'improved'],
  ['streamlined the approval workflow from five steps to two', 'improved'],
  ['documented the on-call runbook end to end', 'improved'],
  ['cut the build time of the pipeline in half', 'improved'],
  ['wrote a script that cleans up stale branches', 'improved'],
  ['turned our messy wiki into a clear checklist', 'improved'],
  ['refactored the billing module so changes are simpler', 'improved'],
  ['standardised the sales deck templates for the whole region', 'improved'],
  // Kept us going.
  ['mentoring two juniors through their first quarter', 'sustained'],
  ['kept everyone motivated during the crunch', 'sustained'],
  ['organizing the team lunch that lifted our morale', 'sustained'],
  ['onboarding Priya with so much patience', 'sustained'],
  ['welcoming every new joiner with a personal note', 'sustained'],
  ['coaching me before my first customer call', 'sustained'],
  ['the retro that finally let us talk about the stress', 'sustained'],
  ['checking in on people when things got rough and keeping the team spirit alive', 'sustained'],
  // Delivered the win.
  ['closing the Contoso deal', 'delivered'],
  ['launching the new checkout on time', 'delivered'],
  ['we shipped version 2.0 to every customer', 'delivered'],
  ['the demo that won over the board', 'delivered'],
  ['hit the deadline for the Q3 release and it went live without a hitch', 'delivered'],
  ['landed the biggest renewal of the year', 'delivered'],
  // Made it possible.
  ['unblocking the data team by setting up access on a Sunday', 'enabled'],
  ['stepped in and covered my on-call shift', 'enabled'],
  ['helped me prepare the numbers for the board pack', 'enabled'],
  ['did the research legwork behind the proposal', 'enabled'],
  ['jumped in to answer every customer question during the outage call', 'enabled'],
  ['took over the vendor calls so I could focus', 'enabled'],
  // No cue at all: the default is the most general behind-the-scenes kind.
  ['being great', 'enabled'],
  ['', 'enabled'],
];

describe('suggestKind', () => {
  test.each(cases)('%j → %s', (text, kind) => {
    expect(suggestKind(text)).toBe(kind);
  });

  test('is deterministic', () => {
    const text = 'spotted the flaky test and automated the retry';
    expect(new Set(Array.from({ length: 20 }, () => suggestKind(text))).size).toBe(1);
  });
});
