import type { Container, SqlParameter } from '@azure/cosmos';
import { type CreditErasure, eraseFromCredit, erasureKeys, noErasure, tombstoneOf } from '../member-data';
import { type DayHours, type ReceivedDays, countInDay, countReceivedDay, dayOf } from '../credit-counts';
import { applyCredit, emptyStats, partIn } from '../member-stats';
import { FORMER_MEMBER, type Recognition } from '../recognition';
import { type RecognitionDoc, fromRecognitionDoc, json, partitionKey, safeId, statsId, toRecognitionDoc } from './cosmos-documents';
import { BATCH_ATTEMPTS, backoff, busy, deleteIfPresent, ok, queryPartition, readItem, rewriteItem, runBatch, throwUnlessRace } from './cosmos-requests';
import { dayCountsOp, readDayCounts, readStats, statsOp } from './cosmos-stats-store';
import type { MemberErasure, MemberStore } from './store';

/** Credits an erasure reads per query: a long-standing member's history is never one unbounded read. */
const ERASE_PAGE = 100;

/**
 * What a member's erasure from a board must finish if it is cut short: the recipient keys
 * to erase (the email is gone from the tombstone after the first step) and the members
 * whose stats, and the days whose counts, lost a credit and need a rebuild. Deleted when the
 * erasure completes.
 */
interface ErasureDoc {
  id: string;
  pk: string;
  type: 'erasure';
  keys: string[];
  statsKeys: string[];
  /** The UTC days whose credit counts lost a credit and need a recount (absent in journals from before counts were kept). */
  days?: string[];
}

/**
 * Erases a member from one board in steps that each converge when repeated: a journal of
 * what to finish, the roster tombstone (so no new credit can name them), each credit by
 * read-modify-write, their stats deleted, the stats of givers who lost a credit rebuilt
 * from the live credits, and the journal removed. A run cut short leaves the tombstone,
 * so erasing again finds the board and finishes from the journal.
 */
export async function eraseMemberFromBoard(container: Container, members: MemberStore, tenantId: string, boardId: string, userId: string, at: string): Promise<MemberErasure> {
  const pk = partitionKey(tenantId, boardId);
  const journalId = `erasure:${safeId(userId)}`;
  const [journal, member] = await Promise.all([readItem<ErasureDoc>(container, journalId, pk), members.get(tenantId, boardId, userId)]);
  const keys = [...new Set([...(journal?.doc.keys ?? []), ...erasureKeys(userId, member?.email)])];
  const keySet = new Set(keys);
  const statsKeys = new Set(journal?.doc.statsKeys ?? []);
  const days = new Set(journal?.doc.days ?? []);
  const saveJournal = () => container.items.upsert(json({ id: journalId, pk, type: 'erasure', keys, statsKeys: [...statsKeys], days: [...days] } satisfies ErasureDoc));
  await saveJournal();
  if (member) await members.put(tombstoneOf(member, at));

  const counts = noErasure();
  const condition = ['c.giver.userId = @user', 'ARRAY_CONTAINS(c.endorsements, @endorser, true)', ...keys.map((_, i) => `ARRAY_CONTAINS(c.recipientKeys, @key${i})`)].join(' OR ');
  const parameters: SqlParameter[] = [
    { name: '@user', value: userId },
    { name: '@endorser', value: { userId } },
    ...keys.map((key, i) => ({ name: `@key${i}`, value: key })),
  ];
  for await (const doc of creditsWhere(container, pk, condition, parameters)) {
    const change = await rewriteItem<Recognition, CreditErasure | undefined>(
      container,
      doc.id,
      pk,
      async (stored) => {
        const rec = fromRecognitionDoc(stored as RecognitionDoc);
        const erasure = eraseFromCredit(rec, userId, keySet, at);
        if (!erasure) return { result: undefined };
        // The journal learns of a giver before their credit changes, so a crash between the two still rebuilds their stats.
        const giver = rec.giver.userId;
        const day = dayOf(rec.createdAt);
        const giverLoses = erasure.deleted && !keySet.has(giver) && giver !== FORMER_MEMBER.userId && !statsKeys.has(giver);
        if (giverLoses || (erasure.deleted && !days.has(day))) {
          if (giverLoses) statsKeys.add(giver);
          if (erasure.deleted) days.add(day);
          await saveJournal();
        }
        return { result: erasure, next: toRecognitionDoc(erasure.next, pk) };
      },
      { doc, etag: doc._etag as string },
    );
    if (!change) continue;
    counts.deleted += Number(change.deleted);
    counts.removedFrom += Number(change.removedFrom);
    counts.anonymised += Number(change.anonymised);
    counts.endorsementsRemoved += Number(change.endorsementRemoved);
  }

  for (const key of keys) await deleteIfPresent(container, statsId(key), pk);
  for (const key of statsKeys) await rebuildStats(container, tenantId, boardId, key);
  for (const day of days) await recountDay(container, pk, day);
  await deleteIfPresent(container, journalId, pk);
  return counts;
}

