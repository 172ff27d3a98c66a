import type { Container, OperationInput, SqlParameter } from '@azure/cosmos';
import type { MemberStats } from '../board';
import { type DayHours, countInDay, dayOf } from '../credit-counts';
import type { Kind } from '../kinds';
import { applyCredit, applyKindChange, partIn, touchedKeys } from '../member-stats';
import { type Endorsement, FORMER_MEMBER, type PostedCard, type Recognition, recipientKeys } from '../recognition';
import { LIVE_CREDITS, type RecognitionDoc, fromRecognitionDoc, json, partitionKey, toRecognitionDoc } from './cosmos-documents';
import { CosmosCreditBasis } from './cosmos-credit-context';
import { eraseMemberFromBoard } from './cosmos-member-erasure';
import { BATCH_ATTEMPTS, backoff, busy, ok, queryPartition, readItem, rewriteItem, runBatch, statusOf, throwUnlessRace } from './cosmos-requests';
import { dayCountsOp, readDayCounts, readStats, receivedDaysAfter, receivedDaysOf, statsBefore, statsOp } from './cosmos-stats-store';
import { decodeCursor, encodeCursor } from './feed-cursor';
import type { CreditBasis, CreditFact, FeedQuery, MemberErasure, MemberStore, Page, RecognitionStore } from './store';


/** A change to a credit and the stats it moves, as one batch writes them. */
interface CreditWrite<R> {
  /** The credit's own operation: Create, or Replace guarded by the ETag read. */
  op: OperationInput;
  /** The credit as counted, and whether the change counts it (+1) or takes it out (-1); a change of kind keeps it counted, as `recounted`. */
  counted: Recognition;
  sign: 1 | -1;
  recounted?: Recognition;
  /** The member keys (with their names) whose stats the change moves. */
  keys: Map<string, string>;
  /** A key's stats after the change, from those stored before it. */
  apply(before: MemberStats): MemberStats | Promise<MemberStats>;
  /** The answer once the credit and every stats item are written. */
  result: R;
}

/** Credits in Cosmos DB, in their board's partition with the stats every write keeps in step. */
export class CosmosRecognitionStore implements RecognitionStore {
  constructor(
    private readonly container: Container,
    private readonly members: MemberStore,
  ) {}

  /**
   * One round trip here in the common case: the batch, guarded by the ETags of the stats and
   * the day's counts that the credit's context query read (`basis`; see
   * readCosmosCreditContext). The whole credit turn in chat is then 3 round trips and 4
   * requests, counted at the local Cosmos-protocol server by test/cosmos-credit-turn.test.ts:
   * - the context query, with the query-plan request @azure/cosmos 4.9 sends beside every
   *   query (at once, so a second request but no second wait);
   * - this batch: the credit's Create, a Replace of each touched member's stats (a Create for a
   *   key with none yet) and of the day's counts;
   * - the conditional Patch that notes the posted card (`recordCard`).
   * No read of the id first: a retry's Create fails with 409 and applies nothing else of its
   * batch, and only then is the stored credit read. A concurrent credit changes an ETag in
   * hand, the batch fails with 412, and the retry reads the items it still has to write: 2
   * round trips more per lost race. Without a basis (or for a key it lacks, such as an email
   * recipient's) the items are read first, in parallel: 1 round trip more. A stats item
   * written before stats carried channel ids is not found by the query; its Create fails with
   * 409 and the retry reads it and writes the channel id in, once per person: 2 more. Someone
   * the roster does not list yet makes the turn 7 round trips, a board's first credit about 14
   * (the test's rows say where).
   */
  async create(rec: Recognition, basis?: CreditBasis): Promise<{ recognition: Recognition; created: boolean }> {
    const pk = partitionKey(rec.tenantId, rec.boardId);
    return this.writeWithStats<{ recognition: Recognition; created: boolean }>(
      rec.tenantId,
      rec.boardId,
      async () => ({
        op: { operationType: 'Create', resourceBody: json(toRecognitionDoc(rec, pk)) },
        counted: rec,
        sign: 1,
        keys: touchedKeys(rec),
        apply: (before) => applyCredit(before, rec, 1),
        result: { recognition: rec, created: true },
      }),
      async (status) => {
        if (status !== 409) return undefined;
        const winner = await this.get(rec.tenantId, rec.boardId, rec.id);
        return winner && { recognition: winner, created: false };
      },
      basis instanceof CosmosCreditBasis && basis.isFor(pk) ? basis : undefined,
    );
  }

