import { PermanentJobError } from '../../../jobs/index.js';
import { z } from 'zod';
import { messageIdFor } from '../../messaging/mail/mail-provider.js';
import { defineRobotType, RobotSkip } from '../robot-type.js';

/**
 * «Отправить письмо клиенту»: subject and HTML body with the deal's values put in (HTML-escaped in
 * the body), to the client's e-mail, through the workspace's SMTP settings, with our Message-ID
 * (the idempotency key). SMTP cannot be asked whether a message went out, so an attempt whose
 * answer was lost ends uncertain (at most once); the log-only provider is idempotent on the
 * Message-ID and is simply asked again. Stored as an outgoing e-mail activity, done.
 */
export const sendEmail = defineRobotType({
  type: 'send_email',
  title: { ru: 'Отправить письмо клиенту', en: 'Send an e-mail to the client' },
  description: {
    ru: 'Письмо по шаблону на e-mail основного контакта сделки (или компании) через SMTP рабочего пространства',
    en: 'A templated e-mail to the address of the deal’s primary contact (or company) through the workspace’s SMTP server',
  },
  entities: ['deal', 'lead'],
  effect: 'external',
  needsClient: true,
  texts: ['subject', 'body'],
  params: z.strictObject({ subject: z.string().trim().min(1).max(500), body: z.string().trim().min(1).max(100_000) }),
  async run(ctx) {
    const { record, exec } = ctx;
    const to = record.clientEmail;
    if (!to) throw new RobotSkip('the deal has no client e-mail (neither its contact nor its company has one)');
    const subject = ctx.render(ctx.params.subject).replace(/[\r\n]+/g, ' ').trim().slice(0, 500) || ctx.params.subject;
    const html = ctx.render(ctx.params.body, 'html');
    const from = await ctx.deps.messaging.mailFrom(exec, ctx.workspace.id);
    const provider = await ctx.deps.messaging.mailProvider(exec, ctx.workspace.id);
    const details = { to, subject, html, provider: provider.kind };
    if (ctx.dryRun) return { summary: `would send an e-mail «${subject}» to ${to}`, details };
    if (!from) throw new PermanentJobError('the workspace has no sender address for e-mail (Settings → Messaging → mailFromAddress)');
    const messageId = messageIdFor(ctx.run.key, from);
    return ctx.effect({
      channel: 'email',
      provider: provider.kind,
      recipient: to,
      reconcile: provider.kind === 'log' ? 'resend' : 'none',
      send: () => provider.send({ from, to, subject, html, messageId }),
      async record(trx) {
        const activity = await ctx.deps.activities.create(
          ctx.actor,
          { type: 'email', direction: 'outgoing', subject, description: html, responsibleId: record.responsibleId, entityType: record.entityType, entityId: record.id },
          trx,
        );
        await ctx.deps.activities.complete(ctx.actor, activity.id, `sent to ${to}, Message-ID ${messageId}`, undefined, trx);
        return {
          summary: `sent an e-mail «${subject}» to ${to}`,
          links: [{ entityType: 'activity', id: activity.id, label: subject }],
          details: { to, subject, provider: provider.kind, messageId },
        };
      },
      uncertain: (why) => ({ summary: `an e-mail «${subject}» to ${to} may or may not have been sent (Message-ID ${messageId}): ${why}`, details: { to, subject, provider: provider.kind, messageId } }),
    });
  },
});
