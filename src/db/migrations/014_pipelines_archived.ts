import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// A deleted pipeline is archived like a removed stage (archived_at), and so are its stages: deals
// that passed through it keep their stage history, deals in the recycle bin keep a pipeline to be
// restored from, and reports still name both.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const ts = ctx.dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema.alterTable('pipelines').addColumn('archived_at', ts).execute();
}
