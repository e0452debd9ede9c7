import pino from 'pino';
import { openDb } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import type { AppContext } from '../server/context.js';
import type { Clock } from '../server/clock.js';
import type { Actor } from '../modules/permissions/actor.js';

/**
 * CLI commands work through the same services as the API, on the configured database.
 * `clock` lets a command place what it writes in time (seed-demo builds a year of history).
 */
export async function withApp<T>(fn: (ctx: AppContext) => Promise<T>, clock?: Clock): Promise<T> {
  const config = loadConfig();
  const db = openDb(config.databaseUrl);
  try {
    await migrateToLatest(db);
    const { app, ctx } = await buildApp({ db, clock, logger: pino({ level: 'warn' }) });
    try {
      return await fn(ctx);
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

/** The CLI acts as the workspace's first active administrator (it is run by whoever runs the server). */
export async function adminActor(ctx: AppContext, workspaceId?: number): Promise<Actor> {
  let q = ctx.db.kysely
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .select(['users.id', 'users.workspace_id'])
    .where('roles.is_admin', '=', 1)
    .where('users.active', '=', 1)
    .orderBy('users.workspace_id')
    .orderBy('users.id');
  if (workspaceId !== undefined) q = q.where('users.workspace_id', '=', workspaceId);
  const row = await q.executeTakeFirst();
  if (!row) throw new Error(workspaceId ? `workspace ${workspaceId} has no active administrator` : 'no workspace yet: run `voronka create-workspace` or `npm start` first');
  const actor = await ctx.services.users.loadActor(row.workspace_id, row.id);
  if (!actor) throw new Error('administrator could not be loaded');
  return actor;
}
