import { badPhone, httpCall, httpStatusError, type HttpCallResult } from './provider-http.js';
import type { HttpTimeouts, MessagingError, SendResult, SmsLookupQuery, SmsLookupResult, SmsMessage, SmsProvider, SmsStatus } from './sms-provider.js';

// SMSC.ru over its documented HTTP API (spec §B): POST /sys/send.php with login+psw (or apikey),
// phones, mes, id (ours), sender, charset=utf-8, fmt=3, cost=3; POST /sys/status.php with id, phone, fmt=3.
// SMSC keeps our id with the message, so an uncertain send can be looked up by (our id, phone):
// status -3 = not there (send again with the same id), anything else = accepted (never resend).
// Its callbacks ("event notifications") are not documented in a form we could verify: poll.

export interface SmscOptions extends HttpTimeouts {
  /** login + password, or an API key */
  login?: string;
  password?: string;
  apiKey?: string;
  /** default https://smsc.ru; the tests point it at the imitation */
  baseUrl?: string;
}

/** SMSC's `id`: an integer, or up to 40 chars of [A-Za-z0-9.-_] (spec §B1). */
export const SMSC_ID = /^[A-Za-z0-9._-]{1,40}$/;

type Kind = 'permanent' | 'retryable' | 'uncertain';

/** SMSC's send error codes (spec §B2). */
const SEND_ERRORS: Record<number, Kind> = {
  1: 'permanent', // error in parameters
  2: 'permanent', // bad login/password or IP not allowed
  3: 'permanent', // not enough money (until a top-up)
  4: 'retryable', // IP temporarily blocked after frequent errors: nothing was sent, back off
  5: 'permanent', // bad date format
  6: 'permanent', // message forbidden (text or sender)
  7: 'permanent', // bad phone format
  8: 'permanent', // cannot be delivered to this number
  9: 'uncertain', // an identical request came shortly before: probably accepted, look it up
};

const STATUS: Record<number, SmsStatus> = {
  [-2]: 'queued', [-1]: 'queued', 0: 'sent', 1: 'delivered', 2: 'delivered', 4: 'delivered',
  3: 'failed', 20: 'failed', 22: 'failed', 23: 'failed', 24: 'failed', 25: 'failed',
};

interface SendAnswer {
  id?: number | string;
  cnt?: number;
  cost?: string | number;
  balance?: string | number;
  error?: string;
  error_code?: number;
}
interface StatusAnswer {
  status?: number;
  last_date?: string;
  last_timestamp?: number;
  err?: number;
  error?: string;
  error_code?: number;
}

export class SmscProvider implements SmsProvider {
  readonly kind = 'smsc' as const;
  readonly lookupByOurId = true;
  private readonly base: string;

  constructor(private readonly opts: SmscOptions) {
    this.base = (opts.baseUrl ?? 'https://smsc.ru').replace(/\/+$/, '');
  }

  private auth(): Record<string, string> {
    if (this.opts.apiKey) return { apikey: this.opts.apiKey };
    return { login: this.opts.login ?? '', psw: this.opts.password ?? '' };
  }

  async send(message: SmsMessage): Promise<SendResult> {
    const refused = badPhone(message.to);
    if (refused) return refused;
    if (!SMSC_ID.test(message.ourId)) return { outcome: 'rejected', error: { code: 'bad_id', message: `our id "${message.ourId}" is not an SMSC id (1–40 chars of A-Z a-z 0-9 . _ -)`, retryable: false } };
    // one phone per request, with the plus so that SMSC does not "correct" the number
    const form: Record<string, string> = { ...this.auth(), phones: message.to, mes: message.text, id: message.ourId, charset: 'utf-8', fmt: '3', cost: '3' };
    if (message.sender) form.sender = message.sender;
    const answer = parse<SendAnswer>(await httpCall('POST', new URL(`${this.base}/sys/send.php`), form, this.opts));
    if ('outcome' in answer) return answer;
    if (answer.error_code !== undefined) {
      const { kind, error } = smscError(answer.error_code, answer.error);
      return { outcome: kind === 'uncertain' ? 'uncertain' : 'rejected', error };
    }
    if (answer.id === undefined) return { outcome: 'uncertain', error: { code: 'bad_answer', message: 'SMSC answered without an id', retryable: true } };
    const cost = answer.cost === undefined ? undefined : Number(answer.cost);
    return { outcome: 'sent', providerMessageId: String(answer.id), ...(cost !== undefined && Number.isFinite(cost) && { cost }) };
  }

  /**
   * By (our id, phone). SMSC does not document how soon a new message becomes visible here: a
   * caller deciding to resend after `found: false` should ask more than once, a while apart.
   */
  async lookup(query: SmsLookupQuery): Promise<SmsLookupResult> {
    // POST (SMSC takes GET or POST): the credentials stay out of URLs (proxy and access logs)
    const form = { ...this.auth(), phone: query.to, id: query.ourId, fmt: '3', charset: 'utf-8' };
    const answer = parse<StatusAnswer>(await httpCall('POST', new URL(`${this.base}/sys/status.php`), form, this.opts));
    if ('outcome' in answer) return { found: 'unknown', error: answer.error! };
    if (answer.error_code !== undefined) return { found: 'unknown', error: smscError(answer.error_code, answer.error).error };
    if (answer.status === -3) return { found: false };
    const status = answer.status === undefined ? undefined : STATUS[answer.status];
    if (!status) return { found: 'unknown', error: { code: `smsc_status_${answer.status}`, message: `unknown SMSC status ${answer.status}`, retryable: true } };
    return { found: true, status, providerStatus: String(answer.status), providerMessageId: query.ourId, ...(answer.err ? { statusText: `err ${answer.err}` } : {}) };
  }
}

function smscError(code: number, text: string | undefined): { kind: Kind; error: MessagingError } {
  const kind = SEND_ERRORS[code] ?? 'permanent';
  return { kind, error: { code: `smsc_${code}`, message: text?.trim() || `SMSC error ${code}`, retryable: kind !== 'permanent' } };
}

function parse<T extends object>(res: HttpCallResult): T | SendResult {
  if (res.kind === 'not_sent') return { outcome: 'rejected', error: res.error };
  if (res.kind === 'lost') return { outcome: 'uncertain', error: res.error };
  const httpError = httpStatusError(res.status, res.body);
  if (httpError) return { outcome: httpError.retryable ? 'uncertain' : 'rejected', error: httpError };
  try {
    const parsed = JSON.parse(res.body) as unknown;
    if (parsed && typeof parsed === 'object') return parsed as T;
  } catch {
    // not the fmt=3 JSON we asked for
  }
  return { outcome: 'uncertain', error: { code: 'bad_answer', message: `SMSC answered something other than JSON: ${res.body.slice(0, 120)}`, retryable: true } };
}
