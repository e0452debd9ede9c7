// A worker process of the job engine's multi-process tests (test/integration/jobs-processes.test.ts):
// opens DATABASE_URL, registers the test kinds, says "ready" and starts its worker on the real
// clock when it reads "go" on stdin; SIGTERM stops it gracefully.
//
//   WORKER_ID=A HEARTBEAT_MS=200 HEARTBEAT_TIMEOUT_MS=1500 node --import tsx test/support/job-worker-child.ts
import readline from 'node:readline';
import { openDb } from '../../src/db/connection.js';
import { systemClock } from '../../src/server/clock.js';
import { JobQueue, JobRegistry, JobWorker } from '../../src/jobs/index.js';
import { effectKind, hangKind } from './job-test-kinds.js';

const env = (name: string, fallback?: string) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

const db = openDb(env('DATABASE_URL'), { poolSize: 12 });
const registry = new JobRegistry();
registry.register(effectKind, hangKind);
const queue = new JobQueue(db, systemClock, registry);
const worker = new JobWorker(db, systemClock, queue, {
  id: env('WORKER_ID'),
  concurrency: Number(env('CONCURRENCY', '8')),
  pollIntervalMs: 50,
  heartbeatIntervalMs: Number(env('HEARTBEAT_MS', '200')),
  heartbeatTimeoutMs: Number(env('HEARTBEAT_TIMEOUT_MS', '1500')),
  shutdownGraceMs: Number(env('GRACE_MS', '200')),
});

process.once('SIGTERM', () => {
  void worker.stop().then(async () => {
    await db.close();
    process.exit(0);
  });
});

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'go') worker.start();
});
process.stdout.write('ready\n');
