import type { Logger } from 'pino';
import type { Executor } from '../../../server/context.js';
import { nowIso, type Clock } from '../../../server/clock.js';
import { insertLogOnce } from '../messaging.repo.js';
import type { MailMessage, MailProvider, SendResult } from './mail-provider.js';

/** The "log only" mail provider (no SMTP configured, trial installs): one messaging_log row per Message-ID. */
export class LogMailProvider implements MailProvider {
  readonly kind = 'log' as const;
  constructor(
    private readonly exec: Executor,
    private readonly workspaceId: number,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {}

  async send(message: MailMessage): Promise<SendResult> {
    const { inserted } = await insertLogOnce(this.exec, {
      workspace_id: this.workspaceId,
      channel: 'email',
      our_id: message.messageId,
      recipient: message.to,
      sender: message.from,
      subject: message.subject,
      body: message.text ?? message.html ?? '',
      created_at: nowIso(this.clock),
    });
    this.log?.info({ workspaceId: this.workspaceId, messageId: message.messageId, to: message.to, repeated: !inserted }, 'e-mail (log only)');
    return { outcome: 'sent', providerMessageId: message.messageId };
  }
}
