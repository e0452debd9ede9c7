import { sql, type Kysely } from 'kysely';

// One default pipeline per workspace, enforced by the database: concurrent "make default" used
// to leave several. Extra defaults left by that race keep only the oldest first.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update pipelines set is_default = 0 where is_default = 1 and id <> (select min(p.id) from pipelines p where p.workspace_id = pipelines.workspace_id and p.is_default = 1)`.execute(db);
  await sql`create unique index pipelines_one_default_uq on pipelines (workspace_id) where is_default = 1`.execute(db);
}
