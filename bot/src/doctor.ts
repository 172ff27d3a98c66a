import { parseArgs } from 'node:util';
import { type Reconciliation, idSchema, isConsistent, tenantIdSchema } from '../../core';
import { openStore } from './app';
import { ConfigError, LOCAL_TENANT_ID, loadConfig } from './config';

/** What the doctor was asked to do. */
interface DoctorArgs {
  boardId: string;
  tenantId: string;
  repair: boolean;
  local: boolean;
}

const USAGE = 'Usage: npm run doctor -- --board <id> [--tenant <id>] [--repair] [--local]  (--tenant is needed unless --local)';

/** Exit codes: the board agrees (or was repaired), mismatches left as found, the command was wrong, the check could not run. */
const DOCTOR_EXIT = { consistent: 0, mismatches: 1, badArguments: 2, failed: 3 } as const;

class UsageError extends Error {}

function doctorArgs(args: string[]): DoctorArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { board: { type: 'string' }, tenant: { type: 'string' }, repair: { type: 'boolean', default: false }, local: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const board = idSchema.safeParse(values.board);
  if (!values.board || !board.success) throw new UsageError(values.board ? `--board ${board.error?.issues[0].message}` : '--board is required');
  const tenantText = values.tenant ?? (values.local ? LOCAL_TENANT_ID : undefined);
  if (!tenantText) throw new UsageError('--tenant is required (the board’s Entra tenant id)');
  const tenant = tenantIdSchema.safeParse(tenantText);
  if (!tenant.success) throw new UsageError('--tenant must be an Entra tenant id (a GUID)');
  return { boardId: board.data, tenantId: tenant.data, repair: values.repair === true, local: values.local === true };
}

/** The report as an operator reads it: every field and bucket that disagrees, stored → recomputed. */
function doctorReport(r: Reconciliation): string {
  const lines = [`Board ${r.boardId} (tenant ${r.tenantId}): ${r.liveCredits} live credits.`];
  const show = (v: number | string | null) => (v === null ? '(none)' : String(v));
  if (r.members.length) {
    lines.push('Member stats that disagree with the credits (member key, field: stored → recomputed):');
    for (const m of r.members) lines.push(`  ${m.memberKey}  ${m.field}: ${show(m.stored)} → ${show(m.recomputed)}`);
  }
  if (r.buckets.length) {
    lines.push('Hour buckets that disagree (UTC hour, kind, visibility: stored → recomputed):');
    for (const b of r.buckets) lines.push(`  ${b.hour}  ${b.kind}  ${b.private ? 'private' : 'board'}: ${b.stored} → ${b.recomputed}`);
  }
  if (r.unmarked) lines.push('The counts are not yet marked complete (Cosmos DB); a repair marks them.');
  if (r.settling) lines.push(`${r.settling} member keys and days changed in the last 30 seconds were left to their writers; run again shortly.`);
  const found = r.members.length + r.buckets.length;
  if (!found) lines.push('Consistent: the stats and counts agree with the credits.');
  else if (r.repaired) lines.push(`Repaired ${found} mismatches.`);
  else lines.push(`${found} mismatches found; run again with --repair to write the recomputed values.`);
  return lines.join('\n');
}

/** Checks (and with --repair, fixes) one board's stats against its credits, on the store the server's config names. */
async function main(): Promise<number> {
  let args: DoctorArgs;
  try {
    args = doctorArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}.\n${USAGE}`);
    return DOCTOR_EXIT.badArguments;
  }
  let store;
  try {
    store = await openStore(loadConfig(process.env, { local: args.local }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return DOCTOR_EXIT.badArguments;
  }
  try {
    if (!(await store.boards.get(args.tenantId, args.boardId))) {
      console.error(`No board ${args.boardId} in tenant ${args.tenantId}.`);
      return DOCTOR_EXIT.badArguments;
    }
    const report = await store.stats.reconcile(args.tenantId, args.boardId, { repair: args.repair });
    console.log(doctorReport(report));
    return isConsistent(report) || report.repaired ? DOCTOR_EXIT.consistent : DOCTOR_EXIT.mismatches;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('The doctor could not check the board:', error instanceof Error ? error.message : error);
    process.exitCode = DOCTOR_EXIT.failed;
  },
);