/**
 * Recounts one member's stats from the board's live credits and writes them guarded by
 * the ETag read before counting: a credit created or deleted meanwhile changes that ETag
 * (its batch writes the same stats), so the write fails and the count starts again.
 */
async function rebuildStats(container: Container, tenantId: string, boardId: string, key: string): Promise<void> {
  const pk = partitionKey(tenantId, boardId);
  for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
    const current = await readStats(container, pk, key);
    let stats = emptyStats(tenantId, boardId, key, current?.doc.name ?? key);
    let receivedDays: ReceivedDays = [];
    let counted = 0;
    for await (const doc of creditsWhere(container, pk, 'NOT IS_DEFINED(c.deletedAt) AND (c.giver.userId = @key OR ARRAY_CONTAINS(c.recipientKeys, @key))', [{ name: '@key', value: key }])) {
      const rec = fromRecognitionDoc(doc);
      stats = applyCredit(stats, rec, 1);
      if (partIn(rec, key).received) receivedDays = countReceivedDay(receivedDays, rec.createdAt, 1);
      counted++;
    }
    if (!current && !counted) return;
    const [status] = await runBatch(container, pk, [statsOp(pk, current, stats, receivedDays)]);
    if (ok(status)) return;
    throwUnlessRace([status]);
    await backoff(attempt);
  }
  throw busy();
}

/**
 * Recounts one UTC day of the board's credit counts from its live credits, guarded by the
 * ETag read before counting, as `rebuildStats` does.
 */
async function recountDay(container: Container, pk: string, day: string): Promise<void> {
  const next = new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
  for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
    const current = await readDayCounts(container, pk, day);
    let hours: DayHours = {};
    for await (const doc of creditsWhere(container, pk, 'NOT IS_DEFINED(c.deletedAt) AND c.createdAt >= @from AND c.createdAt < @to', [
      { name: '@from', value: `${day}T00:00:00.000Z` },
      { name: '@to', value: next },
    ])) {
      hours = countInDay(hours, fromRecognitionDoc(doc), 1);
    }
    const [status] = await runBatch(container, pk, [dayCountsOp(pk, day, current, hours)]);
    if (ok(status)) return;
    throwUnlessRace([status]);
    await backoff(attempt);
  }
  throw busy();
}

/**
 * The partition's credits matching the condition, deleted ones too, in id order, a page per query: keyset
 * paging that stays correct while the erasure rewrites the credits it has read.
 */
async function* creditsWhere(container: Container, pk: string, condition: string, parameters: SqlParameter[]): AsyncGenerator<RecognitionDoc> {
  let after = '';
  for (;;) {
    const docs = await queryPartition<RecognitionDoc>(container, pk, `SELECT TOP @n * FROM c WHERE c.pk = @pk AND c.type = 'recognition' AND c.id > @after AND (${condition}) ORDER BY c.id`, [
      ...parameters,
      { name: '@n', value: ERASE_PAGE },
      { name: '@after', value: after },
    ]);
    yield* docs;
    if (docs.length < ERASE_PAGE) return;
    after = docs[docs.length - 1].id;
  }
}
