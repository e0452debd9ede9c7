import { sql } from 'kysely';
import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { notFound, unauthenticated, fieldInvalid } from '../../server/errors.js';
import { AttemptLedger } from './attempts.js';
import type { Actor } from '../permissions/actor.js';
import { hashPassword, verifyPassword, PASSWORD_MIN_LENGTH } from '../../shared/passwords.js';
import { hashSecret, newSecret } from './secrets.js';

const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
/** Sliding expiry is written at most this often, so reads do not turn into writes. */
const SESSION_TOUCH_MS = 10 * 60 * 1000;

export interface Authenticated {
  actor: Actor;
  /** set for cookie sessions: writes must echo it in X-CSRF-Token */
  csrfToken: string | null;
  sessionId: number | null;
}

export class AuthService {
  private readonly attempts: AttemptLedger;

  constructor(private readonly ctx: AppContext) {
    this.attempts = new AttemptLedger(ctx);
  }

  private get db() {
    return this.ctx.db.kysely;
  }

  async login(email: string, password: string, ip: string): Promise<{ sessionToken: string; csrfToken: string; userId: number; workspaceId: number }> {
    const normalized = email.trim().toLowerCase();
    const now = this.ctx.clock.now();
    // counted before the password is verified, so parallel guesses cannot overrun the limits
    const attemptId = await this.attempts.begin(normalized, ip);
    const user = await this.db
      .selectFrom('users')
      .select(['id', 'workspace_id', 'password_hash', 'active'])
      .where('email', '=', normalized)
      .where('kind', '=', 'person')
      .executeTakeFirst();
    // Verify even for unknown users so response time does not reveal which e-mails exist.
    const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
    if (ok && user) await this.attempts.succeeded(attemptId);
    if (!user || !ok || !user.active) throw unauthenticated('Wrong e-mail or password');
    const sessionToken = newSecret('vks_');
    const csrfToken = newSecret();
    await this.db
      .insertInto('sessions')
      .values({
        workspace_id: user.workspace_id,
        user_id: user.id,
        token_hash: hashSecret(sessionToken),
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      })
      .execute();
    return { sessionToken, csrfToken, userId: user.id, workspaceId: user.workspace_id };
  }

  // Both look the credential up in the same statement that loads the actor (users.loadActorOf):
  // one statement per request instead of two; the user must still be active and of the
  // credential's workspace, and the checks below are the ones made before.
  async authenticateSession(sessionToken: string): Promise<Authenticated | null> {
    const now = this.ctx.clock.now();
    const found = await this.ctx.services.users.loadActorOf(
      this.db
        .selectFrom('sessions')
        .select(['id as credential_id', 'user_id', 'workspace_id', 'csrf_token', 'expires_at', 'last_seen_at as touched_at'])
        .where('token_hash', '=', hashSecret(sessionToken)),
    );
    if (!found) return null;
    const { credential: session, actor } = found;
    if (session.expires_at === null || session.expires_at <= now.toISOString()) return null;
    if (session.touched_at === null || now.getTime() - new Date(session.touched_at).getTime() > SESSION_TOUCH_MS) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString() })
        .where('id', '=', session.credential_id)
        .execute();
    }
    return { actor, csrfToken: session.csrf_token, sessionId: session.credential_id };
  }

  async authenticateToken(token: string): Promise<Authenticated | null> {
    const found = await this.ctx.services.users.loadActorOf(
      this.db
        .selectFrom('api_tokens')
        .select([
          'id as credential_id',
          'user_id',
          'workspace_id',
          sql<string | null>`null`.as('csrf_token'),
          sql<string | null>`null`.as('expires_at'),
          'last_used_at as touched_at',
        ])
        .where('token_hash', '=', hashSecret(token))
        .where('revoked_at', 'is', null),
    );
    if (!found) return null;
    const { credential: row, actor } = found;
    const now = this.ctx.clock.now();
    if (!row.touched_at || now.getTime() - new Date(row.touched_at).getTime() > SESSION_TOUCH_MS) {
      await this.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.credential_id).execute();
    }
    return { actor, csrfToken: null, sessionId: null };
  }

  async logout(sessionId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  }

  /** "Log out everywhere": every session of the user ends; API tokens are revoked separately. */
  async logoutEverywhere(actor: Actor): Promise<void> {
    await this.db.deleteFrom('sessions').where('workspace_id', '=', actor.workspaceId).where('user_id', '=', actor.userId).execute();
  }

  /** Ends every session of a user: after a password reset or deactivation by an administrator. */
  async endSessions(exec: Executor, workspaceId: number, userId: number): Promise<void> {
    await exec.deleteFrom('sessions').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
  }

  /**
   * A guess of the current password counts against the same limits as a log-in (attempts.ts):
   * a stolen session must not become a way to brute-force the password.
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string, keepSessionId: number | null, ip: string): Promise<void> {
    const user = await this.db
      .selectFrom('users')
      .select(['password_hash', 'email'])
      .where('id', '=', actor.userId)
      .where('workspace_id', '=', actor.workspaceId)
      .executeTakeFirstOrThrow();
    const attemptId = await this.attempts.begin(user.email, ip);
    if (!(await verifyPassword(user.password_hash, currentPassword))) throw fieldInvalid('currentPassword', 'is not your current password');
    await this.attempts.succeeded(attemptId);
    if (newPassword.length < PASSWORD_MIN_LENGTH) throw fieldInvalid('newPassword', `must be at least ${PASSWORD_MIN_LENGTH} characters`);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: await hashPassword(newPassword), updated_at: nowIso(this.ctx.clock) })
        .where('id', '=', actor.userId)
        .execute();
      // Other sessions end: whoever knew the old password is logged out.
      let q = trx.deleteFrom('sessions').where('user_id', '=', actor.userId);
      if (keepSessionId !== null) q = q.where('id', '!=', keepSessionId);
      await q.execute();
    });
  }

  async createApiToken(actor: Actor, name: string): Promise<{ id: number; name: string; token: string; createdAt: string }> {
    const token = newSecret('vkt_');
    const createdAt = nowIso(this.ctx.clock);
    const row = await this.db
      .insertInto('api_tokens')
      .values({ workspace_id: actor.workspaceId, user_id: actor.userId, name, token_hash: hashSecret(token), created_at: createdAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, name, token, createdAt };
  }

  async listApiTokens(actor: Actor) {
    const rows = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .where('workspace_id', '=', actor.workspaceId)
      .where('user_id', '=', actor.userId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
  }

  async revokeApiToken(actor: Actor, id: number): Promise<void> {
    const res = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: nowIso(this.ctx.clock) })
      .where('id', '=', id)
      .where('workspace_id', '=', actor.workspaceId)
      .where('user_id', '=', actor.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw notFound('API token');
  }
}

/** A valid argon2id hash of a random string, verified against when the e-mail is unknown. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0nSHYGxsmmJ5ZbyUn6QGtY3JNiD8K35GOZZ4n4MMOas';
