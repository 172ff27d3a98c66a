/** A row that holds an entity as its JSON document. */
export interface DocRow {
  doc: string;
}

/** The entity of a row, if there is one. */
export function parseDoc<T>(row: DocRow | undefined): T | undefined {
  return row ? (JSON.parse(row.doc) as T) : undefined;
}

/** The entities of the rows, in order. */
export function parseDocs<T>(rows: DocRow[]): T[] {
  return rows.map((r) => JSON.parse(r.doc) as T);
}
