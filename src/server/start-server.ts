import pino from 'pino';
import { openDb } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { startSearchFlusher } from '../db/sqlite-search-flusher.js';
import { buildApp } from './app.js';
import { loadConfig, redactUrl, type Config } from './config.js';
import { JobWorker } from '../jobs/index.js';
import { generatePassword } from '../modules/auth/secrets.js';
import { createWorkspace } from '../modules/workspaces/create-workspace.js';
import { parseLocale, type Locale, type Localized } from '../shared/locale.js';

const FIRST_WORKSPACE_NAME: Localized = { ru: 'Моя компания', en: 'My company' };

/** `npm start`: migrate, create the first workspace if the database is empty, serve. */
export async function startServer(): Promise<void> {
  // Checked before anything opens: a typo stops the start with one line instead of seeding the wrong language.
  let config: Config;
  let locale: Locale;
  try {
    config = loadConfig();
    locale = parseLocale('VORONKA_LOCALE', config.locale);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const log = pino({ level: config.logLevel });
  const db = openDb(config.databaseUrl, {
    onIdleError: (err) => log.warn({ err: err.message }, 'database connection lost while idle; the pool replaces it'),
    backgroundCheckpoint: true,
  });
  if (db.checkpointer) db.checkpointer.onError = (message) => log.warn({ err: message }, 'background WAL checkpoint failed; the writer checkpoints itself');
  const applied = await migrateToLatest(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  // SQLite: the search index is written in batches (migration 019); search is right in between
  const searchFlusher = db.dialect === 'sqlite' ? startSearchFlusher(db.kysely) : null;
  if (searchFlusher) searchFlusher.onError = (message) => log.warn({ err: message }, 'search index flush failed; the rows stay noted for the next one');
  const { app, ctx } = await buildApp({ db, logger: log });

  const existing = await db.kysely.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
  let firstLogin: { email: string; password: string; generated: boolean } | null = null;
  if (!existing) {
    const email = config.adminEmail ?? 'admin@voronka.local';
    const password = config.adminPassword ?? generatePassword();
    await createWorkspace(ctx, { name: FIRST_WORKSPACE_NAME[locale], locale, admin: { email, password } });
    firstLogin = { email, password, generated: !config.adminPassword };
  }

  // The recycle bin is purged on start and then hourly, by a timer (the job engine has no periodic jobs yet).
  const purge = () =>
    ctx.services.recycleBin.purgeExpired().then(
      (n) => n > 0 && log.info({ purged: n }, 'recycle bin purged'),
      (err: Error) => log.warn({ err: err.message }, 'recycle bin purge failed'),
    );
  await purge();
  const purgeTimer = setInterval(purge, 60 * 60 * 1000);
  purgeTimer.unref();

  // Overdue control's periodic jobs for every workspace (new ones get theirs when created); unique keys make this safe on every start
  await ctx.services.overdueControl.ensureAllWorkspaces();

  // The job worker of this process (docs/jobs.md): on SQLite it runs jobs while it holds the
  // runner lease; on PostgreSQL every process's worker shares the queue.
  const worker = config.jobs ? new JobWorker(db, ctx.clock, ctx.services.jobs, { ...config.jobs, log }) : null;
  // app.close() (SIGTERM, SIGINT) stops it first: no new claims, running jobs get the grace period, the rest go back to the queue
  if (worker) app.addHook('onClose', () => worker.stop());
  worker?.start();
  // the automation engine's outbox consumer: records entering stages get their robots' runs planned
  ctx.services.automation.onError = (message) => log.warn({ err: message }, 'automation: planning runs failed; the batch is tried again');
  app.addHook('onClose', () => ctx.services.automation.stop());
  ctx.services.automation.start();
  // the triggers' outbox consumer (its own cursor): deals moved to a trigger's stage when its event happens
  ctx.services.triggers.onError = (message) => log.warn({ err: message }, 'automation: firing triggers failed; the batch is tried again');
  app.addHook('onClose', () => ctx.services.triggers.stop());
  ctx.services.triggers.start();

  // Installed before anything is printed: a SIGTERM that comes as soon as the start is announced
  // (a supervisor, a test) still shuts down gracefully instead of ending the process on the spot.
  const shutdown = async () => {
    clearInterval(purgeTimer);
    await app.close();
    await searchFlusher?.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const lines = [`Voronka is running at ${url} (database: ${db.dialect} ${redactUrl(config.databaseUrl)})`, `API docs: ${url}/api/docs`];
  if (!worker) lines.push('Jobs: not run by this process (VORONKA_JOBS=off)');
  if (firstLogin) {
    lines.push('First start: created the workspace and its administrator.');
    lines.push(`  log in as ${firstLogin.email}`);
    // The one-time password is shown on the console only, never written to the log stream.
    if (firstLogin.generated) lines.push(`  password: ${firstLogin.password}   (shown once; change it after logging in)`);
    else lines.push('  password: the one in VORONKA_ADMIN_PASSWORD');
  }
  process.stdout.write(lines.join('\n') + '\n');

}
