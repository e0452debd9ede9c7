import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { notFound, versionConflict } from '../../server/errors.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { diffFields } from '../timeline/timeline.service.js';
import { asLocale, type Locale } from '../../shared/locale.js';
import type { WorkspacePatch } from './workspaces.schema.js';

export type CrmMode = 'with_leads' | 'without_leads';

export interface WorkspaceSettings {
  id: number;
  name: string;
  /** with_leads: inbound requests create leads; without_leads: they create deals directly */
  crmMode: CrmMode;
  currency: string;
  timeZone: string;
  /** the language of its default names (see locale.ts) */
  locale: Locale;
  /** days a deleted record stays in the recycle bin before it is purged */
  recycleBinDays: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const SETTING_FIELDS = ['name', 'crmMode', 'currency', 'timeZone', 'locale', 'recycleBinDays'] as const;

export class WorkspacesService {
  constructor(private readonly ctx: AppContext) {}

  /** The settings other modules act on (crm mode, default currency, time zone). */
  /** Every workspace's id (jobs that run per workspace are ensured at server start). */
  async allIds(exec: Executor): Promise<number[]> {
    return (await exec.selectFrom('workspaces').select('id').orderBy('id').execute()).map((r) => r.id);
  }

  async getSettings(exec: Executor, workspaceId: number): Promise<WorkspaceSettings> {
    const row = await exec.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();
    if (!row) throw notFound('Workspace');
    return {
      id: row.id,
      name: row.name,
      crmMode: row.crm_mode,
      currency: row.currency,
      timeZone: row.time_zone,
      locale: asLocale(row.locale),
      recycleBinDays: row.recycle_bin_days,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      version: row.version,
    };
  }

  /** The recycle bin's retention of every workspace (the purge runs over all of them). */
  async recycleBinRetention(exec: Executor): Promise<Array<{ workspaceId: number; days: number }>> {
    const rows = await exec.selectFrom('workspaces').select(['id', 'recycle_bin_days']).orderBy('id').execute();
    return rows.map((r) => ({ workspaceId: r.id, days: r.recycle_bin_days }));
  }

  /** Everyone in the workspace may read its settings; only its own workspace, ever. */
  get(actor: Actor): Promise<WorkspaceSettings> {
    return this.getSettings(this.ctx.db.kysely, actor.workspaceId);
  }

  async update(actor: Actor, patch: WorkspacePatch, expectedVersion: number, exec?: Executor): Promise<WorkspaceSettings> {
    requireAdmin(actor);
    const db = exec ?? this.ctx.db.kysely;
    const before = await this.getSettings(db, actor.workspaceId);
    const changes = diffFields(before as unknown as Record<string, unknown>, { ...before, ...patch }, [...SETTING_FIELDS]);
    if (Object.keys(changes).length === 0) {
      if (before.version !== expectedVersion) throw versionConflict(before);
      return before;
    }
    const res = await db
      .updateTable('workspaces')
      .set((eb) => ({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.crmMode !== undefined && { crm_mode: patch.crmMode }),
        ...(patch.currency !== undefined && { currency: patch.currency }),
        ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
        ...(patch.locale !== undefined && { locale: patch.locale }),
        ...(patch.recycleBinDays !== undefined && { recycle_bin_days: patch.recycleBinDays }),
        updated_at: nowIso(this.ctx.clock),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', actor.workspaceId)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw versionConflict(await this.getSettings(db, actor.workspaceId));
    await this.ctx.services.audit.record(db, actor.workspaceId, actor.userId, { entityType: 'workspace', entityId: actor.workspaceId, action: 'updated', changes });
    return this.getSettings(db, actor.workspaceId);
  }
}
