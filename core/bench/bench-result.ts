/** The prefix of the one line a benchmark prints for `npm run bench` to read. */
export const BENCH_RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints a benchmark's figures as one JSON line after its human-readable output. */
export function benchResult(figures: Record<string, unknown>): void {
  process.stdout.write(`\n${BENCH_RESULT_PREFIX}${JSON.stringify(figures)}\n`);
}
