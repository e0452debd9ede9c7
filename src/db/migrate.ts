import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Db, DialectName } from './connection.js';
import * as m001 from './migrations/001_core.js';
import * as m003 from './migrations/003_contacts.js';
import * as m004 from './migrations/004_deals.js';
import * as m005 from './migrations/005_leads.js';
import * as m006 from './migrations/006_products_activities.js';
import * as m007 from './migrations/007_users_directory.js';
import * as m008 from './migrations/008_deal_stage_totals.js';
import * as m009 from './migrations/009_deals_board_by_responsible.js';
import * as m010 from './migrations/010_deals_column_order.js';
import * as m011 from './migrations/011_recycle_bin_stage_history.js';
import * as m012 from './migrations/012_audit_lead_status_history.js';
import * as m013 from './migrations/013_pipelines_one_default.js';
import * as m014 from './migrations/014_pipelines_archived.js';
import * as m015 from './migrations/015_search_index.js';
import * as m016 from './migrations/016_jobs.js';
import * as m017 from './migrations/017_messaging.js';
import * as m018 from './migrations/018_working_calendar.js';
import * as m019 from './migrations/019_search_index_batched.js';
import * as m020 from './migrations/020_outbox.js';
import * as m021 from './migrations/021_notifications.js';
import * as m022 from './migrations/022_automation.js';
import * as m023 from './migrations/023_overdue_control.js';
import * as m026 from './migrations/026_automation_triggers.js';
import * as m025 from './migrations/025_robot_effects.js';
import * as m027 from './migrations/027_capabilities_notification_mail.js';
import * as m028 from './migrations/028_builtin_robots.js';
import * as m029 from './migrations/029_activities_owner_order.js';

export interface MigrationContext {
  dialect: DialectName;
}

type MigrationModule = { up(db: Kysely<any>, ctx: MigrationContext): Promise<void> };

/** Every migration in order. A new migration is a new file here; applied ones never change. */
const migrations: Record<string, MigrationModule> = {
  '001_core': m001,
  '003_contacts': m003,
  '004_deals': m004,
  '005_leads': m005,
  '006_products_activities': m006,
  '007_users_directory': m007,
  '008_deal_stage_totals': m008,
  '009_deals_board_by_responsible': m009,
  '010_deals_column_order': m010,
  '011_recycle_bin_stage_history': m011,
  '012_audit_lead_status_history': m012,
  '013_pipelines_one_default': m013,
  '014_pipelines_archived': m014,
  '015_search_index': m015,
  '016_jobs': m016,
  '017_messaging': m017,
  '018_working_calendar': m018,
  '019_search_index_batched': m019,
  '020_outbox': m020,
  '021_notifications': m021,
  '022_automation': m022,
  '023_overdue_control': m023,
  '026_automation_triggers': m026,
  '025_robot_effects': m025,
  '027_capabilities_notification_mail': m027,
  '028_builtin_robots': m028,
  '029_activities_owner_order': m029,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, mod] of Object.entries(migrations)) out[name] = { up: (db) => mod.up(db, this.ctx) };
    return out;
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  // unordered: a branch that adds 017 may land after one that added 019; each migration stands alone
  const migrator = new Migrator({ db: db.kysely, provider: new StaticProvider({ dialect: db.dialect }), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
