import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Built-in robots (src/modules/automation/built-in-robots.ts, docs/automation.md § The lead-less
// CRM mode): `automation_robots.built_in` names the rule a robot is (null for the administrators'
// own), one of each per workspace. Every workspace gets «convert every new lead», which acts
// while the workspace works without leads; new workspaces get it in createWorkspace.
export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('automation_robots').addColumn('built_in', 'text').execute();
  await db.schema.createIndex('automation_robots_built_in_uq').on('automation_robots').columns(['workspace_id', 'built_in']).unique().execute();
  const now = new Date().toISOString();
  await sql`insert into automation_robots (workspace_id, entity_type, pipeline_id, stage_id, position, type, name, params, condition, timing, leave_policy, enabled, version, created_by_id, created_at, updated_at, built_in)
    select w.id, 'lead', null,
      (select r.id from reference_items r where r.workspace_id = w.id and r.kind = 'lead-statuses' and r.semantic = 'in_progress' and r.active = 1 order by r.sort, r.id limit 1),
      0, 'convert_lead', case when w.locale = 'en' then 'Convert every new lead' else 'Конвертация каждого нового лида' end,
      '{"deal":true,"stageId":null,"contact":true,"company":true}', null, '{"kind":"immediate"}', 'keep', 1, 1,
      (select u.id from users u where u.workspace_id = w.id and u.kind = 'system' order by u.id limit 1),
      ${now}, ${now}, 'convert_new_leads'
    from workspaces w
    where exists (select 1 from users u where u.workspace_id = w.id and u.kind = 'system')
      and exists (select 1 from reference_items r where r.workspace_id = w.id and r.kind = 'lead-statuses' and r.semantic = 'in_progress' and r.active = 1)`.execute(db);
}
