import { sql } from 'kysely';
import { openDb } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig, redactUrl, VERSION } from '../../server/config.js';
import { systemClock } from '../../server/clock.js';
import { JobQueue } from '../../jobs/index.js';

const COUNTED = ['workspaces', 'users', 'pipelines', 'deals', 'leads', 'contacts', 'companies', 'activities', 'products', 'timeline_entries'] as const;

/** Prints what a support request needs: version, database, migrations, row counts and the job queue's health. */
export async function doctorCommand(): Promise<void> {
  const config = loadConfig();
  const db = openDb(config.databaseUrl);
  try {
    console.log(`voronka ${VERSION} on node ${process.version}`);
    console.log(`database: ${db.dialect} ${redactUrl(config.databaseUrl)}`);
    const server = db.dialect === 'postgres' ? await sql<{ v: string }>`select version() as v`.execute(db.kysely) : await sql<{ v: string }>`select 'SQLite ' || sqlite_version() as v`.execute(db.kysely);
    console.log(`server: ${server.rows[0]?.v}`);
    const applied = await migrateToLatest(db);
    if (applied.length) console.log(`migrations applied now: ${applied.join(', ')}`);
    for (const table of COUNTED) {
      let q = db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
      // people: the workspaces' system users (the robots' principal) are not counted
      if (table === 'users') q = q.where(sql.ref('kind'), '=', 'person');
      const row = await q.executeTakeFirstOrThrow();
      console.log(`${table.padEnd(18)} ${Number(row.n)}`);
    }
    const h = await new JobQueue(db, systemClock).health();
    const lag = h.oldestDueLagMs ? `, oldest due waits ${Math.round(h.oldestDueLagMs / 1000)} s` : '';
    console.log(`jobs: ${h.due} due, ${h.scheduled} scheduled, ${h.running} running, ${h.retrying} retrying, ${h.failed} failed${lag}`);
  } finally {
    await db.close();
  }
}
