import { z } from 'zod';
import { normalizePhone } from '../../../shared/communications.js';
import { reconcileSms } from '../../messaging/sms/reconcile.js';
import { defineRobotType, RobotSkip } from '../robot-type.js';

/**
 * «Отправить SMS клиенту»: the text with the deal's values put in, to the client's phone (the
 * primary contact's, else the company's), through the workspace's SMS provider, exactly once in
 * effect (SMSC.ru, log only: looked up by our id after a crash) or at most once (SMS.ru: an
 * attempt whose answer was lost ends uncertain, never resent). Stored in the timeline (sms_sent).
 */
export const sendSms = defineRobotType({
  type: 'send_sms',
  title: { ru: 'Отправить SMS клиенту', en: 'Send an SMS to the client' },
  description: {
    ru: 'SMS по шаблону на телефон основного контакта сделки (или компании) через настроенного провайдера',
    en: 'A templated SMS to the phone of the deal’s primary contact (or company) through the configured provider',
  },
  entities: ['deal', 'lead'],
  effect: 'external',
  needsClient: true,
  texts: ['text'],
  params: z.strictObject({ text: z.string().trim().min(1).max(1_000) }),
  async run(ctx) {
    const { record, exec } = ctx;
    const to = record.clientPhone ? normalizePhone(record.clientPhone) : null;
    if (!to) throw new RobotSkip(record.clientPhone ? `the client’s phone ${record.clientPhone} is not a phone number an SMS can go to` : 'the deal has no client phone (neither its contact nor its company has one)');
    const text = ctx.render(ctx.params.text).trim();
    if (!text) throw new RobotSkip('the SMS text is empty once the deal’s values are put in');
    const provider = await ctx.deps.messaging.smsProvider(exec, ctx.workspace.id);
    const sender = await ctx.deps.messaging.smsSender(exec, ctx.workspace.id);
    const details = { to, text, provider: provider.kind };
    if (ctx.dryRun) return { summary: `would send an SMS to ${to} through ${provider.kind}`, details };
    return ctx.effect({
      channel: 'sms',
      provider: provider.kind,
      recipient: to,
      reconcile: provider.lookupByOurId ? 'lookup' : 'none',
      send: () => provider.send({ to, text, ourId: ctx.run.key, ...(sender && { sender }) }),
      async lookup() {
        const d = await reconcileSms(provider, { ourId: ctx.run.key, to });
        if (d.action === 'sent') return { found: true, ...(d.providerMessageId && { providerMessageId: d.providerMessageId }) };
        if (d.action === 'resend') return { found: false };
        return { found: 'unknown', message: d.action === 'lookupLater' ? `${d.error.code}: ${d.error.message}` : d.reason };
      },
      async record(trx, sent) {
        await ctx.deps.timeline.record(trx, ctx.workspace.id, ctx.actor, {
          entityType: record.entityType,
          entityId: record.id,
          kind: 'sms_sent',
          data: { to, text, provider: provider.kind, providerMessageId: sent.providerMessageId },
        });
        return {
          summary: `sent an SMS to ${to} through ${provider.kind}${sent.recovered ? ' (found at the provider after an interrupted attempt)' : ''}`,
          links: [{ entityType: 'message', id: ctx.run.key, label: to }],
          details: { ...details, providerMessageId: sent.providerMessageId },
        };
      },
      uncertain: (why) => ({ summary: `an SMS to ${to} may or may not have been sent: ${why}`, links: [{ entityType: 'message', id: ctx.run.key, label: to }], details }),
    });
  },
});
