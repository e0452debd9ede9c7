import pino from 'pino';
import { JobWorker } from '../../src/jobs/index.js';
import type { TestServer } from './test-server.js';

/**
 * Drives the automation engine of a test server without waiting: plans runs for the outbox so far
 * (the triggers and automation consumers), then runs the due jobs, again until nothing is left at the server's clock.
 */
export function automationDriver(s: TestServer) {
  const worker = new JobWorker(s.ctx.db, s.clock, s.ctx.services.jobs, { random: () => 0.5, log: pino({ level: 'silent' }) });
  const triggersBehind = () => s.ctx.services.triggers.consumer.behind();
  return {
    worker,
    async settle(): Promise<{ planned: number; completed: number; retryable: number; failed: number }> {
      const total = { planned: 0, completed: 0, retryable: 0, failed: 0 };
      const deadline = Date.now() + 30_000;
      for (let round = 0; round < 20; round++) {
        // the triggers consumer first: a deal it moves is then planned by the automation consumer in the same round
        const fired = await s.ctx.services.triggers.pump();
        const planned = fired + (await s.ctx.services.automation.pump());
        const r = await worker.runDueJobs();
        total.planned += planned;
        total.completed += r.completed;
        total.retryable += r.retryable;
        total.failed += r.failed;
        if (planned === 0 && r.completed + r.retryable + r.failed === 0) {
          // On PostgreSQL the outbox hands out an entry only once every older transaction on the
          // server has ended (other test files' databases share the server): wait for those, not time.
          if ((await s.ctx.services.automation.consumer.behind()) + (await triggersBehind()) === 0) return total;
          if (Date.now() > deadline) throw new Error('the outbox stayed behind for 30 s: a transaction left open?');
          await new Promise((r) => setTimeout(r, 20));
          round--;
        }
      }
      throw new Error('automation did not settle in 20 rounds (a robot loop?)');
    },
    stop: () => worker.stop({ graceMs: 0 }),
  };
}
