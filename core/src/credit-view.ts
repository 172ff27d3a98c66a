import type { Kind } from './kinds';
import type { Evidence, Person, Recipient, Recognition, Source, Visibility } from './recognition';

/** A credit as the REST API shows it to the tab and the add-in: no tenant, endorsements counted. */
export interface CreditView {
  id: string;
  boardId: string;
  giver: Person;
  recipients: Recipient[];
  kind: Kind;
  message: string;
  evidence?: Evidence;
  source: Source;
  visibility: Visibility;
  createdAt: string;
  inspiredBy?: string;
  endorsementCount: number;
  endorsedBy: Person[];
}

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
    endorsedBy: rec.endorsements.map((e) => ({ userId: e.userId, name: e.name })),
  };
}
