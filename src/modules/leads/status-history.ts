import type { Executor } from '../../server/context.js';
import type { LeadSemantic } from './leads.schema.js';

// The one writer of lead_status_history: create, a status change by PATCH and the conversion
// all go through enterStatus, so a lead has exactly one open row (lead_status_history_open_uq)
// and each row says who was responsible when it entered the status.

export interface StatusEntry {
  leadId: number;
  statusId: number;
  semantic: string;
  responsibleId: number;
}

export async function enterStatus(exec: Executor, workspaceId: number, e: StatusEntry, at: string, byId: number | null, opts: { isNew?: boolean } = {}): Promise<void> {
  if (!opts.isNew) {
    await exec
      .updateTable('lead_status_history')
      .set({ exited_at: at, exited_by_id: byId })
      .where('workspace_id', '=', workspaceId)
      .where('lead_id', '=', e.leadId)
      .where('exited_at', 'is', null)
      .execute();
  }
  await exec
    .insertInto('lead_status_history')
    .values({
      workspace_id: workspaceId,
      lead_id: e.leadId,
      status_id: e.statusId,
      status_semantic: e.semantic,
      responsible_id: e.responsibleId,
      entered_at: at,
      entered_by_id: byId,
    })
    .execute();
}

export async function listStatusHistory(exec: Executor, workspaceId: number, leadId: number) {
  const rows = await exec
    .selectFrom('lead_status_history')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .orderBy('entered_at')
    .orderBy('id')
    .limit(10_000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    statusId: r.status_id,
    statusSemantic: r.status_semantic as LeadSemantic,
    responsibleId: r.responsible_id,
    enteredAt: r.entered_at,
    enteredById: r.entered_by_id,
    exitedAt: r.exited_at,
    exitedById: r.exited_by_id,
  }));
}
