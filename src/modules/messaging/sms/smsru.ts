import { createHash, timingSafeEqual } from 'node:crypto';
import { badPhone, e164Digits, httpCall, httpStatusError, type HttpCallResult } from './provider-http.js';
import type {
  HttpTimeouts,
  MessagingError,
  SendResult,
  SmsCallbackResult,
  SmsDeliveryReport,
  SmsLookupQuery,
  SmsLookupResult,
  SmsMessage,
  SmsProvider,
  SmsStatus,
} from './sms-provider.js';

// SMS.ru over its documented HTTP API (spec §A): POST /sms/send?json=1 with api_id, to, msg, from;
// /sms/status?json=1 with sms_id (POSTed too); callbacks POST data[] + hash. SMS.ru takes no id of ours, and
// its status query takes only its own sms_id, so a send whose answer is lost cannot be looked up:
// such a send is `uncertain` and stays so (at most once; the admin sees it), never resent.

export interface SmsRuOptions extends HttpTimeouts {
  apiId: string;
  /** default https://sms.ru; the tests point it at the imitation */
  baseUrl?: string;
  /** test=1: SMS.ru imitates the send, nothing is delivered or charged */
  test?: boolean;
}

type Kind = 'permanent' | 'retryable' | 'uncertain';

/** SMS.ru's error codes (spec §A2) and what a failed send means for us. */
const SEND_ERRORS: Record<number, Kind> = {
  200: 'permanent', 201: 'permanent', 202: 'permanent', 203: 'permanent', 204: 'permanent', 205: 'permanent',
  206: 'retryable', 207: 'permanent', 208: 'permanent', 209: 'permanent', 210: 'permanent', 211: 'permanent',
  212: 'permanent', 213: 'permanent', 214: 'permanent', 215: 'permanent', 216: 'permanent', 217: 'permanent',
  // 220 "service temporarily unavailable" and 500 "server error, repeat": whether anything was
  // accepted is not documented, and SMS.ru has no look-up by our id
  220: 'uncertain', 500: 'uncertain',
  221: 'permanent',
  230: 'retryable', 231: 'permanent', 232: 'permanent', 233: 'permanent',
  300: 'permanent', 301: 'permanent', 302: 'permanent', 303: 'permanent', 304: 'permanent', 305: 'permanent',
};

const STATUS: Record<number, SmsStatus> = {
  100: 'queued', 101: 'sent', 102: 'sent', 103: 'delivered', 110: 'delivered',
  104: 'failed', 105: 'failed', 106: 'failed', 107: 'failed', 108: 'failed', 150: 'failed',
};

interface Entry {
  status?: string;
  status_code?: number | string;
  status_text?: string;
  sms_id?: string;
  cost?: number | string;
}
interface Answer extends Entry {
  sms?: Record<string, Entry>;
  balance?: number | string;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

function smsRuError(code: number, text: string | undefined): { kind: Kind; error: MessagingError } {
  // 501–508, 550 (anti-fraud) and codes not listed: permanent for this request
  const kind: Kind = SEND_ERRORS[code] ?? 'permanent';
  return { kind, error: { code: `smsru_${code}`, message: text?.trim() || `SMS.ru error ${code}`, retryable: kind !== 'permanent' } };
}

export class SmsRuProvider implements SmsProvider {
  readonly kind = 'smsru' as const;
  readonly lookupByOurId = false;
  private readonly base: string;

  constructor(private readonly opts: SmsRuOptions) {
    this.base = (opts.baseUrl ?? 'https://sms.ru').replace(/\/+$/, '');
  }

