import type { Logger } from 'pino';
import type { Executor } from '../../../server/context.js';
import { nowIso, type Clock } from '../../../server/clock.js';
import { findLog, insertLogOnce } from '../messaging.repo.js';
import type { SendResult, SmsLookupQuery, SmsLookupResult, SmsMessage, SmsProvider } from './sms-provider.js';

/**
 * The "log only" SMS provider of trial installs: nothing leaves the machine; each message is
 * recorded once per our id in messaging_log (and in the log, without the text), so that a trial
 * shows what would have been sent. Sending the same id again answers the first record.
 */
export class LogSmsProvider implements SmsProvider {
  readonly kind = 'log' as const;
  readonly lookupByOurId = true;

  constructor(
    private readonly exec: Executor,
    private readonly workspaceId: number,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {}

  async send(message: SmsMessage): Promise<SendResult> {
    const { row, inserted } = await insertLogOnce(this.exec, {
      workspace_id: this.workspaceId,
      channel: 'sms',
      our_id: message.ourId,
      recipient: message.to,
      sender: message.sender ?? null,
      subject: null,
      body: message.text,
      created_at: nowIso(this.clock),
    });
    this.log?.info({ workspaceId: this.workspaceId, ourId: message.ourId, to: message.to, repeated: !inserted }, 'sms (log only)');
    return { outcome: 'sent', providerMessageId: `log-${row.id}` };
  }

  async lookup(query: SmsLookupQuery): Promise<SmsLookupResult> {
    const row = await findLog(this.exec, this.workspaceId, 'sms', query.ourId);
    return row ? { found: true, status: 'delivered', providerStatus: 'logged', providerMessageId: `log-${row.id}` } : { found: false };
  }
}
