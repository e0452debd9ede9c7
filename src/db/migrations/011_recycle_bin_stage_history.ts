import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The data reports and automation stand on (issue 7 §4):
// - deleted deals, leads, contacts and companies go to a recycle bin: the row and the rows that
//   would go with it (links, product rows, phones) are kept as a snapshot in `recycle_bin` and
//   the live rows are removed, so every list, board, total, search and duplicate check stays as
//   it is (no `deleted_at is null` on every query and every index); a restore puts them back
//   under the same ids. The workspace says after how many days the bin is purged.
// - stage history keeps its rows when the deal goes (no cascade from deals), carries the
//   responsible, amount and currency at the moment of the move, and has exactly one open row per
//   deal (a partial unique index);
// - a stage removed from a pipeline is archived (archived_at), so history still names it.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';

  // --- stage history ---
  if (pgsql) {
    await sql`alter table deal_stage_history drop constraint if exists deal_stage_history_deal_id_fkey`.execute(db);
    await db.schema.alterTable('deal_stage_history').addColumn('responsible_id', 'integer').execute();
    await db.schema.alterTable('deal_stage_history').addColumn('amount', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('deal_stage_history').addColumn('currency', 'text', (c) => c.notNull().defaultTo('RUB')).execute();
  } else {
    // SQLite cannot drop a foreign key: the table is rebuilt without it
    await db.schema
      .createTable('deal_stage_history_new')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('deal_id', 'integer', (c) => c.notNull())
      .addColumn('pipeline_id', 'integer', (c) => c.notNull())
      .addColumn('stage_id', 'integer', (c) => c.notNull())
      .addColumn('stage_semantic', 'text', (c) => c.notNull())
      .addColumn('entered_at', ts, (c) => c.notNull())
      .addColumn('entered_by_id', 'integer')
      .addColumn('exited_at', ts)
      .addColumn('exited_by_id', 'integer')
      .addColumn('responsible_id', 'integer')
      .addColumn('amount', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('currency', 'text', (c) => c.notNull().defaultTo('RUB'))
      .execute();
    await sql`
      insert into deal_stage_history_new (id, workspace_id, deal_id, pipeline_id, stage_id, stage_semantic, entered_at, entered_by_id, exited_at, exited_by_id)
      select id, workspace_id, deal_id, pipeline_id, stage_id, stage_semantic, entered_at, entered_by_id, exited_at, exited_by_id from deal_stage_history`.execute(db);
    await db.schema.dropTable('deal_stage_history').execute();
    await sql`alter table deal_stage_history_new rename to deal_stage_history`.execute(db);
    await db.schema.createIndex('deal_stage_history_deal_idx').on('deal_stage_history').columns(['workspace_id', 'deal_id', 'entered_at']).execute();
    await db.schema.createIndex('deal_stage_history_stage_idx').on('deal_stage_history').columns(['workspace_id', 'stage_id', 'entered_at']).execute();
  }
  // The facts of rows written before: the deal's current responsible and amount (the best known).
  await sql`
    update deal_stage_history set responsible_id = d.responsible_id, amount = d.amount, currency = d.currency
    from deals d where d.id = deal_stage_history.deal_id`.execute(db);
  // One open row per deal: should an old path have left two, the earlier ones are closed when the later one opened.
  await sql`
    update deal_stage_history set exited_at = entered_at
    where exited_at is null and exists (
      select 1 from deal_stage_history h2
      where h2.workspace_id = deal_stage_history.workspace_id and h2.deal_id = deal_stage_history.deal_id and h2.exited_at is null and h2.id > deal_stage_history.id)`.execute(db);
  await db.schema
    .createIndex('deal_stage_history_open_uq')
    .on('deal_stage_history')
    .columns(['workspace_id', 'deal_id'])
    .unique()
    .where(sql.ref('exited_at'), 'is', null)
    .execute();

  // --- archived stages ---
  await db.schema.alterTable('stages').addColumn('archived_at', ts).execute();

  // --- recycle bin ---
  await db.schema
    .createTable('recycle_bin')
    .addColumn('id', pgsql ? 'serial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('responsible_id', 'integer', (c) => c.notNull())
    .addColumn('pipeline_id', 'integer')
    .addColumn('deleted_at', ts, (c) => c.notNull())
    .addColumn('deleted_by_id', 'integer')
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recycle_bin_entity_uq').on('recycle_bin').columns(['workspace_id', 'entity_type', 'entity_id']).unique().execute();
  await db.schema.createIndex('recycle_bin_deleted_idx').on('recycle_bin').columns(['workspace_id', 'deleted_at', 'id']).execute();
  await db.schema.alterTable('workspaces').addColumn('recycle_bin_days', 'integer', (c) => c.notNull().defaultTo(30)).execute();
}