  async send(message: SmsMessage): Promise<SendResult> {
    const refused = badPhone(message.to);
    if (refused) return refused;
    const phone = e164Digits(message.to);
    const form: Record<string, string> = { api_id: this.opts.apiId, to: phone, msg: message.text };
    if (message.sender) form.from = message.sender;
    if (this.opts.test) form.test = '1';
    const res = await httpCall('POST', new URL(`${this.base}/sms/send?json=1`), form, this.opts);
    const answer = parseAnswer(res);
    if ('outcome' in answer) return answer;
    if (answer.status !== 'OK') {
      const { kind, error } = smsRuError(Number(answer.status_code), answer.status_text);
      return { outcome: kind === 'uncertain' ? 'uncertain' : 'rejected', error };
    }
    const entry = answer.sms?.[phone];
    if (!entry) return { outcome: 'uncertain', error: { code: 'bad_answer', message: `SMS.ru's answer has no entry for ${phone}`, retryable: false } };
    if (entry.status === 'OK' && entry.sms_id) {
      const cost = num(entry.cost);
      return { outcome: 'sent', providerMessageId: entry.sms_id, ...(cost !== undefined && { cost }) };
    }
    const { kind, error } = smsRuError(Number(entry.status_code), entry.status_text);
    return { outcome: kind === 'uncertain' ? 'uncertain' : 'rejected', error };
  }

  async lookup(query: SmsLookupQuery): Promise<SmsLookupResult | 'unsupported'> {
    if (!query.providerMessageId) return 'unsupported';
    // POST, like the send: the api_id stays out of URLs (proxy and access logs)
    const answer = parseAnswer(await httpCall('POST', new URL(`${this.base}/sms/status?json=1`), { api_id: this.opts.apiId, sms_id: query.providerMessageId }, this.opts));
    if ('outcome' in answer) return { found: 'unknown', error: answer.error! };
    if (answer.status !== 'OK') return { found: 'unknown', error: smsRuError(Number(answer.status_code), answer.status_text).error };
    const entry = answer.sms?.[query.providerMessageId];
    const code = Number(entry?.status_code);
    if (!entry || code === -1) return { found: false };
    const status = STATUS[code];
    if (!status) return { found: 'unknown', error: { code: `smsru_status_${code}`, message: entry.status_text ?? `unknown SMS.ru status ${code}`, retryable: true } };
    const cost = num(entry.cost);
    return { found: true, status, providerStatus: String(code), providerMessageId: query.providerMessageId, ...(entry.status_text && { statusText: entry.status_text }), ...(cost !== undefined && { cost }) };
  }

  /**
   * SMS.ru's callback (spec §A4): form fields `data[]` (entries `sms_status\n<sms_id>\n<code>\n<unix ts>`)
   * and `hash` = sha256(api_id + all data joined), lowercase hex; it expects `100` in answer.
   */
  parseCallback(body: Record<string, unknown>): SmsCallbackResult {
    const raw = body['data[]'] ?? body.data;
    const data = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    const expected = createHash('sha256').update(this.opts.apiId + data.join('')).digest();
    const given = Buffer.from(typeof body.hash === 'string' ? body.hash : '', 'hex');
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    const reports: SmsDeliveryReport[] = [];
    if (valid) {
      for (const item of data) {
        const [type, smsId, code, ts] = item.split('\n').map((s) => s.trim());
        const status = STATUS[Number(code)];
        if (type !== 'sms_status' || !smsId || !status) continue;
        const seconds = Number(ts);
        reports.push({ providerMessageId: smsId, status, providerStatus: code, at: new Date((Number.isFinite(seconds) ? seconds : 0) * 1000).toISOString() });
      }
    }
    return { valid, reports, reply: '100' };
  }
}

/** The JSON answer, or the send outcome when there is none. */
function parseAnswer(res: HttpCallResult): Answer | SendResult {
  if (res.kind === 'not_sent') return { outcome: 'rejected', error: res.error };
  if (res.kind === 'lost') return { outcome: 'uncertain', error: res.error };
  const httpError = httpStatusError(res.status, res.body);
  if (httpError) return { outcome: httpError.retryable ? 'uncertain' : 'rejected', error: httpError };
  try {
    const parsed = JSON.parse(res.body) as unknown;
    if (parsed && typeof parsed === 'object' && 'status' in parsed) return parsed as Answer;
  } catch {
    // a plain-text answer: SMS.ru answers JSON only when json=1 reached it
  }
  return { outcome: 'uncertain', error: { code: 'bad_answer', message: `SMS.ru answered something other than its JSON: ${res.body.slice(0, 120)}`, retryable: false } };
}
