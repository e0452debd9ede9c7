// Bulk data generator: companies, contacts, deals with their contacts, stage history and
// activities, written straight through the driver (better-sqlite3 prepared statements in
// big transactions; pg multi-row INSERT … SELECT FROM unnest(arrays)). The workspace, its
// users and pipelines are read from the database: the API creates them beforehand.
import { generateKeyBetween } from 'fractional-indexing';
import { existingColumns, nameKey, searchIndexTriggers, searchText, secondaryIndexes, SPEC, TABLES_WITH_IDS, OPTIONAL_COLUMNS, type IndexDef, type TableName } from './bulk-tables.js';
import { openRaw, type RawConn, type TableSpec } from './sql-conn.js';
import { msSince, Rng } from './stats.js';
import type { BenchDb, Target } from './target.js';
import * as W from './words.js';

export interface GenerateOptions {
  deals: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface TableTiming {
  table: string;
  rows: number;
  /** time spent in the driver writing this table's rows */
  insertMs: number;
  /** re-creating its secondary indexes after the load */
  indexMs: number;
}

export interface GenerationInfo {
  db: BenchDb;
  deals: number;
  generatedAt: string;
  tables: TableTiming[];
  /** building rows in JS (all tables) */
  buildMs: number;
  /** wall time of re-creating all secondary indexes (per-table figures may overlap) */
  indexWallMs: number;
  /** ANALYZE / VACUUM / sequence fix-ups after the load */
  finishMs: number;
  totalMs: number;
}

/** Shares of deals per pipeline, biggest first (the default pipeline gets the first share). */
const PIPELINE_SHARES = [50, 30, 20];
/** Shares of a pipeline's deals by stage semantic; in-progress stages thin out along the funnel. */
const SEMANTIC_SHARES = { in_progress: 35, success: 25, failure: 40 };
const DAY = 86_400_000;
const HISTORY_DAYS = 730;
const ACTIVITIES_PER_DEAL = 1.5;
/** rows per statement: big transactions for better-sqlite3; ~1000-row unnest() inserts for pg (bigger arrays get slower per row) */
const BATCH_ROWS = { sqlite: 5000, postgres: 1000 };

type Semantic = 'in_progress' | 'success' | 'failure';
interface Stage {
  id: number;
  semantic: Semantic;
}
interface Pipeline {
  id: number;
  stages: Stage[];
  stageWeights: number[];
}


const iso = (ms: number): string => new Date(ms).toISOString();

/** What the API created before the load: the workspace, its users, pipelines and reference lists. */
interface Context {
  workspaceId: number;
  userIds: number[];
  pipelines: Pipeline[];
  ref: Record<string, number[]>;
  nextId: Record<TableName, number>;
}

async function readContext(conn: RawConn): Promise<Context> {
  const ws = await conn.query<{ id: number }>('select id from workspaces order by id limit 1');
  if (ws.length === 0) throw new Error('No workspace in the database: the server creates it on its first start');
  const workspaceId = Number(ws[0].id);
  const users = await conn.query<{ id: number }>('select id from users where workspace_id = ? and active = 1 order by id', [workspaceId]);
  const pipelines = await conn.query<{ id: number }>('select id from pipelines where workspace_id = ? order by is_default desc, sort, id', [workspaceId]);
  const stages = await conn.query<{ id: number; pipeline_id: number; semantic: Semantic }>(
    'select id, pipeline_id, semantic from stages where workspace_id = ? order by pipeline_id, sort, id',
    [workspaceId],
  );
  const refs = await conn.query<{ id: number; kind: string }>('select id, kind from reference_items where workspace_id = ? and active = 1 order by kind, sort, id', [workspaceId]);
  if (users.length === 0 || pipelines.length === 0) throw new Error('The workspace has no users or no pipelines');
  const ref: Record<string, number[]> = {};
  for (const r of refs) (ref[r.kind] ??= []).push(Number(r.id));
  const nextId = {} as Record<TableName, number>;
  for (const t of TABLES_WITH_IDS) {
    const [row] = await conn.query<{ m: number | string | null }>(`select max(id) as m from ${t}`);
    nextId[t] = Number(row.m ?? 0) + 1;
  }
  return {
    workspaceId,
    userIds: users.map((u) => Number(u.id)),
    pipelines: pipelines.map((p) => {
      const own = stages.filter((s) => Number(s.pipeline_id) === Number(p.id)).map((s) => ({ id: Number(s.id), semantic: s.semantic }));
      return { id: Number(p.id), stages: own, stageWeights: stageWeights(own) };
    }),
    ref,
    nextId,
  };
}

/** In-progress stages get 35 % between them, decreasing along the funnel; won 25 %, lost 40 %. */
function stageWeights(stages: Stage[]): number[] {
  const open = stages.filter((s) => s.semantic === 'in_progress').length;
  const count = (sem: Semantic) => stages.filter((s) => s.semantic === sem).length || 1;
  let openRank = 0;
  const funnelTotal = (open * (open + 1)) / 2;
  return stages.map((s) => {
    if (s.semantic !== 'in_progress') return SEMANTIC_SHARES[s.semantic] / count(s.semantic);
    const w = (SEMANTIC_SHARES.in_progress * (open - openRank)) / funnelTotal;
    openRank++;
    return w;
  });
}

export async function generate(t: Target, opts: GenerateOptions): Promise<GenerationInfo> {
  const log = opts.log ?? (() => {});
  const started = process.hrtime.bigint();
  const rng = new Rng(opts.seed ?? 20261128);
  const conn = await openRaw(t, { bulk: true });
  const timings = new Map<TableName, TableTiming>();
  let buildMs = 0;
  // drop optional columns the schema does not have (yet)
  const specs = { ...SPEC } as Record<TableName, TableSpec>;
  const keep = {} as Record<TableName, number[] | null>;
  for (const name of Object.keys(SPEC) as TableName[]) {
    keep[name] = null;
    const optional = OPTIONAL_COLUMNS[name];
    if (!optional) continue;
    const have = await existingColumns(conn, name);
    const idx = SPEC[name].columns.map((c, i) => (optional.includes(c.name) && !have.has(c.name) ? -1 : i)).filter((i) => i >= 0);
    if (idx.length < SPEC[name].columns.length) {
      keep[name] = idx;
      specs[name] = { table: name, columns: idx.map((i) => SPEC[name].columns[i]) };
    }
  }
  // Writes run one after another on the connection, but the caller does not wait for them:
  // it builds the next batch while PostgreSQL stores this one (at most one batch in flight,
  // see flush()). better-sqlite3 is synchronous, so on SQLite this changes nothing.
  let inflight: Promise<void> = Promise.resolve();
  const write = (name: TableName, all: unknown[][]): void => {
    const idx = keep[name];
    const rows = idx ? all.map((r) => idx.map((i) => r[i])) : all;
    inflight = inflight.then(async () => {
      const t0 = process.hrtime.bigint();
      await conn.insertMany(specs[name], rows);
      const tm = timings.get(name) ?? { table: name, rows: 0, insertMs: 0, indexMs: 0 };
      tm.rows += rows.length;
      tm.insertMs += msSince(t0);
      timings.set(name, tm);
    });
  };
  /** waits for the batch sent before; call after building the next one */
  const flush = () => inflight;
  const ctx = await readContext(conn);
  const ws = ctx.workspaceId;
  const BATCH = BATCH_ROWS[conn.dialect];
  const dropped: IndexDef[] = [];
  for (const name of Object.keys(SPEC) as TableName[]) dropped.push(...(await secondaryIndexes(conn, name)));
  for (const ix of dropped) await conn.exec(`drop index ${ix.name}`);
  // SQLite's search indexes (FTS5 tables, migration 015) are kept by triggers: built once after
  // the load instead, like the indexes
  const ftsTriggers = await searchIndexTriggers(conn);
  for (const tr of ftsTriggers) await conn.exec(`drop trigger ${tr.name}`);
  log(`dropped ${dropped.length} secondary indexes for the load`);
  const now = Date.now();
  const pickUser = () => ctx.userIds[Math.floor(rng.next() * ctx.userIds.length)];
  const pickRef = (kind: string): number | null => {
    const ids = ctx.ref[kind];
    return ids && ids.length ? rng.pick(ids) : null;
  };
  const pastMs = (days = HISTORY_DAYS) => now - Math.floor(rng.next() * days * DAY);

  const nCompanies = Math.max(10, Math.round(opts.deals * 0.1));
  const nContacts = Math.max(10, Math.round(opts.deals * 0.3));
  log(`workspace ${ws}: ${ctx.userIds.length} users, ${ctx.pipelines.length} pipelines (${ctx.pipelines.map((p) => p.stages.length).join('/')} stages)`);

  // --- companies ---
  const firstCompany = ctx.nextId.companies;
  const companyNames: string[] = new Array(nCompanies);
  for (let done = 0; done < nCompanies; ) {
    const b0 = process.hrtime.bigint();
    const rows: unknown[][] = [];
    for (const end = Math.min(nCompanies, done + BATCH); done < end; done++) {
      const id = firstCompany + done;
      const name = `${rng.pick(W.COMPANY_FORMS)} «${rng.pick(W.COMPANY_WORDS_A)}${rng.pick(W.COMPANY_WORDS_B).toLowerCase()}${done % 4 === 0 ? '' : '-' + (done % 97)}»`;
      companyNames[done] = name;
      const created = pastMs();
      const resp = pickUser();
      rows.push([id, ws, name, pickRef('company-types'), pickRef('industries'), rng.chance(0.5) ? `https://company${id}.example` : null,
        `г. ${rng.pick(W.CITIES)}, ${rng.pick(W.STREETS)}, д. ${rng.int(1, 150)}`, '{}', resp, resp, '{}', searchText([name]),
        iso(created), iso(created + Math.floor(rng.next() * (now - created))), 1, nameKey([name])]);
    }
    buildMs += msSince(b0);
    await flush();
    write('companies', rows);
  }
  log(`companies: ${nCompanies}`);

  // --- contacts, their company links and phones/e-mails ---
  const firstContact = ctx.nextId.contacts;
  const contactCompany = new Int32Array(nContacts); // 0 = no company
  let commId = ctx.nextId.communications;
  for (let done = 0; done < nContacts; ) {
    const b0 = process.hrtime.bigint();
    const rows: unknown[][] = [];
    const links: unknown[][] = [];
    const comms: unknown[][] = [];
    for (const end = Math.min(nContacts, done + BATCH); done < end; done++) {
      const id = firstContact + done;
      const female = rng.chance(0.45);
      const first = rng.pick(female ? W.FIRST_NAMES_F : W.FIRST_NAMES_M);
      const last = rng.pick(W.LAST_NAMES) + (female ? 'а' : '');
      const middle = rng.pick(female ? W.MIDDLE_NAMES_F : W.MIDDLE_NAMES_M);
      const digits = `79${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
      const phone = `+7 (${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7, 9)}-${digits.slice(9)}`;
      const email = rng.chance(0.5) ? `contact${id}@bench.example` : null;
      const created = pastMs();
      const resp = pickUser();
      rows.push([id, ws, first, last, middle, rng.pick(W.POSITIONS), pickRef('contact-types'), pickRef('sources'), resp, resp, '{}',
        searchText([last, first, middle, '+' + digits, digits, email]), iso(created), iso(created + Math.floor(rng.next() * (now - created))), 1,
        nameKey([last, first, middle])]);
      comms.push([commId++, ws, 'contact', id, 'phone', 'mobile', phone, '+' + digits, 0]);
      if (email) comms.push([commId++, ws, 'contact', id, 'email', 'work', email, email, 1]);
      if (rng.chance(0.7)) {
        const company = firstCompany + Math.floor(rng.next() * nCompanies);
        contactCompany[done] = company;
        links.push([ws, id, company]);
      }
    }
    buildMs += msSince(b0);
    await flush();
    write('contacts', rows);
    write('contact_companies', links);
    write('communications', comms);
  }
  log(`contacts: ${nContacts}`);

  // --- deals, deal_contacts, deal_stage_history, activities ---
  const pipelines = ctx.pipelines;
  const pipelineWeights: number[] = pipelines.map((_, i) => PIPELINE_SHARES[i] ?? 0);
  if (!pipelineWeights.some((w) => w > 0)) pipelineWeights.fill(1);
  // planned activities go to 90 % of open deals; done ones make up the rest of 1.5 per deal
  const openShare =
    pipelines.reduce((acc, p, i) => {
      const total = p.stageWeights.reduce((a, b) => a + b, 0);
      const open = p.stages.reduce((a, s, j) => a + (s.semantic === 'in_progress' ? p.stageWeights[j] : 0), 0);
      return acc + (pipelineWeights[i] * open) / total;
    }, 0) / pipelineWeights.reduce((a, b) => a + b, 0);
  const extraDone = Math.min(1, Math.max(0, ACTIVITIES_PER_DEAL - openShare * 0.9 - 1));
  const keys: string[] = [];
  const keyAt = (n: number): string => {
    while (keys.length <= n) keys.push(generateKeyBetween(keys.length ? keys[keys.length - 1] : null, null));
    return keys[n];
  };
  const columnFill = new Map<number, number>();
  let dealId = ctx.nextId.deals;
  let historyId = ctx.nextId.deal_stage_history;
  let activityId = ctx.nextId.activities;
  const types = ['call', 'call', 'call', 'email', 'email', 'meeting', 'task', 'task'] as const;
  let lastLog = Date.now();

  for (let done = 0; done < opts.deals; ) {
    const b0 = process.hrtime.bigint();
    const deals: unknown[][] = [];
    const dealContacts: unknown[][] = [];
    const history: unknown[][] = [];
    const activities: unknown[][] = [];
    for (const end = Math.min(opts.deals, done + BATCH); done < end; done++) {
      const id = dealId++;
      const p = pipelines[rng.weighted(pipelineWeights)];
      const stage = p.stages[rng.weighted(p.stageWeights)];
      const closed = stage.semantic !== 'in_progress';
      const r = rng.next();
      // open deals are mostly recent; closed ones spread evenly over the two years
      const created = now - Math.floor((closed ? r : r * r) * HISTORY_DAYS * DAY) - 60_000;
      const stageChanged = closed
        ? Math.min(now - 30_000, created + Math.floor(rng.next() * 90 * DAY))
        : created + Math.floor(rng.next() * 0.7 * (now - created));
      const updated = stageChanged + Math.floor(rng.next() * 0.3 * (now - stageChanged));
      const resp = pickUser();

      const cur = rng.next();
      const currency = cur < 0.9 ? 'RUB' : cur < 0.96 ? 'USD' : 'EUR';
      const units = currency === 'RUB' ? Math.exp(Math.log(5_000) + rng.next() * Math.log(1000)) : Math.exp(Math.log(100) + rng.next() * Math.log(1000));
      const amount = Math.round(units / (currency === 'RUB' ? 100 : 10)) * (currency === 'RUB' ? 100 : 10) * 100;

      const contactIdx = rng.chance(0.92) ? Math.floor(rng.next() * nContacts) : -1;
      let company: number | null = contactIdx >= 0 && contactCompany[contactIdx] ? contactCompany[contactIdx] : null;
      if (company === null && rng.chance(0.3)) company = firstCompany + Math.floor(rng.next() * nCompanies);
      const companyName = company === null ? '' : companyNames[company - firstCompany];
      const title = `${rng.pick(W.DEAL_VERBS)} ${rng.pick(W.DEAL_OBJECTS)}${company === null ? '' : ' для ' + companyName}`;
      const contact = contactIdx >= 0 ? firstContact + contactIdx : null;
      if (contact !== null) {
        dealContacts.push([ws, id, contact, 1, 0]);
        if (rng.chance(0.06)) {
          const secondIdx = Math.floor(rng.next() * nContacts);
          if (secondIdx !== contactIdx) {
            dealContacts.push([ws, id, firstContact + secondIdx, 0, 1]);
          }
        }
      }

      const fill = columnFill.get(stage.id) ?? 0;
      columnFill.set(stage.id, fill + 1);

      // done activities over the deal's life, one planned for most open deals
      const nDone = 1 + (rng.chance(extraDone) ? 1 : 0);
      for (let k = 0; k < nDone; k++) {
        const type = types[Math.floor(rng.next() * types.length)];
        const aCreated = created + Math.floor(rng.next() * (updated - created));
        const deadline = aCreated + rng.int(1, 72) * 3_600_000;
        const completed = Math.max(aCreated, Math.min(now - 1000, aCreated + Math.floor(rng.next() * (deadline - aCreated))));
        activities.push([activityId++, ws, type, rng.pick(W.ACTIVITY_SUBJECTS[type]), type === 'meeting' ? iso(deadline - 3_600_000) : null, iso(deadline),
          resp, resp, 'deal', id, 'done', rng.pick(W.ACTIVITY_RESULTS), iso(completed), resp, type === 'call' ? (rng.chance(0.2) ? 'incoming' : 'outgoing') : type === 'email' ? 'outgoing' : null,
          iso(aCreated), iso(completed), 2]);
      }
      let nextId: number | null = null;
      let nextDeadline: string | null = null;
      if (!closed && rng.chance(0.9)) {
        const type = types[Math.floor(rng.next() * types.length)];
        const aCreated = Math.max(created, now - Math.floor(rng.next() * 20 * DAY));
        const deadlineMs = now + Math.floor((rng.next() * 30 - 10) * DAY); // a third are overdue
        nextId = activityId++;
        nextDeadline = iso(deadlineMs);
        activities.push([nextId, ws, type, rng.pick(W.ACTIVITY_SUBJECTS[type]), type === 'meeting' ? iso(deadlineMs - 3_600_000) : null, nextDeadline,
          resp, resp, 'deal', id, 'planned', null, null, null, type === 'call' || type === 'email' ? 'outgoing' : null, iso(aCreated), iso(aCreated), 1]);
      }

      const closedAt = closed ? iso(stageChanged) : null;
      const closeDate = closed ? iso(stageChanged).slice(0, 10) : rng.chance(0.6) ? iso(now + Math.floor(rng.next() * 90 * DAY)).slice(0, 10) : null;
      deals.push([id, ws, title, p.id, stage.id, stage.semantic, keyAt(fill), amount, currency, resp, resp, company, contact,
        rng.chance(0.8) ? pickRef('sources') : null, stage.semantic === 'failure' ? pickRef('loss-reasons') : null, closeDate, '[]', closed ? 1 : 0,
        closedAt, iso(stageChanged), nextId, nextDeadline, '{}', searchText([title]), iso(created), iso(updated), 1]);
      history.push([historyId++, ws, id, p.id, stage.id, stage.semantic, iso(stageChanged), resp]);
    }
    buildMs += msSince(b0);
    await flush();
    write('deals', deals);
    write('deal_contacts', dealContacts);
    write('deal_stage_history', history);
    write('activities', activities);
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(`deals: ${done} / ${opts.deals} (${(msSince(started) / 1000).toFixed(0)} s)`);
    }
  }
  await flush();
  log(`deals: ${opts.deals}`);

  // --- after the load: indexes, sequences (PostgreSQL), statistics ---
  // PostgreSQL builds each index on one core: two connections keep both cores busy.
  const i0 = process.hrtime.bigint();
  const queue = [...dropped].sort((a, b) => Number(b.sql.includes(' gin ')) - Number(a.sql.includes(' gin ')));
  const builders = conn.dialect === 'postgres' ? [conn, await openRaw(t, { bulk: true })] : [conn];
  await Promise.all(
    builders.map(async (c) => {
      for (let ix = queue.shift(); ix; ix = queue.shift()) {
        const t0 = process.hrtime.bigint();
        await c.exec(ix.sql);
        const tm = timings.get(ix.table) ?? { table: ix.table, rows: 0, insertMs: 0, indexMs: 0 };
        tm.indexMs += msSince(t0);
        timings.set(ix.table, tm);
      }
    }),
  );
  for (const c of builders.slice(1)) await c.close();
  for (const table of new Set(ftsTriggers.map((tr) => tr.table))) {
    const t0 = process.hrtime.bigint();
    await conn.exec(`insert into ${table}_fts (${table}_fts) values ('rebuild')`);
    const tm = timings.get(table as TableName) ?? { table, rows: 0, insertMs: 0, indexMs: 0 };
    tm.indexMs += msSince(t0);
    timings.set(table as TableName, tm);
  }
  for (const tr of ftsTriggers) await conn.exec(tr.sql);
  const indexWallMs = msSince(i0);
  log(`re-created ${dropped.length} indexes in ${(indexWallMs / 1000).toFixed(1)} s`);
  const f0 = process.hrtime.bigint();
  // deal_stage_totals (migration 008) is kept by triggers on deals. SQLite ran them during the
  // load; PostgreSQL did not (session_replication_role = replica skips triggers), so it is
  // rebuilt here exactly as the migration backfills it.
  if ((await existingColumns(conn, 'deal_stage_totals')).size > 0) {
    await conn.query('delete from deal_stage_totals where workspace_id = ?', [ws]);
    await conn.query(
      `insert into deal_stage_totals (workspace_id, pipeline_id, stage_id, responsible_id, currency, deals, amount)
       select workspace_id, max(pipeline_id), stage_id, responsible_id, currency, count(*), sum(amount)
       from deals where workspace_id = ? group by workspace_id, stage_id, responsible_id, currency`,
      [ws],
    );
  }
  if (conn.dialect === 'postgres') {
    for (const table of TABLES_WITH_IDS) {
      await conn.exec(`select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 1))`);
    }
    // VACUUM sets the visibility map, so that index-only scans (counts, sums) do not visit the heap
    await conn.exec('vacuum (analyze)');
  } else {
    await conn.exec('analyze');
    await conn.exec('pragma optimize');
    await conn.exec('pragma wal_checkpoint(truncate)');
  }
  const finishMs = msSince(f0);
  await conn.close();
  return {
    db: t.db,
    deals: opts.deals,
    generatedAt: new Date().toISOString(),
    tables: [...timings.values()],
    buildMs,
    indexWallMs,
    finishMs,
    totalMs: msSince(started),
  };
}
