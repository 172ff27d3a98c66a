/**
 * A per-key token bucket: `burst` requests at once, refilled at `perMinute`. Kept in memory
 * per instance, so behind a load balancer the effective limit is per instance; enough to
 * stop a runaway client, not a quota.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds until the next one. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 50_000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) if (now - b.at > 10 * 60_000) this.buckets.delete(key);
  }
}
