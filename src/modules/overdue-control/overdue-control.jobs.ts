import { z } from 'zod';
import { defineJobKind, type JobKind } from '../../jobs/index.js';
import type { OverdueControlService } from './overdue-control.service.js';

// The overdue control's job kinds (docs/jobs.md). The scan and the digest are transactional: their
// notices and notifications are written in the transaction that completes the job, so exactly once;
// each schedules its successor in that same transaction.

const wsArgs = z.strictObject({ workspaceId: z.int() });
const mailArgs = z.strictObject({ workspaceId: z.int(), userId: z.int(), date: z.string(), subject: z.string(), text: z.string() });

type Kinds = { scan: JobKind<typeof wsArgs>; digest: JobKind<typeof wsArgs>; mail: JobKind<typeof mailArgs> };
const made = new WeakMap<OverdueControlService, Kinds>();

function kindsFor(svc: OverdueControlService): Kinds {
  let k = made.get(svc);
  if (!k) {
    k = {
      scan: defineJobKind({
        kind: 'overdue.scan',
        args: wsArgs,
        transactional: true,
        timeoutMs: 30_000,
        async perform(ctx, job) {
          const result = await svc.scan(ctx.exec, job.args.workspaceId);
          await svc.scheduleScan(ctx.exec, job.args.workspaceId);
          return result;
        },
      }),
      digest: defineJobKind({
        kind: 'overdue.digest',
        args: wsArgs,
        transactional: true,
        async perform(ctx, job) {
          const result = await svc.digest(ctx.exec, job.args.workspaceId, new Date(job.runAt));
          await svc.scheduleNextDigest(ctx.exec, job.args.workspaceId);
          return result;
        },
      }),
      mail: defineJobKind({
        kind: 'overdue.digest-mail',
        args: mailArgs,
        maxAttempts: 8,
        timeoutMs: 60_000,
        perform: (_ctx, job) => svc.sendDigestMail(job.args),
      }),
    };
    made.set(svc, k);
  }
  return k;
}

export const scanKind = (svc: OverdueControlService) => kindsFor(svc).scan;
export const digestKind = (svc: OverdueControlService) => kindsFor(svc).digest;
export const digestMailKind = (svc: OverdueControlService) => kindsFor(svc).mail;
