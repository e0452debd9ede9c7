import { z } from 'zod';
import { defineJobKind, PermanentJobError, type JobKind } from '../../jobs/index.js';
import type { AppContext, Executor } from '../../server/context.js';
import { messageIdFor } from '../messaging/mail/mail-provider.js';
import { plainMailHtml } from '../../shared/plain-mail.js';
import * as repo from './notifications.repo.js';

// The e-mail copy of a notification, for a user whose preference asks for one (notify() with
// `email: true`; the `notify` robot asks). notify() enqueues a job per such notification in the
// caller's transaction (unique per notification), so a retried robot run or job queues nothing twice;
// the job sends through the workspace's mail provider (Settings → Messaging). The attempt is recorded
// and committed before the call out (notifications.email_state = 'sending') and the outcome after; an
// attempt found without an outcome (the process stopped while sending) becomes 'uncertain' and is not
// sent again — at most once, as SMTP offers no look-up. A user who has left, or who may no longer
// read the record the notification is about, gets no e-mail ('skipped', with the reason).

const mailArgs = z.strictObject({ workspaceId: z.int(), notificationId: z.int() });

export class NotificationMail {
  readonly kind: JobKind<typeof mailArgs>;

  constructor(
    private readonly ctx: AppContext,
    /** the notifications service's check: may the user read the record now? */
    private readonly mayRead: (workspaceId: number, userId: number, entity: { type: string; id: number }) => Promise<boolean>,
  ) {
    this.kind = defineJobKind({
      kind: 'notifications.email',
      args: mailArgs,
      maxAttempts: 8,
      timeoutMs: 60_000,
      perform: (_job, job) => this.send(job.args.workspaceId, job.args.notificationId),
    });
  }

  /** In the transaction that made the notifications: an e-mail job for each whose user wants this kind by e-mail. */
  async queue(exec: Executor, workspaceId: number, rows: Array<{ id: number; user_id: number }>, wants: (userId: number) => Promise<boolean>): Promise<number> {
    const ids: number[] = [];
    for (const r of rows) if (await wants(r.user_id)) ids.push(r.id);
    if (ids.length === 0) return 0;
    await repo.setEmailState(exec, workspaceId, ids, 'queued', null);
    await this.ctx.services.jobs.enqueueMany(
      exec,
      this.kind,
      ids.map((id) => ({ args: { workspaceId, notificationId: id }, uniqueKey: `notifications:email:${workspaceId}:${id}`, workspaceId, maxAttempts: 8 })),
    );
    return ids.length;
  }

  async send(workspaceId: number, notificationId: number): Promise<{ state: string; reason?: string }> {
    const db = this.ctx.db.kysely;
    const s = this.ctx.services;
    const n = await repo.findForMail(db, workspaceId, notificationId);
    if (!n) throw new PermanentJobError('the notification is gone');
    const state = n.email_state;
    if (state === 'sent' || state === 'uncertain' || state === 'skipped') return { state };
    if (state === 'sending') {
      await repo.setEmailState(db, workspaceId, [n.id], 'uncertain', 'the process stopped while sending; not sent again');
      return { state: 'uncertain' };
    }
    const skip = async (reason: string) => {
      await repo.setEmailState(db, workspaceId, [n.id], 'skipped', reason);
      return { state: 'skipped', reason };
    };
    const person = (await s.users.contactsOf(db, workspaceId, [n.user_id])).get(n.user_id);
    if (!person?.active) return skip('the user is no longer active');
    if (n.entity_type !== null && n.entity_id !== null && !(await this.mayRead(workspaceId, n.user_id, { type: n.entity_type, id: n.entity_id }))) {
      return skip('the user may no longer read the record');
    }
    const from = (await s.messaging.mailFrom(db, workspaceId)) ?? 'Voronka <noreply@voronka.invalid>';
    const messageId = messageIdFor(`vr-notification-${workspaceId}-${n.id}`, from);
    await repo.setEmailState(db, workspaceId, [n.id], 'sending', n.email_error);
    const provider = await s.messaging.mailProvider(db, workspaceId);
    const text = n.body ?? '';
    const result = await provider.send({ from, to: person.email, subject: n.title, text: text || n.title, html: plainMailHtml(n.title, text), messageId });
    if (result.outcome === 'sent') {
      await repo.setEmailState(db, workspaceId, [n.id], 'sent', null);
      return { state: 'sent' };
    }
    const reason = result.error ? `${result.error.code}: ${result.error.message}` : result.outcome;
    if (result.outcome === 'uncertain') {
      await repo.setEmailState(db, workspaceId, [n.id], 'uncertain', reason);
      return { state: 'uncertain' };
    }
    await repo.setEmailState(db, workspaceId, [n.id], 'failed', reason);
    if (result.error?.retryable) throw new Error(reason);
    throw new PermanentJobError(reason);
  }
}
