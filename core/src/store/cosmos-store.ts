import { type Container, CosmosClient, type JSONObject, type OperationInput, type SqlParameter } from '@azure/cosmos';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { Agent } from 'node:https';
import type { Board, Member, MemberStats } from '../board';
import { DomainError } from '../errors';
import { FORMER_MEMBER, eraseFromCredit, erasureKeys, noErasure, tombstoneOf } from '../member-data';
import { applyCredit, emptyStats, touchedKeys } from '../member-stats';
import { type Endorsement, type PostedCard, type Recognition, recipientKeys } from '../recognition';
import { decodeCursor, encodeCursor } from './feed-cursor';
import type { CreditFact, FeedQuery, MemberErasure, Page, Store } from './store';

/** Where the Cosmos store lives and how it authenticates. */
export interface CosmosStoreOptions {
  endpoint: string;
  /** Account key; without it the store signs in with `credential` or DefaultAzureCredential (managed identity). */
  key?: string;
  credential?: TokenCredential;
  databaseId: string;
  containerId: string;
  /** Tests only: the local emulator's bundled certificate has expired, so verification is switched off. */
  dangerouslyAcceptAnyTlsCertificate?: boolean;
  /** Per-request timeout; the SDK's default of 60 s would blow the bot's 5 s and 15 s budgets. */
  requestTimeoutMs?: number;
  /** Retries after a 429 before the call fails. */
  maxRetries?: number;
}

/**
 * The container's index: the feed orders by (createdAt, id) and Cosmos serves a two-field
 * ORDER BY only from a composite index declared in exactly the same directions.
 */
const INDEXING_POLICY = {
  indexingMode: 'consistent' as const,
  automatic: true,
  includedPaths: [{ path: '/*' }],
  excludedPaths: [{ path: '/"_etag"/?' }, { path: '/message/?' }],
  compositeIndexes: [
    [
      { path: '/createdAt', order: 'descending' as const },
      { path: '/id', order: 'descending' as const },
    ],
    [
      { path: '/createdAt', order: 'ascending' as const },
      { path: '/id', order: 'ascending' as const },
    ],
  ],
};

/** Leases are global, not per board, so they share a partition no tenant/board key can equal (those contain a slash). */
const LEASE_PK = 'lease';
const SYSTEM_FIELDS = ['_rid', '_etag', '_ts', '_self', '_attachments', 'pk', 'type'] as const;
/** Bounded so a request path never spins: enough for 50 concurrent endorsers on one credit. */
const ENDORSE_ATTEMPTS = 60;
/** Bounded retries when another writer changed a stats document between our read and our batch. */
const BATCH_ATTEMPTS = 8;
/** Credits an erasure reads per query: a long-standing member's history is never one unbounded read. */
const ERASE_PAGE = 100;

type DocType = 'board' | 'member' | 'recognition' | 'stats' | 'lease' | 'erasure';
type Doc<T> = T & { id: string; pk: string; type: DocType; _etag?: string };
type RecognitionDoc = Doc<Recognition> & { recipientKeys: string[] };
type MemberDoc = Doc<Member> & { nameLower: string; emailLower?: string; active: boolean };
type BoardDoc = Doc<Omit<Board, 'id'>> & { boardId: string };
/**
 * What a member's erasure from a board must finish if it is cut short: the recipient keys
 * to erase (the email is gone from the tombstone after the first step) and the members
 * whose stats lost a credit and need a rebuild. Deleted when the erasure completes.
 */
interface ErasureDoc {
  id: string;
  pk: string;
  type: 'erasure';
  keys: string[];
  statsKeys: string[];
}
interface LeaseDoc {
  id: string;
  pk: string;
  type: 'lease';
  name: string;
  holder: string;
  expiresAt: number;
}

