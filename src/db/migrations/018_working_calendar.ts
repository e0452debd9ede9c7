import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The workspace's stored working calendar (src/modules/working-calendar, docs/working-calendar.md):
// - working_calendar_settings: one row per workspace that has changed its working hours (none: the
//   defaults of RU_DEFAULT_CALENDAR); the time zone is the workspace's own (workspaces.time_zone).
// - working_calendar_overrides: the administrator's exceptions, a local date → work / short / off.
// - working_calendar_years: decree years loaded by the administrator (JSON of a YearCalendar); a
//   loaded year wins over the built-in ru-production-calendar for that year.
// Dates are 'YYYY-MM-DD' text on both databases.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const ts = ctx.dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('working_calendar_settings')
    .addColumn('workspace_id', 'integer', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('day_start_minute', 'integer', (c) => c.notNull())
    .addColumn('day_end_minute', 'integer', (c) => c.notNull())
    .addColumn('short_day_minutes', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint(
      'working_calendar_settings_window_check',
      sql`day_start_minute >= 0 and day_start_minute < day_end_minute and day_end_minute <= 1440 and short_day_minutes >= 0 and short_day_minutes <= 1440`,
    )
    .execute();

  await db.schema
    .createTable('working_calendar_overrides')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('working_calendar_overrides_pk', ['workspace_id', 'date'])
    .addCheckConstraint('working_calendar_overrides_kind_check', sql`kind in ('work', 'short', 'off')`)
    .execute();

  await db.schema
    .createTable('working_calendar_years')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('note', 'text')
    .addColumn('loaded_at', ts, (c) => c.notNull())
    .addColumn('loaded_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addPrimaryKeyConstraint('working_calendar_years_pk', ['workspace_id', 'year'])
    .execute();
}