  async get(tenantId: string, boardId: string, id: string): Promise<Recognition | undefined> {
    const found = await readItem<Recognition>(this.container, id, partitionKey(tenantId, boardId));
    return found ? fromRecognitionDoc(found.doc as RecognitionDoc) : undefined;
  }

  async page(q: FeedQuery): Promise<Page<Recognition>> {
    const where = [LIVE_CREDITS, q.boardOnly ? "c.visibility = 'board'" : "(c.visibility = 'board' OR c.giver.userId = @viewer OR ARRAY_CONTAINS(c.recipientKeys, @viewer))"];
    const params: SqlParameter[] = [
      { name: '@viewer', value: q.viewerId },
      { name: '@n', value: q.limit + 1 },
    ];
    const add = (clause: string, name: string, value: string) => {
      where.push(clause);
      params.push({ name, value });
    };
    if (q.kind) add('c.kind = @kind', '@kind', q.kind);
    if (q.giverId) add('c.giver.userId = @giverId', '@giverId', q.giverId);
    if (q.endorserId) {
      // A partial match: any endorsement whose userId is the endorser's.
      where.push('ARRAY_CONTAINS(c.endorsements, @endorser, true)');
      params.push({ name: '@endorser', value: { userId: q.endorserId } });
    }
    if (q.recipientKey) add('ARRAY_CONTAINS(c.recipientKeys, @recipientKey)', '@recipientKey', q.recipientKey);
    if (q.since) add('c.createdAt >= @since', '@since', q.since);
    if (q.until) add('c.createdAt < @until', '@until', q.until);
    if (q.cursor) {
      const after = decodeCursor(q.cursor);
      add('(c.createdAt < @cAt OR (c.createdAt = @cAt AND c.id < @cId))', '@cAt', after.createdAt);
      params.push({ name: '@cId', value: after.id });
    }
    // Keyset paging with TOP: the emulator cannot parse OFFSET/LIMIT, and keyset never skips or repeats anyway.
    const docs = await queryPartition<RecognitionDoc>(
      this.container,
      partitionKey(q.tenantId, q.boardId),
      `SELECT TOP @n * FROM c WHERE ${where.join(' AND ')} ORDER BY c.createdAt DESC, c.id DESC`,
      params,
    );
    const items = docs.slice(0, q.limit).map(fromRecognitionDoc);
    const last = items[items.length - 1];
    return { items, nextCursor: docs.length > q.limit && last ? encodeCursor(last) : undefined };
  }

  endorse(tenantId: string, boardId: string, id: string, e: Endorsement): Promise<{ recognition: Recognition; added: boolean } | undefined> {
    const pk = partitionKey(tenantId, boardId);
    return rewriteItem<Recognition, { recognition: Recognition; added: boolean } | undefined>(this.container, id, pk, (doc) => {
      const rec = fromRecognitionDoc(doc as RecognitionDoc);
      if (rec.deletedAt) return { result: undefined };
      if (rec.endorsements.some((x) => x.userId === e.userId)) return { result: { recognition: rec, added: false } };
      const next: Recognition = { ...rec, endorsements: [...rec.endorsements, e] };
      return { result: { recognition: next, added: true }, next: toRecognitionDoc(next, pk) };
    });
  }

  unendorse(tenantId: string, boardId: string, id: string, userId: string): Promise<{ recognition: Recognition; removed: boolean } | undefined> {
    const pk = partitionKey(tenantId, boardId);
    return rewriteItem<Recognition, { recognition: Recognition; removed: boolean } | undefined>(this.container, id, pk, (doc) => {
      const rec = fromRecognitionDoc(doc as RecognitionDoc);
      if (rec.deletedAt) return { result: undefined };
      const kept = rec.endorsements.filter((x) => x.userId !== userId);
      if (kept.length === rec.endorsements.length) return { result: { recognition: rec, removed: false } };
      const next: Recognition = { ...rec, endorsements: kept };
      return { result: { recognition: next, removed: true }, next: toRecognitionDoc(next, pk) };
    });
  }

