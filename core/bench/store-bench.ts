import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Caller, DEFAULT_BOARD_SETTINGS, KIND_IDS, type Kind, type Member, Noticed, type Recipient, type Recognition, type Source, recognitionId } from '..';
import { type FeedQuery, type SqliteStore, encodeCursor, openSqliteStore } from '../store';
import { benchResult } from './bench-result';

/*
 * Fills a SQLite store with a year's worth of a large organisation's credits and measures
 * the paths users wait on: giving credit, reading a board's feed, and a lead's insights; then,
 * in a second file, insights for one big board (issue #15: 5,000 members, 100,000 credits in
 * 90 days). `BENCH_CREDITS`, `BENCH_BIG_MEMBERS`, `BENCH_BIG_CREDITS` make a smaller run.
 */

const CREDITS = Number(process.env.BENCH_CREDITS ?? 1_000_000);
const BOARDS = 200;
const MEMBERS_PER_BOARD = 50;
const TENANTS = 3;
const HISTORY_DAYS = 180;
const SINGLE_CREATES = Math.min(20_000, Math.floor(CREDITS / 10));
const BULK_CHUNK = 25_000;
const FEED_SAMPLES = 500;
const INSIGHT_SAMPLES = 200;
const WARMUP = 30;
const BIG_WARMUP = 3;
const FEED_P95_MS = 10;
const INSIGHTS_P95_MS = 50;
const BIG_INSIGHTS_P95_MS = 20;
const BIG_MEMBERS = Number(process.env.BENCH_BIG_MEMBERS ?? 5_000);
const BIG_CREDITS = Number(process.env.BENCH_BIG_CREDITS ?? 100_000);
const BIG_DAYS = 90;
const BIG_SAMPLES = Number(process.env.BENCH_BIG_SAMPLES ?? 30);
const DAY_MS = 86_400_000;
const NOW = new Date('2025-06-30T16:00:00.000Z');

/** A small seeded generator (mulberry32), so every run writes the same data set. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = seeded(20250630);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)];

/** Picks from weighted choices: `[[value, weight], …]`. */
function weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of choices) {
    r -= w;
    if (r < 0) return value;
  }
  return choices[choices.length - 1][0];
}

const KIND_MIX: ReadonlyArray<readonly [Kind, number]> = [
  ['delivered', 34],
  ['enabled', 24],
  ['improved', 16],
  ['prevented', 13],
  ['sustained', 13],
];
const SOURCE_MIX: ReadonlyArray<readonly [Source, number]> = [
  ['message-extension', 40],
  ['bot', 30],
  ['tab', 15],
  ['outlook', 12],
  ['api', 3],
];
const RECIPIENT_COUNT: ReadonlyArray<readonly [number, number]> = [
  [1, 70],
  [2, 22],
  [3, 8],
];
const PHRASES = [
  'stayed late to get the release candidate through the pipeline',
  'spotted the expired certificate before the rollout',
  'rewrote the onboarding guide so new starters are productive on day one',
  'paired with the new hires all week',
  'closed the renewal with the biggest customer in the region',
  'unblocked the data migration by untangling the permissions',
  'automated the weekly report that used to take an afternoon',
  'kept the incident channel calm and the customers informed',
];

interface BoardSeed {
  tenantId: string;
  id: string;
  members: Member[];
  /** Cumulative weights: credit is uneven, a few people get much of it and some are rarely noticed. */
  receiving: number[];
  giving: number[];
  /** Feed positions of the board's credits that every member may see, oldest first. */
  positions: Array<{ createdAt: string; id: string }>;
  lastId?: string;
}

/** Cumulative Zipf weights with exponent s over n people in a random order. */
function zipf(n: number, s: number): number[] {
  const ranks = Array.from({ length: n }, (_, i) => i).sort(() => random() - 0.5);
  let sum = 0;
  return ranks.map((rank) => (sum += 1 / (rank + 1) ** s));
}

/** A member drawn by the cumulative weights (a binary search: the big board has 5,000). */
function drawMember(board: BoardSeed, cumulative: number[]): Member {
  const r = random() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] <= r) lo = mid + 1;
    else hi = mid;
  }
  return board.members[lo];
}

function boardsAndMembers(): BoardSeed[] {
  const boards: BoardSeed[] = [];
  for (let b = 0; b < BOARDS; b++) boards.push(boardSeed(`tenant-${b % TENANTS}`, `19:board-${b}@thread.tacv2`, b * MEMBERS_PER_BOARD, MEMBERS_PER_BOARD));
  return boards;
}

