import { sql } from 'kysely';
import { z } from 'zod';
import type { DialectName } from '../../src/db/connection.js';
import { defineJobKind, type JobExecutor } from '../../src/jobs/index.js';

/** The effects table of the job engine's tests: one row per effect, no unique constraint, so a double run shows as two rows. */
export const createEffectsTable = (exec: JobExecutor, dialect: DialectName) =>
  sql`create table job_test_effects (id ${sql.raw(dialect === 'postgres' ? 'serial' : 'integer')} primary key, n integer not null, worker text not null)`.execute(exec);

/** Writes one effect row in the transaction that completes the job: done exactly once, even across a crash. */
export const effectKind = defineJobKind({
  kind: 'test.effect',
  args: z.strictObject({ n: z.int().nonnegative() }),
  transactional: true,
  async perform(ctx, job) {
    await sql`insert into job_test_effects (n, worker) values (${job.args.n}, ${ctx.workerId})`.execute(ctx.exec);
    return { wrote: job.args.n };
  },
});

/** Runs until the worker aborts it (time-out or shutdown past the grace period). */
export const hangKind = defineJobKind({
  kind: 'test.hang',
  args: z.strictObject({ n: z.int() }),
  timeoutMs: 3_600_000,
  perform: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true })),
});
