// A server process of the automation crash test (test/integration/automation-crash.test.ts): the
// whole app (routes, services, the automation engine's outbox consumer and a job worker) on
// DATABASE_URL and the real clock, as `npm start` runs it, but with a short heartbeat timeout so
// that a process killed with SIGKILL has its jobs taken over within a second or two. Says "ready"
// once it serves; SIGTERM stops it gracefully.
//
//   DATABASE_URL=… WORKER_ID=A node --import tsx test/support/automation-server-child.ts
import pino from 'pino';
import { openDb } from '../../src/db/connection.js';
import { systemClock } from '../../src/server/clock.js';
import { buildApp } from '../../src/server/app.js';
import { JobWorker } from '../../src/jobs/index.js';

const env = (name: string, fallback?: string) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

const db = openDb(env('DATABASE_URL'), { poolSize: 12 });
const { app, ctx } = await buildApp({ db, clock: systemClock, webRoot: false, logger: pino({ level: 'warn' }), allowPrivateWebhooks: true }); // the test's receivers are on 127.0.0.1
// the imitation gateway shows a message in its look-up at once: a look-up that finds nothing is trusted at once
ctx.services.automation.effectOptions.lookupGraceMs = Number(env('LOOKUP_GRACE_MS', '0'));
const worker = new JobWorker(db, systemClock, ctx.services.jobs, {
  id: env('WORKER_ID'),
  concurrency: Number(env('CONCURRENCY', '8')),
  pollIntervalMs: 20,
  heartbeatIntervalMs: Number(env('HEARTBEAT_MS', '200')),
  heartbeatTimeoutMs: Number(env('HEARTBEAT_TIMEOUT_MS', '1000')),
  shutdownGraceMs: 200,
  log: pino({ level: 'warn' }),
});
await app.listen({ port: 0, host: '127.0.0.1' });
worker.start();
ctx.services.automation.start();

process.once('SIGTERM', () => {
  void (async () => {
    await worker.stop();
    await ctx.services.automation.stop();
    await app.close();
    await db.close();
    process.exit(0);
  })();
});
process.stdout.write('ready\n');
