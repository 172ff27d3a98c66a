import type Database from 'better-sqlite3';
import type { LeaseStore } from './store';

/** Named leases in SQLite: one row per lease, taken by a conditional upsert. */
export class SqliteLeaseStore implements LeaseStore {
  private readonly take: Database.Statement<{ name: string; holder: string; expires: number; now: number }>;
  private readonly drop: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    // One statement, so two instances racing for the lease cannot both see it free.
    this.take = db.prepare(
      `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.expires_at <= @now OR leases.holder = excluded.holder`,
    );
    this.drop = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  }

  async acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.take.run({ name, holder, expires: now.getTime() + ttlMs, now: now.getTime() }).changes > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    this.drop.run(name, holder);
  }
}
