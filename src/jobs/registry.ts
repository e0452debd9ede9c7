import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Clock } from '../server/clock.js';
import type { Job, JobExecutor } from './types.js';
import { defaultBackoff } from './backoff.js';

/** What perform gets besides the job. */
export interface JobContext {
  /**
   * Where to write: for a transactional kind the transaction that also marks the job completed
   * (its effects in the database happen exactly once), otherwise the database itself.
   */
  exec: JobExecutor;
  /** aborted when the job times out or the worker shuts down past its grace period */
  signal: AbortSignal;
  clock: Clock;
  workerId: string;
  log: Logger;
}

/**
 * A kind of job: its name, the zod schema of its arguments (checked when enqueued and again when
 * run), and what running it does. Modules register their kinds with the queue's registry
 * (`ctx.services.jobs.registry.register(…)`) without touching the engine.
 */
export interface JobKind<S extends z.ZodType = z.ZodType> {
  kind: string;
  args: S;
  perform(ctx: JobContext, job: Job<z.output<S>>): Promise<unknown> | unknown;
  /** attempts before the job is failed (default 10) */
  maxAttempts?: number;
  /** one attempt's time limit (default 60 s); past it the attempt fails and the signal is aborted */
  timeoutMs?: number;
  /**
   * Run perform inside a transaction that also marks the job completed: a job whose effects are
   * rows in this database then has them exactly once, even when a worker dies mid-way (its
   * transaction rolls back and the re-run starts clean). Keep such jobs short: on SQLite the
   * transaction holds the one connection.
   */
  transactional?: boolean;
  /** the delay before retry number `attempt + 1` (default: exponential from 15 s, capped at 1 h, ±20 % jitter) */
  backoff?: (attempt: number, random: () => number) => number;
  /** lower runs first among due jobs (default 0) */
  priority?: number;
  /**
   * Called when a job of this kind ends failed without its perform having had the last word: its
   * final attempt timed out, threw, could not parse its arguments, or died with its process (the
   * watchdog). It runs in the transaction that marks the job failed, so what it writes — e.g. the
   * state of the thing the job was for — commits with it; if it throws, the job is failed anyway
   * and the error logged. `job.args` are as stored (they may be what did not parse).
   */
  onFailed?: (exec: JobExecutor, job: Job, error: string) => Promise<void> | void;
}

export const DEFAULT_MAX_ATTEMPTS = 10;
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Declares a kind with its argument types inferred from the schema. */
export function defineJobKind<S extends z.ZodType>(kind: JobKind<S>): JobKind<S> {
  return kind;
}

/** Thrown by perform when retrying cannot help (bad data, a refused request): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** The open set of job kinds of one app. */
export class JobRegistry {
  private readonly kinds = new Map<string, JobKind>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- kinds of different argument types go in one call; each checks its own with its zod schema
  register(...kinds: JobKind<any>[]): void {
    for (const k of kinds) {
      if (!/^[a-z][a-z0-9_.:-]{0,99}$/.test(k.kind)) throw new Error(`job kind "${k.kind}": lower-case letters, digits and . _ : - only`);
      if (this.kinds.has(k.kind)) throw new Error(`job kind "${k.kind}" is registered twice`);
      this.kinds.set(k.kind, k);
    }
  }

  get(kind: string): JobKind | undefined {
    return this.kinds.get(kind);
  }

  /** The kinds this process can run: a worker claims only these (a job of a kind it lacks waits for a process that has it). */
  names(): string[] {
    return [...this.kinds.keys()];
  }

  settings(kind: JobKind) {
    return {
      maxAttempts: kind.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      timeoutMs: kind.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      backoff: kind.backoff ?? defaultBackoff,
      priority: kind.priority ?? 0,
    };
  }
}
