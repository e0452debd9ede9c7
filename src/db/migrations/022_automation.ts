import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The automation module's tables (src/modules/automation, docs/automation.md):
// - automation_robots: the robots of a deal stage or a lead status, in order; `params`, `condition`
//   and `timing` are JSON checked by the robot type's schema when saved.
// - automation_runs: one run of one robot for one stage entry of one record (the automation log);
//   `entry_id` is the timeline event that brought the record into the stage, so a run is made once
//   per entry whatever replays the outbox. Runs outlive their robot (its name and type are copied).
// And the robots' principal: every workspace gets one system user (`users.kind = 'system'`), never
// listed, assignable or able to log in, whom robot-made records are created by; the timeline entry
// names the robot itself (`timeline_entries.robot_id`, and its name then, `robot_name`).
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';
  const id = (c: any) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema.alterTable('users').addColumn('kind', 'text', (c) => c.notNull().defaultTo('person')).execute();
  await db.schema.alterTable('timeline_entries').addColumn('robot_id', 'integer').execute();
  await db.schema.alterTable('timeline_entries').addColumn('robot_name', 'text').execute();

  await db.schema
    .createTable('automation_robots')
    .addColumn('id', pgsql ? 'serial' : 'integer', id)
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('pipeline_id', 'integer')
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('condition', 'text')
    .addColumn('timing', 'text', (c) => c.notNull())
    .addColumn('leave_policy', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('automation_robots_entity_check', sql`entity_type in ('deal', 'lead')`)
    .addCheckConstraint('automation_robots_leave_check', sql`leave_policy in ('cancel', 'keep')`)
    .execute();
  await db.schema.createIndex('automation_robots_stage_idx').on('automation_robots').columns(['workspace_id', 'entity_type', 'stage_id', 'position']).execute();

  await db.schema
    .createTable('automation_runs')
    .addColumn('id', pgsql ? 'bigserial' : 'integer', id)
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('robot_id', 'integer', (c) => c.notNull())
    .addColumn('robot_type', 'text', (c) => c.notNull())
    .addColumn('robot_name', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('entry_id', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', ts)
    .addColumn('after_run_id', 'bigint')
    .addColumn('job_id', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('result', 'text')
    .addColumn('reason', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .addCheckConstraint('automation_runs_status_check', sql`status in ('waiting', 'done', 'skipped', 'cancelled', 'failed', 'uncertain')`)
    .execute();
  // one run per robot and stage entry: a replayed event makes nothing twice
  await db.schema.createIndex('automation_runs_entry_uq').on('automation_runs').columns(['robot_id', 'entry_id']).unique().execute();
  // the card's Automation tab, and the waiting runs of a record when it leaves its stage
  await db.schema.createIndex('automation_runs_record_idx').on('automation_runs').columns(['workspace_id', 'entity_type', 'entity_id', 'id']).execute();
  // the workspace log, newest first, filtered by status
  await db.schema.createIndex('automation_runs_log_idx').on('automation_runs').columns(['workspace_id', 'status', 'id']).execute();
  await db.schema.createIndex('automation_runs_after_idx').on('automation_runs').column('after_run_id').where(sql.raw<boolean>('after_run_id is not null')).execute();

  // the system user of every existing workspace (new ones get theirs in createWorkspace)
  const now = new Date().toISOString();
  await sql`insert into users (workspace_id, email, name, phone, position, active, locale, time_zone, password_hash, department_id, created_at, updated_at, kind)
    select w.id, 'robot+' || w.id || '@system.invalid', case when w.locale = 'en' then 'Robot' else 'Робот' end, null, null, 0, w.locale, w.time_zone, '!', null, ${now}, ${now}, 'system'
    from workspaces w`.execute(db);
}
