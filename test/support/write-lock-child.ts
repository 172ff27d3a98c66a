import Database from 'better-sqlite3';

/**
 * Another process on the store's file, as a second instance or `npm run doctor -- --repair`
 * would be: runs BEFORE (committed at once), then takes the write lock (BEGIN IMMEDIATE),
 * runs INSIDE under it (a migration, say), renames the board to NAME, tells the parent `locked`, and commits after HOLD_MS or when the
 * parent sends `commit`, whichever comes first, then says `committed` and exits.
 */
function main(): void {
  const env = process.env;
  const db = new Database(env.SQLITE_PATH ?? '');
  if (env.BEFORE) db.exec(env.BEFORE);
  db.exec('BEGIN IMMEDIATE');
  if (env.INSIDE) db.exec(env.INSIDE);
  db.prepare("UPDATE boards SET doc = json_set(doc, '$.name', ?) WHERE tenant_id = ? AND id = ?").run(env.NAME, env.TENANT_ID, env.BOARD_ID);
  const commit = () => {
    clearTimeout(timer);
    db.exec('COMMIT');
    db.close();
    process.send?.('committed', () => process.disconnect());
  };
  const timer = setTimeout(commit, Number(env.HOLD_MS));
  process.once('message', commit);
  process.send?.('locked');
}

main();
