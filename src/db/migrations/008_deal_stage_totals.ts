import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Board totals kept ahead of time: per (stage, responsible, currency) the number of deals and
// their amount, so the board's counts and sums read a few hundred rows instead of counting
// every deal of the pipeline. Database triggers keep it exact for every write path (API,
// set-based stage moves, bulk generators, imports). A row that drops to zero deals is deleted,
// so the table always equals `select … count(*), sum(amount) from deals group by …`.

const KEY = 'workspace_id, stage_id, responsible_id, currency';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  let table = db.schema
    .createTable('deal_stage_totals')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // follows stage_id (a stage belongs to one pipeline); here for per-pipeline permission grants
    .addColumn('pipeline_id', 'integer', (c) => c.notNull())
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('responsible_id', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('deals', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('deal_stage_totals_pk', ['workspace_id', 'stage_id', 'responsible_id', 'currency']);
  if (!pgsql) table = table.modifyEnd(sql`without rowid`);
  await table.execute();

  if (pgsql) await postgresTriggers(db);
  else await sqliteTriggers(db);

  await sql`
    insert into deal_stage_totals (workspace_id, pipeline_id, stage_id, responsible_id, currency, deals, amount)
    select workspace_id, max(pipeline_id), stage_id, responsible_id, currency, count(*), sum(amount)
    from deals
    group by workspace_id, stage_id, responsible_id, currency`.execute(db);
}

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  const add = (r: 'new') => `
    insert into deal_stage_totals (workspace_id, pipeline_id, stage_id, responsible_id, currency, deals, amount)
    values (${r}.workspace_id, ${r}.pipeline_id, ${r}.stage_id, ${r}.responsible_id, ${r}.currency, 1, ${r}.amount)
    on conflict (${KEY}) do update set deals = deals + 1, amount = amount + excluded.amount, pipeline_id = excluded.pipeline_id;`;
  const keyOf = (r: 'old') =>
    `workspace_id = ${r}.workspace_id and stage_id = ${r}.stage_id and responsible_id = ${r}.responsible_id and currency = ${r}.currency`;
  // a missing row (its workspace being deleted by cascade) is left missing: no insert on this path
  const remove = (r: 'old') => `
    update deal_stage_totals set deals = deals - 1, amount = amount - ${r}.amount where ${keyOf(r)};
    delete from deal_stage_totals where ${keyOf(r)} and deals = 0;`;
  await sql.raw(`create trigger deal_stage_totals_insert after insert on deals begin ${add('new')} end`).execute(db);
  await sql.raw(`create trigger deal_stage_totals_delete after delete on deals begin ${remove('old')} end`).execute(db);
  await sql
    .raw(
      `create trigger deal_stage_totals_update after update of stage_id, pipeline_id, responsible_id, currency, amount on deals
       when old.stage_id is not new.stage_id or old.pipeline_id is not new.pipeline_id or old.responsible_id is not new.responsible_id
         or old.currency is not new.currency or old.amount is not new.amount
       begin ${remove('old')} ${add('new')} end`,
    )
    .execute(db);
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  // One row's change of a totals row: an upsert when adding, decrement (and delete at zero) when removing.
  await sql`
    create function deal_stage_totals_apply(ws integer, pipeline integer, stage integer, responsible integer, cur text, n integer, amt bigint)
    returns void language plpgsql as $$
    declare remaining integer;
    begin
      if n > 0 then
        insert into deal_stage_totals as t (workspace_id, pipeline_id, stage_id, responsible_id, currency, deals, amount)
        values (ws, pipeline, stage, responsible, cur, n, amt)
        on conflict (workspace_id, stage_id, responsible_id, currency)
        do update set deals = t.deals + excluded.deals, amount = t.amount + excluded.amount, pipeline_id = excluded.pipeline_id;
      else
        -- a missing row (its workspace being deleted by cascade) is left missing
        update deal_stage_totals as t set deals = t.deals + n, amount = t.amount + amt
        where t.workspace_id = ws and t.stage_id = stage and t.responsible_id = responsible and t.currency = cur
        returning t.deals into remaining;
        if remaining = 0 then
          delete from deal_stage_totals as t
          where t.workspace_id = ws and t.stage_id = stage and t.responsible_id = responsible and t.currency = cur and t.deals = 0;
        end if;
      end if;
    end $$`.execute(db);
  await sql`
    create function deal_stage_totals_on_deal() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform deal_stage_totals_apply(new.workspace_id, new.pipeline_id, new.stage_id, new.responsible_id, new.currency, 1, new.amount);
      elsif tg_op = 'DELETE' then
        perform deal_stage_totals_apply(old.workspace_id, old.pipeline_id, old.stage_id, old.responsible_id, old.currency, -1, -old.amount);
      elsif (old.stage_id, old.responsible_id, old.currency) <= (new.stage_id, new.responsible_id, new.currency) then
        -- two totals rows are locked in key order, so two concurrent moves in opposite directions cannot deadlock
        perform deal_stage_totals_apply(old.workspace_id, old.pipeline_id, old.stage_id, old.responsible_id, old.currency, -1, -old.amount);
        perform deal_stage_totals_apply(new.workspace_id, new.pipeline_id, new.stage_id, new.responsible_id, new.currency, 1, new.amount);
      else
        perform deal_stage_totals_apply(new.workspace_id, new.pipeline_id, new.stage_id, new.responsible_id, new.currency, 1, new.amount);
        perform deal_stage_totals_apply(old.workspace_id, old.pipeline_id, old.stage_id, old.responsible_id, old.currency, -1, -old.amount);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger deal_stage_totals_insert after insert on deals for each row execute function deal_stage_totals_on_deal()`.execute(db);
  await sql`create trigger deal_stage_totals_delete after delete on deals for each row execute function deal_stage_totals_on_deal()`.execute(db);
  await sql`
    create trigger deal_stage_totals_update after update of stage_id, pipeline_id, responsible_id, currency, amount on deals
    for each row
    when (old.stage_id is distinct from new.stage_id or old.pipeline_id is distinct from new.pipeline_id
      or old.responsible_id is distinct from new.responsible_id or old.currency is distinct from new.currency
      or old.amount is distinct from new.amount)
    execute function deal_stage_totals_on_deal()`.execute(db);
}