/** Opens the Cosmos DB store, creating the database and container (with its index) if absent. */
export async function openCosmosStore(options: CosmosStoreOptions): Promise<Store> {
  const agent = new Agent(options.dangerouslyAcceptAnyTlsCertificate ? { keepAlive: true, rejectUnauthorized: false } : { keepAlive: true });
  const client = new CosmosClient({
    endpoint: options.endpoint,
    ...(options.key ? { key: options.key } : { aadCredentials: options.credential ?? new DefaultAzureCredential() }),
    agent,
    connectionPolicy: {
      requestTimeout: options.requestTimeoutMs ?? 4000,
      // The emulator has no other regions to discover; skipping discovery saves a round trip.
      enableEndpointDiscovery: !options.dangerouslyAcceptAnyTlsCertificate,
      // retryOptions bounds only 429 throttling retries (the SDK waits up to 30 s by default);
      // the emulator never throttles, so this matters on the real service.
      retryOptions: { maxRetryAttemptCount: options.maxRetries ?? 3, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 5 },
    },
  });
  try {
    const { database } = await client.databases.createIfNotExists({ id: options.databaseId });
    // createIfNotExists does not change the index of an existing container; a policy change needs a migration.
    const { container } = await database.containers.createIfNotExists({
      id: options.containerId,
      partitionKey: { paths: ['/pk'] },
      indexingPolicy: INDEXING_POLICY,
    });
    return cosmosStore(container, () => {
      client.dispose();
      agent.destroy();
    });
  } catch (err) {
    client.dispose();
    agent.destroy();
    throw err;
  }
}

