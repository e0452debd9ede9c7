// The inputs both measurements (HTTP and direct SQL) draw from, read once from the database,
// so that the API and the driver answer the same questions.
import type { RawConn } from './sql-conn.js';
import type { Rng } from './stats.js';

export interface StageInfo {
  id: number;
  semantic: string;
  requiresLossReason: boolean;
}

export interface Fixture {
  workspaceId: number;
  /** the pipeline with the most deals: the board under test */
  boardPipelineId: number;
  boardDeals: number;
  pipelines: Array<{ id: number; stages: StageInfo[] }>;
  adminId: number;
  /** non-admin users (the managers) */
  managerIds: number[];
  /** created_at span of the data, ms */
  minCreated: number;
  maxCreated: number;
  deals: number;
  /** migration 008: board counts and sums come from deal_stage_totals */
  hasStageTotals: boolean;
}

export async function loadFixture(conn: RawConn): Promise<Fixture> {
  const [ws] = await conn.query<{ id: number }>('select id from workspaces order by id limit 1');
  const workspaceId = Number(ws.id);
  const pipelines = await conn.query<{ id: number }>('select id from pipelines where workspace_id = ? order by is_default desc, sort, id', [workspaceId]);
  const stages = await conn.query<{ id: number; pipeline_id: number; semantic: string; requires_loss_reason: number }>(
    'select id, pipeline_id, semantic, requires_loss_reason from stages where workspace_id = ? order by sort, id',
    [workspaceId],
  );
  const perPipeline = await conn.query<{ pipeline_id: number; n: number }>(
    'select pipeline_id, count(*) as n from deals where workspace_id = ? group by pipeline_id order by count(*) desc',
    [workspaceId],
  );
  const users = await conn.query<{ id: number; is_admin: number }>(
    `select u.id, max(r.is_admin) as is_admin from users u
       join user_roles ur on ur.user_id = u.id and ur.workspace_id = u.workspace_id
       join roles r on r.id = ur.role_id
     where u.workspace_id = ? and u.active = 1 group by u.id order by u.id`,
    [workspaceId],
  );
  const [span] = await conn.query<{ lo: string | Date; hi: string | Date; n: number }>(
    'select min(created_at) as lo, max(created_at) as hi, count(*) as n from deals where workspace_id = ?',
    [workspaceId],
  );
  if (!perPipeline.length) throw new Error('No deals in the database: generate first');
  const hasStageTotals =
    conn.dialect === 'sqlite'
      ? (await conn.query("select 1 from sqlite_master where type = 'table' and name = 'deal_stage_totals'")).length > 0
      : (await conn.query("select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'deal_stage_totals'")).length > 0;
  const admins = users.filter((u) => Number(u.is_admin) === 1).map((u) => Number(u.id));
  return {
    workspaceId,
    boardPipelineId: Number(perPipeline[0].pipeline_id),
    boardDeals: Number(perPipeline[0].n),
    pipelines: pipelines.map((p) => ({
      id: Number(p.id),
      stages: stages
        .filter((s) => Number(s.pipeline_id) === Number(p.id))
        .map((s) => ({ id: Number(s.id), semantic: s.semantic, requiresLossReason: Number(s.requires_loss_reason) === 1 })),
    })),
    adminId: admins[0] ?? Number(users[0].id),
    managerIds: users.filter((u) => Number(u.is_admin) !== 1).map((u) => Number(u.id)),
    minCreated: new Date(span.lo).getTime(),
    maxCreated: new Date(span.hi).getTime(),
    deals: Number(span.n),
    hasStageTotals,
  };
}

export interface ListParams {
  responsibleId: number;
  stageId: number;
  createdFrom: string;
  createdTo: string;
}

/** One list question: a manager, a stage of the board pipeline, a window of 1–3 months. */
export function listParams(f: Fixture, rng: Rng, responsibleIds: number[] = f.managerIds): ListParams {
  const stages = f.pipelines.find((p) => p.id === f.boardPipelineId)!.stages;
  const windowMs = rng.int(30, 90) * 86_400_000;
  const from = f.minCreated + Math.floor(rng.next() * Math.max(1, f.maxCreated - f.minCreated - windowMs));
  return {
    responsibleId: rng.pick(responsibleIds.length ? responsibleIds : [f.adminId]),
    stageId: rng.pick(stages).id,
    createdFrom: new Date(from).toISOString(),
    createdTo: new Date(from + windowMs).toISOString(),
  };
}