  /**
   * One conditional Patch and no read: the card is set only while none is noted, so of two
   * retries racing, the first card stays. Only a lost race reads the credit, to answer with
   * the card that won. `c.postedCard` in the condition covers credits noted before `posted`
   * existed, on the service; the emulator, which lower-cases it, relies on `posted` alone.
   */
  async recordCard(tenantId: string, boardId: string, id: string, card: PostedCard): Promise<Recognition | undefined> {
    try {
      const { resource } = await this.container.item(id, partitionKey(tenantId, boardId)).patch<RecognitionDoc>({
        condition: 'from c where not is_defined(c.posted) and not is_defined(c.postedCard)',
        operations: [
          { op: 'set', path: '/postedCard', value: card },
          { op: 'set', path: '/posted', value: true },
        ],
      });
      return resource && fromRecognitionDoc(resource);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      if (statusOf(err) === 412) return this.get(tenantId, boardId, id);
      throw err;
    }
  }

  async softDelete(tenantId: string, boardId: string, id: string, at: string): Promise<Recognition | undefined> {
    const pk = partitionKey(tenantId, boardId);
    return this.writeWithStats<Recognition | undefined>(tenantId, boardId, async () => {
      const found = await readItem<Recognition>(this.container, id, pk);
      if (!found) return { answer: undefined };
      const rec = fromRecognitionDoc(found.doc as RecognitionDoc);
      if (rec.deletedAt) return { answer: rec };
      const deleted = { ...rec, deletedAt: at };
      const keys = touchedKeys(rec);
      // An erased member has no stats; a lead removing a credit they gave must not start some.
      keys.delete(FORMER_MEMBER.userId);
      const received = new Set(recipientKeys(rec));
      return {
        op: { operationType: 'Replace', id, partitionKey: pk, ifMatch: found.etag, resourceBody: json(toRecognitionDoc(deleted, pk)) },
        counted: rec,
        sign: -1,
        keys,
        apply: async (before) =>
          applyCredit(before, rec, -1, {
            lastCreditedAt: received.has(before.memberKey) ? await this.latest(pk, id, 'ARRAY_CONTAINS(c.recipientKeys, @key)', before.memberKey) : undefined,
            lastGaveAt: rec.giver.userId === before.memberKey ? await this.latest(pk, id, 'c.giver.userId = @key', before.memberKey) : undefined,
          }),
        result: deleted,
      };
    });
  }

  /** The credit's Replace guarded by its ETag, its recipients' stats and its day's counts, in one batch. */
  async changeKind(tenantId: string, boardId: string, id: string, kind: Kind): Promise<Recognition | undefined> {
    const pk = partitionKey(tenantId, boardId);
    return this.writeWithStats<Recognition | undefined>(tenantId, boardId, async () => {
      const found = await readItem<Recognition>(this.container, id, pk);
      if (!found) return { answer: undefined };
      const rec = fromRecognitionDoc(found.doc as RecognitionDoc);
      if (rec.deletedAt || rec.kind === kind) return { answer: rec };
      const next: Recognition = { ...rec, kind };
      // Only recipients count kinds; an erased one has no stats to move and must not start some.
      const keys = new Map([...touchedKeys(rec)].filter(([key]) => key !== FORMER_MEMBER.userId && partIn(rec, key).received));
      return {
        op: { operationType: 'Replace', id, partitionKey: pk, ifMatch: found.etag, resourceBody: json(toRecognitionDoc(next, pk)) },
        counted: rec,
        sign: -1,
        recounted: next,
        keys,
        apply: (before) => applyKindChange(before, rec, next),
        result: next,
      };
    });
  }

  eraseMember(tenantId: string, boardId: string, userId: string, at: string): Promise<MemberErasure> {
    return eraseMemberFromBoard(this.container, this.members, tenantId, boardId, userId, at);
  }

  // A projection of the keys stored on each credit: the emulator cannot parse GROUP BY or
  // DISTINCT, and the keys are already de-duplicated when the credit is written.
  facts(tenantId: string, boardId: string, since: string, options: { until?: string; boardOnly?: boolean } = {}): Promise<CreditFact[]> {
    const where = [LIVE_CREDITS, 'c.createdAt >= @since'];
    const params: SqlParameter[] = [{ name: '@since', value: since }];
    if (options.until) {
      where.push('c.createdAt < @until');
      params.push({ name: '@until', value: options.until });
    }
    if (options.boardOnly) where.push("c.visibility = 'board'");
    return queryPartition<CreditFact>(this.container, partitionKey(tenantId, boardId), `SELECT c.kind, c.createdAt, c.recipientKeys FROM c WHERE ${where.join(' AND ')} ORDER BY c.createdAt`, params);
  }