function cosmosStore(container: Container, dispose: () => void): Store {
  /** Point read; a missing item comes back as 404 without throwing. */
  async function read<T>(id: string, pk: string): Promise<{ doc: Doc<T>; etag: string } | undefined> {
    const { resource, etag } = await container.item(id, pk).read<Doc<T>>();
    return resource ? { doc: resource, etag } : undefined;
  }

  /**
   * A single-partition query. The emulator ignores the partitionKey option and would return
   * other partitions' items, so every query text also filters on c.pk; the real service
   * honours the option and routes to one partition.
   */
  async function query<T>(pk: string, text: string, parameters: SqlParameter[] = []): Promise<T[]> {
    const { resources } = await container.items.query<T>({ query: text, parameters: [{ name: '@pk', value: pk }, ...parameters] }, { partitionKey: pk }).fetchAll();
    return resources;
  }

  /**
   * Runs the operations as one transactional batch and returns each one's status. The real
   * service rolls back the whole batch when one operation fails (the others report 424);
   * @vercel/cosmosdb-server does not, so operations before the failure stay applied. Callers
   * therefore retry only the operations that did not report success, which converges on both.
   */
  async function batch(pk: string, ops: OperationInput[]): Promise<number[]> {
    const response = await container.items.batch(ops, pk);
    return ops.map((_, i) => response.result?.[i]?.statusCode ?? response.code ?? 500);
  }

  /** The stats of one member as the batch should leave them: Replace guarded by ETag, or Create. */
  function statsOp(pk: string, current: { doc: Doc<MemberStats>; etag: string } | undefined, next: MemberStats): OperationInput {
    const resourceBody = json({ ...next, id: statsId(next.memberKey), pk, type: 'stats' });
    if (!current) return { operationType: 'Create', resourceBody };
    return { operationType: 'Replace', id: statsId(next.memberKey), partitionKey: pk, ifMatch: current.etag, resourceBody };
  }

  const readStats = (pk: string, key: string) => read<MemberStats>(statsId(key), pk);

  async function create(rec: Recognition): Promise<{ recognition: Recognition; created: boolean }> {
    const pk = partitionKey(rec.tenantId, rec.boardId);
    // Teams redelivers activities; a point read answers the common retry without a batch.
    const existing = await read<Recognition>(rec.id, pk);
    if (existing) return { recognition: fromRecognitionDoc(existing.doc as RecognitionDoc), created: false };

    let creditWritten = false;
    const pending = touchedKeys(rec);
    for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
      const keys = [...pending.keys()];
      const current = await Promise.all(keys.map((key) => readStats(pk, key)));
      const ops: OperationInput[] = creditWritten ? [] : [{ operationType: 'Create', resourceBody: json(toRecognitionDoc(rec, pk)) }];
      keys.forEach((key, i) => {
        const before = current[i] ? strip<MemberStats>(current[i].doc, ['id']) : emptyStats(rec.tenantId, rec.boardId, key, pending.get(key) as string);
        ops.push(statsOp(pk, current[i], applyCredit(before, rec, 1)));
      });
      const statuses = await batch(pk, ops);
      const offset = creditWritten ? 0 : 1;
      if (!creditWritten) {
        if (statuses[0] === 409) {
          const winner = await read<Recognition>(rec.id, pk);
          if (winner) return { recognition: fromRecognitionDoc(winner.doc as RecognitionDoc), created: false };
        }
        creditWritten = ok(statuses[0]);
      }
      keys.forEach((key, i) => {
        if (ok(statuses[offset + i])) pending.delete(key);
      });
      if (creditWritten && pending.size === 0) return { recognition: rec, created: true };
      throwUnlessRace(statuses);
      await backoff(attempt);
    }
    throw busy();
  }

  async function endorse(tenantId: string, boardId: string, id: string, e: Endorsement) {
    const pk = partitionKey(tenantId, boardId);
    for (let attempt = 0; attempt < ENDORSE_ATTEMPTS; attempt++) {
      const found = await read<Recognition>(id, pk);
      if (!found || found.doc.deletedAt) return undefined;
      const rec = fromRecognitionDoc(found.doc as RecognitionDoc);
      if (rec.endorsements.some((x) => x.userId === e.userId)) return { recognition: rec, added: false };
      const next: Recognition = { ...rec, endorsements: [...rec.endorsements, e] };
      try {
        // If-Match: without it two endorsers who read the same version would each drop the other's endorsement.
        await container.item(id, pk).replace(toRecognitionDoc(next, pk), { accessCondition: { type: 'IfMatch', condition: found.etag } });
        return { recognition: next, added: true };
      } catch (err) {
        if (statusOf(err) !== 412) throw err;
        await backoff(attempt);
      }
    }
    throw busy();
  }

  async function recordCard(tenantId: string, boardId: string, id: string, card: PostedCard): Promise<Recognition | undefined> {
    const pk = partitionKey(tenantId, boardId);
    for (let attempt = 0; attempt < ENDORSE_ATTEMPTS; attempt++) {
      const found = await read<Recognition>(id, pk);
      if (!found) return undefined;
      const rec = fromRecognitionDoc(found.doc as RecognitionDoc);
      if (rec.postedCard) return rec;
      const next: Recognition = { ...rec, postedCard: card };
      try {
        // If-Match: an endorsement landing between our read and this write would otherwise be dropped.
        await container.item(id, pk).replace(toRecognitionDoc(next, pk), { accessCondition: { type: 'IfMatch', condition: found.etag } });
        return next;
      } catch (err) {
        if (statusOf(err) !== 412) throw err;
        await backoff(attempt);
      }
    }
    throw busy();
  }

  /** The latest live credit a member received or gave, other than the one being deleted. */
  async function latest(pk: string, exceptId: string, condition: string, key: string): Promise<string | undefined> {
    const [at] = await query<string>(
      pk,
      `SELECT TOP 1 VALUE c.createdAt FROM c WHERE c.pk = @pk AND c.type = 'recognition' AND NOT IS_DEFINED(c.deletedAt)
         AND c.id != @id AND ${condition} ORDER BY c.createdAt DESC`,
      [
        { name: '@id', value: exceptId },
        { name: '@key', value: key },
      ],
    );
    return at;
  }

  async function softDelete(tenantId: string, boardId: string, id: string, at: string): Promise<Recognition | undefined> {
    const pk = partitionKey(tenantId, boardId);
    let rec: Recognition | undefined;
    let etag = '';
    let creditMarked = false;
    let pending = new Map<string, string>();
    for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
      if (!creditMarked) {
        const found = await read<Recognition>(id, pk);
        if (!found) return undefined;
        rec = fromRecognitionDoc(found.doc as RecognitionDoc);
        if (rec.deletedAt) return rec;
        etag = found.etag;
        pending = touchedKeys(rec);
        // An erased member has no stats; a lead removing a credit they gave must not start some.
        pending.delete(FORMER_MEMBER.userId);
      }
      const live = rec as Recognition;
      const keys = [...pending.keys()];
      const received = new Set(recipientKeys(live));
      // Stats are read before the remaining credits are queried: a credit created after our
      // read changes the stats ETag, so our Replace fails and we look again.
      const current = await Promise.all(keys.map((key) => readStats(pk, key)));
      const remaining = await Promise.all(
        keys.map(async (key) => ({
          lastCreditedAt: received.has(key) ? await latest(pk, id, 'ARRAY_CONTAINS(c.recipientKeys, @key)', key) : undefined,
          lastGaveAt: live.giver.userId === key ? await latest(pk, id, 'c.giver.userId = @key', key) : undefined,
        })),
      );
      const ops: OperationInput[] = creditMarked
        ? []
        : [{ operationType: 'Replace', id, partitionKey: pk, ifMatch: etag, resourceBody: json(toRecognitionDoc({ ...live, deletedAt: at }, pk)) }];
      keys.forEach((key, i) => {
        const before = current[i] ? strip<MemberStats>(current[i].doc, ['id']) : emptyStats(tenantId, boardId, key, pending.get(key) as string);
        ops.push(statsOp(pk, current[i], applyCredit(before, live, -1, remaining[i])));
      });
      const statuses = await batch(pk, ops);
      const offset = creditMarked ? 0 : 1;
      if (!creditMarked) creditMarked = ok(statuses[0]);
      keys.forEach((key, i) => {
        if (ok(statuses[offset + i])) pending.delete(key);
      });
      if (creditMarked && pending.size === 0) return { ...live, deletedAt: at };
      throwUnlessRace(statuses);
      await backoff(attempt);
    }
    throw busy();
  }

  async function page(q: FeedQuery): Promise<Page<Recognition>> {
    const where = [
      'c.pk = @pk',
      "c.type = 'recognition'",
      'NOT IS_DEFINED(c.deletedAt)',
      q.boardOnly ? "c.visibility = 'board'" : "(c.visibility = 'board' OR c.giver.userId = @viewer OR ARRAY_CONTAINS(c.recipientKeys, @viewer))",
    ];
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
    const docs = await query<RecognitionDoc>(
      partitionKey(q.tenantId, q.boardId),
      `SELECT TOP @n * FROM c WHERE ${where.join(' AND ')} ORDER BY c.createdAt DESC, c.id DESC`,
      params,
    );
    const items = docs.slice(0, q.limit).map(fromRecognitionDoc);
    const last = items[items.length - 1];
    return { items, nextCursor: docs.length > q.limit && last ? encodeCursor(last) : undefined };
  }

  /**
   * A page of the partition's credits matching the condition, in id order after `after`:
   * keyset paging that stays correct while the erasure rewrites the credits it has read.
   */
  async function creditsAfter(pk: string, condition: string, parameters: SqlParameter[], after: string): Promise<RecognitionDoc[]> {
    return query<RecognitionDoc>(
      pk,
      `SELECT TOP @n * FROM c WHERE c.pk = @pk AND c.type = 'recognition' AND c.id > @after AND (${condition}) ORDER BY c.id`,
      [...parameters, { name: '@n', value: ERASE_PAGE }, { name: '@after', value: after }],
    );
  }

  /**
   * Recounts one member's stats from the board's live credits and writes them guarded by
   * the ETag read before counting: a credit created or deleted meanwhile changes that ETag
   * (its batch writes the same stats), so the write fails and the count starts again.
   */
  async function rebuildStats(tenantId: string, boardId: string, key: string): Promise<void> {
    const pk = partitionKey(tenantId, boardId);
    for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
      const current = await readStats(pk, key);
      let stats = emptyStats(tenantId, boardId, key, current?.doc.name ?? key);
      let counted = 0;
      let after = '';
      for (;;) {
        const docs = await creditsAfter(pk, 'NOT IS_DEFINED(c.deletedAt) AND (c.giver.userId = @key OR ARRAY_CONTAINS(c.recipientKeys, @key))', [{ name: '@key', value: key }], after);
        for (const doc of docs) stats = applyCredit(stats, fromRecognitionDoc(doc), 1);
        counted += docs.length;
        if (docs.length < ERASE_PAGE) break;
        after = docs[docs.length - 1].id;
      }
      if (!current && !counted) return;
      const [status] = await batch(pk, [statsOp(pk, current, stats)]);
      if (ok(status)) return;
      throwUnlessRace([status]);
      await backoff(attempt);
    }
    throw busy();
  }

  /** Writes the credit as the erasure leaves it, re-reading and retrying while other writers change it. */
  async function eraseFromOne(pk: string, found: RecognitionDoc, userId: string, keys: ReadonlySet<string>, at: string, beforeWrite: (giverLosesCredit: string | undefined) => Promise<void>) {
    let doc = found;
    for (let attempt = 0; attempt < ENDORSE_ATTEMPTS; attempt++) {
      const rec = fromRecognitionDoc(doc);
      const change = eraseFromCredit(rec, userId, keys, at);
      if (!change) return undefined;
      const giver = rec.giver.userId;
      await beforeWrite(change.deleted && !keys.has(giver) && giver !== FORMER_MEMBER.userId ? giver : undefined);
      try {
        // If-Match: an endorsement or delete that landed since our read would otherwise be overwritten.
        await container.item(doc.id, pk).replace(toRecognitionDoc(change.next, pk), { accessCondition: { type: 'IfMatch', condition: doc._etag as string } });
        return change;
      } catch (err) {
        if (statusOf(err) !== 412) throw err;
        await backoff(attempt);
        const fresh = await read<Recognition>(doc.id, pk);
        if (!fresh) return undefined;
        doc = fresh.doc as RecognitionDoc;
      }
    }
    throw busy();
  }

  /**
   * Erases a member from one board in steps that each converge when repeated: a journal of
   * what to finish, the roster tombstone (so no new credit can name them), each credit by
   * read-modify-write, their stats deleted, the stats of givers who lost a credit rebuilt
   * from the live credits, and the journal removed. A run cut short leaves the tombstone,
   * so erasing again finds the board and finishes from the journal.
   */
  async function eraseMember(tenantId: string, boardId: string, userId: string, at: string): Promise<MemberErasure> {
    const pk = partitionKey(tenantId, boardId);
    const journalId = `erasure:${safeId(userId)}`;
    const [journal, memberFound] = await Promise.all([read<ErasureDoc>(journalId, pk), read<Member>(`member:${safeId(userId)}`, pk)]);
    const member = memberFound ? fromMemberDoc(memberFound.doc as MemberDoc) : undefined;
    const keys = [...new Set([...(journal?.doc.keys ?? []), ...erasureKeys(userId, member?.email)])];
    const keySet = new Set(keys);
    const statsKeys = new Set(journal?.doc.statsKeys ?? []);
    const saveJournal = () => container.items.upsert(json({ id: journalId, pk, type: 'erasure', keys, statsKeys: [...statsKeys] } satisfies ErasureDoc));
    await saveJournal();
    if (member) await putMember(tombstoneOf(member, at));

    const counts = noErasure();
    const condition = [
      'c.giver.userId = @user',
      'ARRAY_CONTAINS(c.endorsements, @endorser, true)',
      ...keys.map((_, i) => `ARRAY_CONTAINS(c.recipientKeys, @key${i})`),
    ].join(' OR ');
    const parameters: SqlParameter[] = [
      { name: '@user', value: userId },
      { name: '@endorser', value: { userId } },
      ...keys.map((key, i) => ({ name: `@key${i}`, value: key })),
    ];
    // The journal learns of a giver before their credit changes, so a crash between the two still rebuilds their stats.
    const remember = async (giver: string | undefined) => {
      if (!giver || statsKeys.has(giver)) return;
      statsKeys.add(giver);
      await saveJournal();
    };
    let after = '';
    for (;;) {
      const docs = await creditsAfter(pk, condition, parameters, after);
      for (const doc of docs) {
        const change = await eraseFromOne(pk, doc, userId, keySet, at, remember);
        if (!change) continue;
        counts.deleted += Number(change.deleted);
        counts.removedFrom += Number(change.removedFrom);
        counts.anonymised += Number(change.anonymised);
        counts.endorsementsRemoved += Number(change.endorsementRemoved);
      }
      if (docs.length < ERASE_PAGE) break;
      after = docs[docs.length - 1].id;
    }

    for (const key of keys) {
      try {
        await container.item(statsId(key), pk).delete();
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }
    for (const key of statsKeys) await rebuildStats(tenantId, boardId, key);
    try {
      await container.item(journalId, pk).delete();
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    return counts;
  }

  async function putMember(m: Member): Promise<void> {
    const doc: MemberDoc = {
      ...m,
      id: `member:${safeId(m.userId)}`,
      pk: partitionKey(m.tenantId, m.boardId),
      type: 'member',
      nameLower: m.name.toLowerCase(),
      emailLower: m.email?.toLowerCase(),
      active: !m.leftAt,
    };
    await container.items.upsert(json(doc));
  }

  async function acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    const id = `lease:${safeId(name)}`;
    const doc: LeaseDoc = { id, pk: LEASE_PK, type: 'lease', name, holder, expiresAt: now.getTime() + ttlMs };
    // Expiry is judged from expiresAt, not Cosmos TTL: the emulator ignores TTL, and TTL deletion on the real service is lazy.
    const found = await read<LeaseDoc>(id, LEASE_PK);
    try {
      if (!found) {
        await container.items.create(doc);
        return true;
      }
      if (found.doc.expiresAt > now.getTime() && found.doc.holder !== holder) return false;
      // If-Match: of two instances that both saw the lease expire, only the first replace wins.
      await container.item(id, LEASE_PK).replace(doc, { accessCondition: { type: 'IfMatch', condition: found.etag } });
      return true;
    } catch (err) {
      if ([404, 409, 412].includes(statusOf(err) ?? 0)) return false;
      throw err;
    }
  }

  async function release(name: string, holder: string): Promise<void> {
    const id = `lease:${safeId(name)}`;
    const found = await read<LeaseDoc>(id, LEASE_PK);
    if (!found || found.doc.holder !== holder) return;
    try {
      // If-Match: never delete a lease another holder took over since our read.
      await container.item(id, LEASE_PK).delete({ accessCondition: { type: 'IfMatch', condition: found.etag } });
    } catch (err) {
      if (![404, 412].includes(statusOf(err) ?? 0)) throw err;
    }
  }

  const memberQuery = (tenantId: string, boardId: string, filter: string, params: SqlParameter[] = [], top = '') =>
    query<MemberDoc>(
      partitionKey(tenantId, boardId),
      `SELECT ${top} * FROM c WHERE c.pk = @pk AND c.type = 'member' ${filter} ORDER BY c.nameLower`,
      params,
    ).then((docs) => docs.map(fromMemberDoc));

  return {
    boards: {
      get: async (tenantId, boardId) => {
        const found = await read<Omit<Board, 'id'> & { boardId: string }>('board', partitionKey(tenantId, boardId));
        if (!found) return undefined;
        const { boardId: id, ...rest } = strip<Omit<Board, 'id'> & { boardId: string }>(found.doc, ['id']);
        return { ...rest, id };
      },
      put: async (board) => {
        // The board's own id goes in boardId: the item id is fixed so one partition holds exactly one board.
        const { id: boardId, ...rest } = board;
        const doc: BoardDoc = { ...rest, boardId, id: 'board', pk: partitionKey(board.tenantId, boardId), type: 'board' };
        await container.items.upsert(json(doc));
      },
    },
    members: {
      get: async (tenantId, boardId, userId) => {
        const found = await read<Member>(`member:${safeId(userId)}`, partitionKey(tenantId, boardId));
        return found ? fromMemberDoc(found.doc as MemberDoc) : undefined;
      },
      list: (tenantId, boardId, options) => memberQuery(tenantId, boardId, options?.includeLeft ? '' : 'AND c.active = true'),
      search: (tenantId, boardId, text, limit) => {
        const needle = text.trim().toLowerCase();
        return memberQuery(
          tenantId,
          boardId,
          'AND c.active = true AND (STARTSWITH(c.nameLower, @needle) OR CONTAINS(c.nameLower, @word) OR STARTSWITH(c.emailLower, @needle))',
          [
            { name: '@needle', value: needle },
            { name: '@word', value: ` ${needle}` },
            { name: '@n', value: limit },
          ],
          'TOP @n',
        );
      },
      findByEmail: async (tenantId, boardId, email) => {
        const [found] = await memberQuery(tenantId, boardId, 'AND c.active = true AND c.emailLower = @email', [{ name: '@email', value: email.toLowerCase() }], 'TOP 1');
        return found;
      },
      findByChannelId: async (tenantId, boardId, channelUserId) => {
        const [found] = await memberQuery(tenantId, boardId, 'AND c.active = true AND c.channelUserId = @channelUserId', [{ name: '@channelUserId', value: channelUserId }], 'TOP 1');
        return found;
      },
      put: putMember,
      boardsOf: async (tenantId, userId, options) => {
        // The one cross-partition query: a user's boards live in as many partitions as they have boards.
        const { resources } = await container.items
          .query<MemberDoc>({
            query: `SELECT * FROM c WHERE c.type = 'member' AND c.tenantId = @tenantId AND c.userId = @userId${options?.includeLeft ? '' : ' AND c.active = true'}`,
            parameters: [
              { name: '@tenantId', value: tenantId },
              { name: '@userId', value: userId },
            ],
          })
          .fetchAll();
        return resources.map(fromMemberDoc).sort((a, b) => (a.boardId < b.boardId ? -1 : a.boardId > b.boardId ? 1 : 0));
      },
    },
    recognitions: {
      create,
      get: async (tenantId, boardId, id) => {
        const found = await read<Recognition>(id, partitionKey(tenantId, boardId));
        return found ? fromRecognitionDoc(found.doc as RecognitionDoc) : undefined;
      },
      page,
      endorse,
      recordCard,
      softDelete,
      eraseMember,
      // A projection of the keys stored on each credit: the emulator cannot parse GROUP BY or
      // DISTINCT, and the keys are already de-duplicated when the credit is written.
      facts: (tenantId, boardId, since) =>
        query<CreditFact>(
          partitionKey(tenantId, boardId),
          `SELECT c.kind, c.createdAt, c.recipientKeys FROM c WHERE c.pk = @pk AND c.type = 'recognition'
             AND NOT IS_DEFINED(c.deletedAt) AND c.createdAt >= @since ORDER BY c.createdAt`,
          [{ name: '@since', value: since }],
        ),
    },
    stats: {
      list: async (tenantId, boardId) =>
        (await query<Doc<MemberStats>>(partitionKey(tenantId, boardId), "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'stats'")).map((d) =>
          strip<MemberStats>(d, ['id']),
        ),
      get: async (tenantId, boardId, key) => {
        const found = await readStats(partitionKey(tenantId, boardId), key);
        return found ? strip<MemberStats>(found.doc, ['id']) : undefined;
      },
    },
    leases: { acquire, release },
    close: async () => dispose(),
  };
}

