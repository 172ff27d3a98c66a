import type { Person, Recognition } from './recognition';

/** A credit as the REST API shows it to the tab and the add-in: no tenant, endorsements counted. */
export type CreditView = Omit<Recognition, 'tenantId' | 'endorsements' | 'deletedAt'> & {
  endorsementCount: number;
  endorsedBy: Person[];
};

/** The API view of a stored credit. */
export function toCreditView(rec: Recognition): CreditView {
  return {
    id: rec.id,
    boardId: rec.boardId,
    giver: rec.giver,
    recipients: rec.recipients,
    kind: rec.kind,
    message: rec.message,
    evidence: rec.evidence,
    source: rec.source,
    visibility: rec.visibility,
    createdAt: rec.createdAt,
    inspiredBy: rec.inspiredBy,
    endorsementCount: rec.endorsements.length,
    endorsedBy: endorsersOf(rec),
  };
}

/** Who said "I saw this too", in the order they did. */
export function endorsersOf(rec: Pick<Recognition, 'endorsements'>): Person[] {
  return rec.endorsements.map((e) => ({ userId: e.userId, name: e.name }));
}
