import { sql } from 'kysely';
import type { JobExecutor } from './types.js';

/**
 * Named leases in the database: a holder keeps one by renewing it before it expires; when the
 * holder dies it expires and the next asker takes it. The job engine uses the lease `runner` on
 * SQLite so that one process at a time runs jobs (dialect.ts).
 */
export async function acquireLease(exec: JobExecutor, name: string, holder: string, now: string, expiresAt: string): Promise<boolean> {
  const res = await sql<{ holder: string }>`
    insert into job_leases (name, holder, expires_at) values (${name}, ${holder}, ${expiresAt})
    on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
      where job_leases.holder = excluded.holder or job_leases.expires_at <= ${now}
    returning holder`.execute(exec);
  return res.rows.length === 1;
}

export async function releaseLease(exec: JobExecutor, name: string, holder: string): Promise<void> {
  await exec.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
}
