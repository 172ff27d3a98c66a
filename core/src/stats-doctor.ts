import { DomainError } from './errors';
import type { Caller, Noticed } from './noticed';
import { type DoctorSummary, doctorSummary, isConsistent } from './reconcile';
import type { Store } from './store/store';

/** The board's stats checked, and repaired, on a lead's request. */
export class StatsDoctor {
  constructor(
    private readonly store: Store,
    private readonly noticed: Noticed,
  ) {}

  /** Checks the board's stats and counts against its credits, changing nothing. Leads only. */
  async check(caller: Caller, boardId: string): Promise<DoctorSummary> {
    await this.noticed.requireLead(caller, boardId);
    return doctorSummary(await this.store.stats.reconcile(caller.tenantId, boardId, { repair: false }));
  }

  /** Recomputes the board's stats and counts from its credits and writes what differs. Leads only. */
  async repair(caller: Caller, boardId: string): Promise<DoctorSummary> {
    await this.noticed.requireLead(caller, boardId);
    const report = await this.store.stats.reconcile(caller.tenantId, boardId, { repair: true });
    if (!report.repaired && !isConsistent(report)) throw new DomainError('unavailable', 'The board changed while it was being repaired. Please try again.');
    return doctorSummary(report);
  }
}