  /** The latest live credit a member received or gave, other than the one being deleted. */
  private async latest(pk: string, exceptId: string, condition: string, key: string): Promise<string | undefined> {
    const [at] = await queryPartition<string>(this.container, pk, `SELECT TOP 1 VALUE c.createdAt FROM c WHERE ${LIVE_CREDITS} AND c.id != @id AND ${condition} ORDER BY c.createdAt DESC`, [
      { name: '@id', value: exceptId },
      { name: '@key', value: key },
    ]);
    return at;
  }

  /**
   * Writes a change to a credit and the stats it moves, one batch per attempt. After a lost
   * race (a stats item changed or created since our read) only the operations that did not
   * succeed are tried again; while the credit's own operation has not succeeded, `step` is
   * asked again, so it sees the credit as it is now. Retrying every key then is safe: a batch
   * whose first operation fails applies none of the others, on the service and the emulator.
   * `refused` may answer instead when the credit's operation fails. The first attempt takes
   * the items `basis` holds as read; every later one reads them again, since a race was lost.
   */
  private async writeWithStats<R>(
    tenantId: string,
    boardId: string,
    step: () => Promise<CreditWrite<R> | { answer: R }>,
    refused?: (status: number) => Promise<R | undefined>,
    basis?: CosmosCreditBasis,
  ): Promise<R> {
    const pk = partitionKey(tenantId, boardId);
    let write: CreditWrite<R> | undefined;
    let creditWritten = false;
    let pending = new Map<string, string>();
    let dayPending = true;
    for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
      if (!creditWritten) {
        const next = await step();
        if ('answer' in next) return next.answer;
        write = next;
        pending = new Map(next.keys);
        dayPending = true;
      }
      const w = write as CreditWrite<R>;
      const keys = [...pending.keys()];
      const day = dayOf(w.counted.createdAt);
      // Stats are read before `apply` looks at the remaining credits: a credit created after our
      // read changes the stats ETag, so our Replace fails and we look again.
      const known = attempt === 0 ? basis : undefined;
      const [current, dayCounts] = await Promise.all([
        Promise.all(keys.map((key) => (known?.stats.has(key) ? known.stats.get(key) : readStats(this.container, pk, key)))),
        !dayPending ? undefined : known?.day?.day === day ? known.day.counts : readDayCounts(this.container, pk, day),
      ]);
      const after = await Promise.all(keys.map((key, i) => w.apply(statsBefore(current[i], tenantId, boardId, key, pending.get(key) as string))));
      const ops = [
        ...(creditWritten ? [] : [w.op]),
        ...keys.map((key, i) =>
          statsOp(pk, current[i], after[i], w.recounted ? receivedDaysOf(current[i]) : receivedDaysAfter(current[i], w.counted, key, w.sign), basis?.channelUserIds.get(key)),
        ),
        ...(dayPending ? [dayCountsOp(pk, day, dayCounts, dayAfter(dayCounts?.doc.hours ?? {}, w))] : []),
      ];
      const statuses = await runBatch(this.container, pk, ops);
      const offset = creditWritten ? 0 : 1;
      if (!creditWritten) {
        const answer = !ok(statuses[0]) && refused ? await refused(statuses[0]) : undefined;
        if (answer !== undefined) return answer;
        creditWritten = ok(statuses[0]);
      }
      keys.forEach((key, i) => {
        if (ok(statuses[offset + i])) pending.delete(key);
      });
      if (dayPending && ok(statuses[offset + keys.length])) dayPending = false;
      if (creditWritten && pending.size === 0 && !dayPending) return w.result;
      throwUnlessRace(statuses);
      await backoff(attempt);
    }
    throw busy();
  }
}

/** A day's counts after the write: the credit counted or taken out, or moved to its new kind. */
function dayAfter(hours: Readonly<DayHours>, w: Pick<CreditWrite<unknown>, 'counted' | 'sign' | 'recounted'>): DayHours {
  const changed = countInDay(hours, w.counted, w.sign);
  return w.recounted ? countInDay(changed, w.recounted, 1) : changed;
}