/** A board of `size` people numbered from `first`. */
function boardSeed(tenantId: string, id: string, first: number, size: number): BoardSeed {
  const members: Member[] = [];
  for (let m = 0; m < size; m++) {
    const n = first + m;
    members.push({
      tenantId,
      boardId: id,
      userId: `user-${n}`,
      name: `Person ${n}`,
      email: `person.${n}@example.com`,
      // Two leads per board, as a team usually has an owner and a deputy.
      role: m < 2 ? 'lead' : 'member',
      joinedAt: new Date(NOW.getTime() - 365 * DAY_MS).toISOString(),
      prefersPrivate: random() < 0.03,
      optedOut: random() < 0.01,
    });
  }
  return { tenantId, id, members, receiving: zipf(members.length, 0.9), giving: zipf(members.length, 0.6), positions: [] };
}

/** One credit on a random board at the given time, with a realistic shape. */
function credit(board: BoardSeed, at: number): Recognition {
  const giver = drawMember(board, board.giving);
  const recipients: Recipient[] = [];
  const count = weighted(RECIPIENT_COUNT);
  while (recipients.length < count) {
    if (random() < 0.02) {
      const n = int(5000);
      recipients.push({ email: `partner.${n}@contoso.example`, name: `Partner ${n}` });
      continue;
    }
    const m = drawMember(board, board.receiving);
    if (m.userId !== giver.userId && !recipients.some((r) => r.userId === m.userId)) recipients.push({ userId: m.userId, email: m.email, name: m.name });
  }
  const endorsements = [];
  if (random() < 0.3) {
    const seen = new Set([giver.userId, ...recipients.map((r) => r.userId)]);
    for (let i = 1 + int(4); i > 0; i--) {
      const e = pick(board.members);
      if (seen.has(e.userId)) continue;
      seen.add(e.userId);
      endorsements.push({ userId: e.userId, name: e.name, at: new Date(at + (1 + int(48)) * 3_600_000).toISOString() });
    }
  }
  const createdAt = new Date(at).toISOString();
  const rec: Recognition = {
    id: recognitionId(board.tenantId, board.id),
    tenantId: board.tenantId,
    boardId: board.id,
    giver: { userId: giver.userId, name: giver.name },
    recipients,
    kind: weighted(KIND_MIX),
    message: `${recipients.map((r) => r.name).join(' and ')} ${pick(PHRASES)}. Thank you!`,
    source: weighted(SOURCE_MIX),
    visibility: random() < 0.05 ? 'private' : 'board',
    createdAt,
    endorsements,
  };
  const evidence = random();
  if (evidence < 0.35) rec.evidence = { type: 'teams-message', url: `https://teams.microsoft.com/l/message/${board.id}/${at}`, ref: String(at) };
  else if (evidence < 0.45) rec.evidence = { type: 'email', title: 'Re: quarterly close', ref: `AAQk${at}` };
  else if (evidence < 0.55) rec.evidence = { type: 'link', url: `https://dev.azure.com/contoso/_workitems/${at % 100_000}`, title: 'Work item' };
  if (board.lastId && random() < 0.03) rec.inspiredBy = board.lastId;
  board.lastId = rec.id;
  if (rec.visibility === 'board') board.positions.push({ createdAt, id: rec.id });
  return rec;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Timing {
  name: string;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  targetMs?: number;
}

/** Times `run` over `samples` calls (after a few untimed warm-up calls) and returns the percentiles in ms. */
async function time(name: string, samples: number, run: (i: number) => Promise<unknown>, targetMs?: number, warmup = WARMUP): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await run(-1 - i);
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await run(i);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { name, samples, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), targetMs };
}

