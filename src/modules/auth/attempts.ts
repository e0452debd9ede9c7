import type { AppContext } from '../../server/context.js';
import { lockKey } from '../../db/locks.js';
import { rateLimited } from '../../server/errors.js';

// The password-guess ledger behind log-in and password change (policy in docs/api-conventions.md,
// "Authentication"). Each guess is counted *before* the password is verified: the count and the
// insert of a pending failed attempt run in one transaction under one lock, so parallel guesses
// queue up and exactly `perEmailAndIp` of them get to verify a password; the row is turned into a
// success afterwards if the password was right.

export const ATTEMPT_POLICY = {
  windowMs: 15 * 60 * 1000,
  /** failed guesses of one e-mail from one IP address */
  perEmailAndIp: 10,
  /** failed guesses of one e-mail from everywhere: a distributed attack; addresses the user logged in from recently are exempt */
  perEmail: 100,
  /** failed guesses from one IP address across all e-mails (credential stuffing) */
  perIp: 50,
  /** an address with a successful log-in of the e-mail within this period is "known" to it */
  knownIpMs: 30 * 24 * 3600 * 1000,
} as const;

const LEDGER_LOCK = 'voronka:login_attempts';

export class AttemptLedger {
  constructor(private readonly ctx: AppContext) {}

  /**
   * Checks the limits for one more guess of `email`'s password from `ip` and records it as a
   * failure; returns its id for `succeeded`. Throws 429 `rate_limited` (and records nothing) when
   * a limit is reached.
   */
  async begin(email: string, ip: string): Promise<number> {
    const now = this.ctx.clock.now();
    const since = new Date(now.getTime() - ATTEMPT_POLICY.windowMs).toISOString();
    const knownSince = new Date(now.getTime() - ATTEMPT_POLICY.knownIpMs).toISOString();
    return this.ctx.db.kysely.transaction().execute(async (trx) => {
      await lockKey(trx, this.ctx.db.dialect, LEDGER_LOCK);
      const failures = await trx
        .selectFrom('login_attempts')
        .select((eb) => [
          eb.fn.countAll<number>().filterWhere('email', '=', email).as('byEmail'),
          eb.fn.countAll<number>().filterWhere((f) => f.and([f('email', '=', email), f('ip', '=', ip)])).as('byEmailAndIp'),
          eb.fn.countAll<number>().filterWhere('ip', '=', ip).as('byIp'),
        ])
        .where('created_at', '>=', since)
        .where('success', '=', 0)
        .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
        .executeTakeFirstOrThrow();
      const limited = async () => {
        if (Number(failures.byEmailAndIp) >= ATTEMPT_POLICY.perEmailAndIp || Number(failures.byIp) >= ATTEMPT_POLICY.perIp) return true;
        if (Number(failures.byEmail) < ATTEMPT_POLICY.perEmail) return false;
        const known = await trx
          .selectFrom('login_attempts')
          .select('id')
          .where('email', '=', email)
          .where('ip', '=', ip)
          .where('success', '=', 1)
          .where('created_at', '>=', knownSince)
          .limit(1)
          .executeTakeFirst();
        return !known;
      };
      if (await limited()) throw rateLimited('Too many failed attempts; wait 15 minutes and try again');
      const row = await trx
        .insertInto('login_attempts')
        .values({ email, ip, success: 0, created_at: now.toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
  }

  /** The guess was right: it no longer counts as a failure, and `ip` becomes known to the e-mail. */
  async succeeded(attemptId: number): Promise<void> {
    await this.ctx.db.kysely.updateTable('login_attempts').set({ success: 1 }).where('id', '=', attemptId).execute();
  }
}
