import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Frame, Page } from 'playwright-core';
import { benchResult } from '../../core/bench/bench-result';
import { KIND_IDS, demoUserId } from '../../core';
import { LOCAL_TENANT_ID } from '..';
import { launchBrowser, newTestContext } from '../../test/support/browser';
import { openInMockTeams } from '../../test/support/mock-teams-host';
import { startTestApp } from '../../test/support/test-app';

/**
 * `npm run bench:browser`: what a person waits for in headless Chromium, on the real server
 * in local mode, with the tab and the add-in built (`npm run build:apps`): a board of 500
 * credits opened in the (mock) Teams frame, first visit, until its first cards answer; and
 * the Outlook pane, opened again by a remembered user, until its "ready to credit" mark.
 * Each is the median of BENCH_BROWSER_SAMPLES visits, each first visit in a fresh context.
 */
const SAMPLES = Number(process.env.BENCH_BROWSER_SAMPLES ?? 5);
const BIG_BOARD = 'bench-big-board';
const BIG_COUNT = 500;
const MAYA = { tenantId: LOCAL_TENANT_ID, userId: demoUserId(0), name: 'Maya Chen' };
const FIRST_CARD = '[role="article"] button:not([disabled])';
const ANSWERS_MARK = 'bench-first-card-answers';

/**
 * Runs in the tab's frame before its own code: marks the first moment after the first card's
 * buttons are on screen that the page runs a task of its own, which is when a click on them
 * would be handled (the frame after their commit is painted, then the next task). Measured in
 * the page, so the figure does not include Playwright's polling, whose answers wait on this
 * process's event loop, which also runs the server; and said on the console, so nothing polls
 * the tab's frame while it loads (Playwright's waits inject a script of their own there and
 * check it on every frame, work no user's tab does).
 */
const markFirstCardAnswers = `(() => {
  if (!location.pathname.startsWith('/tab/')) return;
  const seen = new MutationObserver(() => {
    if (!document.querySelector(${JSON.stringify(FIRST_CARD)})) return;
    seen.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      performance.mark(${JSON.stringify(ANSWERS_MARK)});
      console.debug(${JSON.stringify(ANSWERS_MARK)});
    }));
  });
  seen.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
})()`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** What the server spent on each request of a visit, by what it was for, from its own request log. */
type ServerTimes = Record<string, number[]>;

/** The request log's lines, kept for the visit being measured. */
function requestLog() {
  let lines: Array<{ path: string; ms: number }> = [];
  const stream = {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; path?: string; ms?: number };
      if (entry.msg === 'request' && entry.path && typeof entry.ms === 'number') lines.push({ path: entry.path, ms: entry.ms });
    },
  };
  return {
    log: pino({ level: 'info' }, stream),
    /** The requests since the last call, grouped: the token, /me, the board, its roster, the feed's first page and the rest. */
    take(): ServerTimes {
      const times: ServerTimes = {};
      let pages = 0;
      for (const { path, ms } of lines) {
        const kind = path === '/api/v1/dev/token' ? 'token' : path === '/api/v1/me' ? '/me' : path.endsWith('/members') ? 'roster' : path.endsWith('/recognitions') ? (pages++ ? 'feed, later pages' : 'feed, first page') : path.startsWith('/api/v1/boards/') ? 'board' : path.startsWith('/tab/') ? 'tab files' : undefined;
        if (kind) (times[kind] ??= []).push(ms);
      }
      lines = [];
      return times;
    },
  };
}