async function load(store: SqliteStore, boards: BoardSeed[]): Promise<{ bulkRate: number; singleRate: number; single: Timing; seconds: number }> {
  const started = performance.now();
  for (const board of boards) {
    const now = NOW.toISOString();
    await store.boards.put({ tenantId: board.tenantId, id: board.id, name: `Board ${board.id}`, settings: DEFAULT_BOARD_SETTINGS, createdAt: now, updatedAt: now });
    for (const m of board.members) await store.members.put(m);
  }

  // Credits arrive in time order over the history window, each on a random board.
  const start = NOW.getTime() - HISTORY_DAYS * DAY_MS;
  const step = (HISTORY_DAYS * DAY_MS - 3_600_000) / CREDITS;
  const at = (i: number) => Math.floor(start + i * step + random() * step);
  const bulk = CREDITS - SINGLE_CREATES;

  const bulkStart = performance.now();
  for (let from = 0; from < bulk; from += BULK_CHUNK) {
    const chunk: Recognition[] = [];
    for (let i = from; i < Math.min(bulk, from + BULK_CHUNK); i++) chunk.push(credit(pick(boards), at(i)));
    store.createRecognitions(chunk);
    if ((from / BULK_CHUNK) % 8 === 7) process.stdout.write(`  loaded ${(from + BULK_CHUNK).toLocaleString('en-US')} credits\n`);
  }
  const bulkRate = bulk / ((performance.now() - bulkStart) / 1000);

  // The last credits go one by one through `create`, each its own transaction, as the API writes them.
  let next = bulk;
  const singleStart = performance.now();
  const single = await time('create (one credit, own transaction)', SINGLE_CREATES - WARMUP, async () => {
    await store.recognitions.create(credit(pick(boards), at(next++)));
  });
  const singleRate = SINGLE_CREATES / ((performance.now() - singleStart) / 1000);
  return { bulkRate, singleRate, single, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const runStart = performance.now();
  // BENCH_KEEP_DB keeps the filled file there, for bench:bot to credit on top of (npm run bench does).
  const kept = process.env.BENCH_KEEP_DB;
  const path = kept ?? join(tmpdir(), `noticed-store-bench-${process.pid}.db`);
  if (kept) removeDatabase(kept);
  const store = openSqliteStore(path);
  let open = true;
  let measured = false;
  try {
    const boards = boardsAndMembers();
    process.stdout.write(`Filling ${path} with ${CREDITS.toLocaleString('en-US')} credits, ${BOARDS} boards, ${BOARDS * MEMBERS_PER_BOARD} members, ${TENANTS} tenants…\n`);
    const loaded = await load(store, boards);

    const feedQuery = (board: BoardSeed, extra: Partial<FeedQuery> = {}): FeedQuery => ({
      tenantId: board.tenantId,
      boardId: board.id,
      viewerId: pick(board.members).userId,
      limit: 20,
      ...extra,
    });
    const page = (q: FeedQuery) => store.recognitions.page(q);
    const feeds: Timing[] = [
      await time('feed: first page', FEED_SAMPLES, () => page(feedQuery(pick(boards))), FEED_P95_MS),
      await time(
        'feed: deep page (cursor)',
        FEED_SAMPLES,
        () => {
          const board = pick(boards);
          // A position in the older half of the board's history, as a reader scrolling far back would reach.
          const half = Math.floor(board.positions.length / 2);
          return page(feedQuery(board, { cursor: encodeCursor(board.positions[int(Math.max(1, half))]) }));
        },
        FEED_P95_MS,
      ),
      await time('feed: by kind', FEED_SAMPLES, () => page(feedQuery(pick(boards), { kind: pick(KIND_IDS) })), FEED_P95_MS),
      await time(
        'feed: by recipient',
        FEED_SAMPLES,
        () => {
          const board = pick(boards);
          return page(feedQuery(board, { recipientKey: pick(board.members).userId }));
        },
        FEED_P95_MS,
      ),
      await time(
        'feed: by giver',
        FEED_SAMPLES,
        () => {
          const board = pick(boards);
          return page(feedQuery(board, { giverId: pick(board.members).userId }));
        },
        FEED_P95_MS,
      ),
    ];

    const noticed = new Noticed(store, () => NOW);
    const insights = await time(
      'insights: 30 days, one board',
      INSIGHT_SAMPLES,
      () => {
        const board = pick(boards);
        const lead = board.members[int(2)];
        const caller: Caller = { tenantId: board.tenantId, userId: lead.userId, name: lead.name };
        return noticed.insights(caller, board.id, 30);
      },
      INSIGHTS_P95_MS,
    );

    const size = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    await store.close();
    open = false;
    if (!kept) removeDatabase(path);
    const big = await bigBoardInsights();
    report(loaded, [loaded.single, ...feeds, insights, big.timing], size, (performance.now() - runStart) / 1000);
    process.stdout.write(`Big board: event loop ${big.loopMs.toFixed(2)} ms per insights call (CPU time of the main thread)\n`);
    benchResult({
      credits: CREDITS,
      feedFirstPageP95Ms: feeds[0].p95,
      feedWorstP95Ms: Math.max(...feeds.map((t) => t.p95)),
      insights30DaysP95Ms: insights.p95,
      bigBoard: { members: BIG_MEMBERS, credits: BIG_CREDITS, days: BIG_DAYS, samples: BIG_SAMPLES, p95Ms: big.timing.p95, loopMsPerCall: big.loopMs },
    });
    const failed = [...feeds, insights, big.timing].some((t) => t.targetMs !== undefined && t.p95 > t.targetMs);
    process.exitCode = failed ? 1 : 0;
    measured = true;
  } finally {
    if (open) await store.close();
    // A run that failed leaves no half-filled file behind.
    if (!kept || !measured) removeDatabase(path);
  }
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** One board of BIG_MEMBERS people with BIG_CREDITS credits spread over the last BIG_DAYS days, in a file of its own. */
async function bigBoardInsights(): Promise<{ timing: Timing; loopMs: number }> {
  const path = join(tmpdir(), `noticed-store-bench-big-${process.pid}.db`);
  const store = openSqliteStore(path);
  try {
    const board = boardSeed('tenant-big', '19:big-board@thread.tacv2', 1_000_000, BIG_MEMBERS);
    process.stdout.write(`Filling ${path}: one board, ${BIG_MEMBERS.toLocaleString('en-US')} members, ${BIG_CREDITS.toLocaleString('en-US')} credits in ${BIG_DAYS} days…\n`);
    const now = NOW.toISOString();
    await store.boards.put({ tenantId: board.tenantId, id: board.id, name: 'Big board', settings: DEFAULT_BOARD_SETTINGS, createdAt: now, updatedAt: now });
    for (const m of board.members) await store.members.put(m);
    const start = NOW.getTime() - BIG_DAYS * DAY_MS;
    const step = (BIG_DAYS * DAY_MS - 3_600_000) / BIG_CREDITS;
    for (let from = 0; from < BIG_CREDITS; from += BULK_CHUNK) {
      const chunk: Recognition[] = [];
      for (let i = from; i < Math.min(BIG_CREDITS, from + BULK_CHUNK); i++) chunk.push(credit(board, Math.floor(start + i * step + random() * step)));
      store.createRecognitions(chunk);
    }
    const noticed = new Noticed(store, () => NOW);
    const lead = board.members[0];
    const caller: Caller = { tenantId: board.tenantId, userId: lead.userId, name: lead.name };
    const loopBefore = eventLoopCpuMicros();
    const timing = await time(`insights: ${BIG_DAYS} days, big board`, BIG_SAMPLES, () => noticed.insights(caller, board.id, BIG_DAYS), BIG_INSIGHTS_P95_MS, BIG_WARMUP);
    // The warm-up calls ran on the same thread: count them in the divisor too.
    const loopMs = (eventLoopCpuMicros() - loopBefore) / (BIG_SAMPLES + BIG_WARMUP) / 1000;
    return { timing, loopMs };
  } finally {
    await store.close();
    removeDatabase(path);
  }
}

/** CPU time of the calling thread (here the event loop), where Linux reports it; 0 elsewhere. */
function eventLoopCpuMicros(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
  } catch {
    return 0;
  }
}

function report(loaded: { bulkRate: number; singleRate: number; seconds: number }, timings: Timing[], bytes: number, seconds: number): void {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const ms = (v: number) => v.toFixed(2);
  const rows: string[][] = [
    ['measure', 'samples', 'p50 ms', 'p95 ms', 'p99 ms', 'target p95', 'result'],
    ...timings.map((t) => [
      t.name,
      n(t.samples),
      ms(t.p50),
      ms(t.p95),
      ms(t.p99),
      t.targetMs === undefined ? '-' : `≤ ${t.targetMs} ms`,
      t.targetMs === undefined ? '-' : t.p95 <= t.targetMs ? 'PASS' : 'FAIL',
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  const out = [
    '',
    `Store: SQLite, ${n(CREDITS)} credits, ${BOARDS} boards × ${MEMBERS_PER_BOARD} members, ${TENANTS} tenants, ${HISTORY_DAYS} days; file ${(bytes / 1_048_576).toFixed(0)} MB`,
    `Writes: bulk ${n(loaded.bulkRate)} credits/s (create, ${n(BULK_CHUNK)} per outer transaction); single ${n(loaded.singleRate)} credits/s (create, own transaction, ${n(SINGLE_CREATES)} credits)`,
    `Load took ${loaded.seconds.toFixed(1)} s; whole run ${seconds.toFixed(1)} s`,
    '',
    line(rows[0]),
    `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.slice(1).map(line),
    '',
  ];
  process.stdout.write(out.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