/** The partition of a board: its records and its members' stats, so one batch can write them together. */
function partitionKey(tenantId: string, boardId: string): string {
  return `${tenantId}/${boardId}`;
}

function statsId(memberKey: string): string {
  return `stats:${safeId(memberKey)}`;
}

/** Cosmos refuses '/', '\\', '?' and '#' in item ids; an email-derived key could hold any of them. */
function safeId(text: string): string {
  return text.replace(/[%/\\?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function toRecognitionDoc(rec: Recognition, pk: string): RecognitionDoc {
  // recipientKeys lets the feed filter with ARRAY_CONTAINS instead of a join table.
  return { ...rec, pk, type: 'recognition', recipientKeys: [...new Set(recipientKeys(rec))] };
}

function fromRecognitionDoc(doc: RecognitionDoc): Recognition {
  return strip<Recognition>(doc, ['recipientKeys']);
}

function fromMemberDoc(doc: MemberDoc): Member {
  return strip<Member>(doc, ['id', 'nameLower', 'emailLower', 'active']);
}

/** The domain object inside a stored item: Cosmos system fields and our helper fields removed. */
function strip<T>(doc: object, extra: readonly string[]): T {
  const out: Record<string, unknown> = { ...doc };
  for (const field of [...SYSTEM_FIELDS, ...extra]) delete out[field];
  return out as T;
}

/** Our documents are plain JSON; the SDK's JSONObject type cannot see that through `unknown` fields. */
function json(doc: object): JSONObject {
  return doc as JSONObject;
}

/** The HTTP status of an SDK error; the SDK puts it on `code`. */
function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function ok(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/** A batch lost a race (412 stale ETag, 409 stats created meanwhile) and may be retried; anything else is a real failure. */
function throwUnlessRace(statuses: number[]): void {
  const failure = statuses.find((s) => s >= 400 && s !== 424);
  if (failure === 409 || failure === 412) return;
  throw new Error(`Cosmos DB batch failed with status ${failure ?? statuses.join(',')}.`);
}

/** Random, growing pause so concurrent writers stop colliding in lockstep. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 5 * (attempt + 1))));
}

function busy(): DomainError {
  return new DomainError('unavailable', 'Too many people are changing this at once. Please try again.');
}