/** ms from the host page's navigation start, and from the tab frame's own, to the mark. */
async function markAfterNavigation(page: Page, tab: Frame): Promise<{ fromHost: number; fromTab: number }> {
  const hostOrigin = (await page.evaluate('performance.timeOrigin')) as number;
  const { origin, at } = (await tab.evaluate(`({ origin: performance.timeOrigin, at: performance.getEntriesByName(${JSON.stringify(ANSWERS_MARK)})[0]?.startTime })`)) as { origin: number; at?: number };
  if (at === undefined) throw new Error('the tab never marked its first card');
  return { fromHost: origin + at - hostOrigin, fromTab: at };
}

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  if (!existsSync(join(root, 'tab', 'build', 'index.html')) || !existsSync(join(root, 'addin', 'build', 'preview.html'))) throw new Error('Build the tab and the add-in first: npm run build:apps');
  const requests = requestLog();
  // The demo board and the local issuer, as `npm start` runs them: the pane signs in through it.
  const [t, browser] = await Promise.all([startTestApp({ SEED_DEMO: 'true', AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, { log: requests.log }, { localIssuer: true }), launchBrowser()]);
  try {
    // The same board as test/browser/tab-teams.test.ts: 500 credits, every kind, 24 people.
    const people = Array.from({ length: 24 }, (_, i) => ({ userId: demoUserId(i), name: i === 0 ? MAYA.name : `Person ${i + 1}`, role: i === 0 ? ('lead' as const) : ('member' as const) }));
    await t.board(LOCAL_TENANT_ID, BIG_BOARD, people);
    for (let i = 0; i < BIG_COUNT; i++) {
      const giver = people[(i % 23) + 1];
      const recipient = people[((i * 7) % 23) + 1 === (i % 23) + 1 ? 0 : ((i * 7) % 23) + 1];
      const input = { recipients: [{ userId: recipient.userId }], message: `Credit number ${i + 1}: kept the release train on time by checking every step twice.`, kind: KIND_IDS[i % KIND_IDS.length] };
      await t.app.noticed.giveCredit({ tenantId: LOCAL_TENANT_ID, userId: giver.userId, name: giver.name }, BIG_BOARD, input, 'api');
    }

    const board: number[] = [];
    const fromTab: number[] = [];
    const observed: number[] = [];
    const server: ServerTimes = {};
    for (let i = 0; i < SAMPLES + 1; i++) {
      const context = await newTestContext(browser, { viewport: { width: 1366, height: 900 } });
      await context.addInitScript(markFirstCardAnswers);
      const page = await context.newPage();
      requests.take();
      const answered = page.waitForEvent('console', { predicate: (message) => message.text() === ANSWERS_MARK, timeout: 30_000 });
      const started = Date.now();
      // From another origin, so the host's script runs in a process of its own as real Teams' does,
      // not on the tab's main thread (there its SSO answer waited behind the board's code).
      const tab = await openInMockTeams(page, t.url, { user: MAYA, teamId: BIG_BOARD, crossOrigin: true });
      await answered;
      const seen = Date.now() - started;
      const mark = await markAfterNavigation(page, tab);
      // The first visit warms the server (and Chromium's own start-up); it is not counted.
      if (i > 0) {
        board.push(Math.round(mark.fromHost));
        fromTab.push(Math.round(mark.fromTab));
        observed.push(seen);
        for (const [kind, ms] of Object.entries(requests.take())) (server[kind] ??= []).push(kind === 'tab files' || kind === 'feed, later pages' ? ms.reduce((a, b) => a + b, 0) : ms[0]);
      }
      await context.close();
    }

    const context = await newTestContext(browser, { viewport: { width: 900, height: 820 } });
    const first = await context.newPage();
    await first.goto(`${t.url}/addin/preview.html`);
    await first.waitForSelector('main[data-state="sign-in"]');
    await first.getByRole('button', { name: 'Sign in' }).click();
    await first.waitForSelector('main[data-state="ready"]');
    await first.close();
    const pane: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const page = await context.newPage();
      await page.goto(`${t.url}/addin/preview.html`);
      await page.waitForSelector('body[data-ready="true"] main[data-state="ready"]', { timeout: 30_000 });
      pane.push((await page.evaluate(() => performance.getEntriesByName('noticed-ready-to-credit')[0]?.startTime ?? -1)) as number);
      await page.close();
    }
    await context.close();
    const serverMedians = Object.fromEntries(Object.entries(server).map(([kind, ms]) => [kind, Number(median(ms).toFixed(1))]));
    console.log(`\nBoard of ${BIG_COUNT}, first card's buttons answer, from the host page's navigation: ${board.join(', ')} ms; from the tab frame's: ${fromTab.join(', ')} ms`);
    console.log(`  as this process heard of them, from before the host page was asked for: ${observed.join(', ')} ms`);
    console.log(`  server time per visit, median ms: ${Object.entries(serverMedians).map(([kind, ms]) => `${kind} ${ms}`).join(', ')} (tab files and later feed pages summed)`);
    console.log(`Add-in ready to credit, remembered user: ${pane.map(Math.round).join(', ')} ms`);
    benchResult({
      samples: SAMPLES,
      boardInteractiveMs: median(board),
      boardAllMs: board,
      boardFromTabMs: median(fromTab),
      boardObservedMs: median(observed),
      boardServerMs: serverMedians,
      paneReadyMs: median(pane),
      paneAllMs: pane.map(Math.round),
    });
  } finally {
    await browser.close();
    await t.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
