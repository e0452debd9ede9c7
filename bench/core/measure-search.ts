// Board search (`q`) through the HTTP API: the board of the biggest pipeline filtered by what a
// manager types into its search box — a contact's phone as written and a fragment of it, an
// e-mail, a deal number, a contact's name, a company's name — a different value each run, drawn
// from deals of that pipeline, so that every search finds at least the deal it was drawn from.
import type { Fixture } from './fixture.js';
import type { HttpClient } from './http-client.js';
import type { RawConn } from './sql-conn.js';
import { msSince, Rng, summarize, type Summary } from './stats.js';

export interface SearchCase {
  name: string;
  /** one of the values searched */
  example: string;
  summary: Summary;
  /** median number of deals the board found (sum of its column counts) */
  medianFound: number;
}

interface Sample {
  dealId: number;
  phone: string | null;
  email: string | null;
  lastName: string | null;
  firstName: string | null;
  company: string | null;
}

const CASES: Array<{ name: string; of: (s: Sample) => string | null }> = [
  { name: 'phone as written, «+7 (912) 345-67-89»', of: (s) => s.phone },
  { name: 'phone fragment, «912 345»', of: (s) => (s.phone ? fragment(s.phone) : null) },
  { name: 'phone with a trunk 8, «89123456789»', of: (s) => (s.phone ? '8' + s.phone.replace(/\D/g, '').slice(1) : null) },
  { name: 'e-mail, «contact123@bench»', of: (s) => (s.email ? s.email.slice(0, s.email.indexOf('@') + 6) : null) },
  { name: 'deal number, «№123»', of: (s) => `№${s.dealId}` },
  { name: 'contact name, «Иванов Сергей»', of: (s) => (s.lastName && s.firstName ? `${s.lastName} ${s.firstName}` : null) },
  { name: 'company name, «Гранитснаб-15»', of: (s) => s.company?.replace(/^\S+ «|»$/g, '') ?? null },
];

/** Six digits from the middle of the number, spaced as people type them: "912 345". */
const fragment = (phone: string): string => {
  const d = phone.replace(/\D/g, '');
  return `${d.slice(1, 4)} ${d.slice(4, 7)}`;
};

/** Deals of the board pipeline with their primary contact's phone, e-mail and names, and their company. */
async function samples(conn: RawConn, f: Fixture, wanted: number, responsibleId: number | null): Promise<Sample[]> {
  const rng = new Rng(41);
  const [range] = await conn.query<{ lo: number; hi: number }>('select min(id) as lo, max(id) as hi from deals where workspace_id = ?', [f.workspaceId]);
  const out: Sample[] = [];
  for (let tries = 0; out.length < wanted && tries < 200; tries++) {
    const ids = Array.from({ length: 500 }, () => rng.int(Number(range.lo), Number(range.hi)));
    const rows = await conn.query<{ id: number; phone: string | null; email: string | null; last_name: string | null; first_name: string | null; company: string | null }>(
      `select d.id, c.last_name, c.first_name, co.name as company,
         (select m.value from communications m where m.workspace_id = d.workspace_id and m.entity_type = 'contact' and m.entity_id = c.id and m.kind = 'phone' order by m.sort limit 1) as phone,
         (select m.normalized from communications m where m.workspace_id = d.workspace_id and m.entity_type = 'contact' and m.entity_id = c.id and m.kind = 'email' order by m.sort limit 1) as email
       from deals d
       join contacts c on c.workspace_id = d.workspace_id and c.id = d.contact_id
       left join companies co on co.workspace_id = d.workspace_id and co.id = d.company_id
       where d.workspace_id = ? and d.pipeline_id = ?${responsibleId === null ? '' : ' and d.responsible_id = ? and c.responsible_id = d.responsible_id'} and d.id in (${ids.map(() => '?').join(',')})`,
      [f.workspaceId, f.boardPipelineId, ...(responsibleId === null ? [] : [responsibleId]), ...ids],
    );
    for (const r of rows) {
      out.push({ dealId: Number(r.id), phone: r.phone, email: r.email, lastName: r.last_name, firstName: r.first_name, company: r.company });
    }
  }
  return out.slice(0, wanted);
}

/**
 * Each case `runs` times (after 3 warm-up runs), one request at a time, as the token's user;
 * `responsibleId`: draw only that user's deals with their own contacts (a manager reads their
 * own deals; a search matches only on contacts the user may read).
 */
export async function measureBoardSearch(http: HttpClient, conn: RawConn, f: Fixture, runs: number, responsibleId: number | null = null): Promise<{ cases: SearchCase[]; warnings: string[] }> {
  const pool = await samples(conn, f, runs + 3, responsibleId);
  const warnings: string[] = [];
  const cases: SearchCase[] = [];
  for (const c of CASES) {
    const values = pool.map((s) => ({ q: c.of(s), dealId: s.dealId })).filter((v): v is { q: string; dealId: number } => !!v.q);
    if (values.length === 0) continue;
    const times: number[] = [];
    const found: number[] = [];
    for (let i = 0; i < Math.min(values.length, runs + 3); i++) {
      const path = `/api/v1/pipelines/${f.boardPipelineId}/board?limit=20&q=${encodeURIComponent(values[i]!.q)}`;
      const t0 = process.hrtime.bigint();
      const r = await http.request('GET', path);
      const ms = msSince(t0);
      if (r.status !== 200) throw new Error(`board search → ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
      if (i < 3) continue;
      times.push(ms);
      const columns: Array<{ count: number }> = r.body?.columns ?? [];
      found.push(columns.reduce((n, col) => n + Number(col.count), 0));
    }
    if (found.some((n) => n === 0)) warnings.push(`board search${responsibleId === null ? '' : ' (manager)'} "${c.name}": ${found.filter((n) => n === 0).length} searches found nothing`);
    const sorted = [...found].sort((a, b) => a - b);
    cases.push({ name: c.name, example: values[0]!.q, summary: summarize(times), medianFound: sorted[Math.floor(sorted.length / 2)] ?? 0 });
  }
  return { cases, warnings };
}
