import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { ManualClock, type Clock } from '../../src/server/clock.js';
import { testEpoch } from './test-epoch.js';

// Imitations of SMS.ru and SMSC.ru (node:http on port 0) that speak their documented HTTP
// contracts (/work/shared/specs/sms-providers.md §A5, §B5): the same URLs, parameters, JSON and
// plain answers and error codes, with HTTP 200 for every documented error. Each keeps a ledger of
// the messages it accepted, so that a test can count effects where they land (exactly once), and
// can be told to fail in each way the spec lists: an error code, HTTP 500/502, an empty body,
// closing or hanging before the message is committed, and — the crash cases — committing and then
// hanging or resetting the connection. Time comes from a clock (the duplicate and rate windows).
//
// Test hooks over HTTP too (ours, not the providers'), for tests whose sender is another process:
//   GET /__imitation/ledger?phone=   POST /__imitation/faults {faults:[…]}   POST /__imitation/reset
//   POST /__imitation/advance {id, phone?, status}   (SMS.ru: {smsId, code})

/** How the next send request fails (a FIFO, one per request). */
export type GatewayFault =
  | 'http500'
  | 'http502'
  /** the connection closes before anything is stored */
  | 'closeBeforeCommit'
  /** no answer ever, nothing stored */
  | 'hangBeforeCommit'
  /** the message is stored, then no answer ever */
  | 'commitThenHang'
  /** the message is stored, then the connection is reset */
  | 'commitThenReset'
  /** HTTP 200 with an empty body, nothing stored (SMSC's lib switches mirrors on it) */
  | 'emptyBody200'
  /** stored, then HTTP 200 with an empty body */
  | 'commitThenEmptyBody'
  /** the provider's own error code in its documented body; `commit` stores the message all the same (SMS.ru 220/500) */
  | { error: number; commit?: boolean };

interface Reply {
  status: number;
  body: string;
  type?: string;
}

/** A raw application/x-www-form-urlencoded or query string, kept as bytes per value (SMSC decodes by `charset`). */
function parseForm(raw: string): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const [k, v] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    out.push([percentDecode(k).toString('utf8'), percentDecode(v)]);
  }
  return out;
}

function percentDecode(s: string): Buffer {
  const bytes: number[] = [];
  const plain = s.replace(/\+/g, ' ');
  for (let i = 0; i < plain.length; i++) {
    if (plain[i] === '%' && /^[0-9a-fA-F]{2}$/.test(plain.slice(i + 1, i + 3))) {
      bytes.push(parseInt(plain.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(plain[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

const isLatin = (text: string) => /^[\x00-\x7F]*$/.test(text);
/** SMS parts: 160 Latin / 70 Cyrillic in one, 153 / 67 per part once split (spec §0.5). */
export function smsParts(text: string): number {
  const [single, multi] = isLatin(text) ? [160, 153] : [70, 67];
  const n = [...text].length;
  return n <= single ? 1 : Math.ceil(n / multi);
}

/** The common part: listening, sockets (destroyed on close), faults, the test hooks. */
abstract class Imitation {
  protected server: http.Server | null = null;
  private readonly mirrors: http.Server[] = [];
  private readonly sockets = new Set<Socket>();
  protected faults: GatewayFault[] = [];
  protected lookupFaults: GatewayFault[] = [];
  /** requests seen per path (including faulted ones) */
  readonly requests: Array<{ method: string; path: string; query: string; params: Record<string, string> }> = [];
  url = '';
  mirrorUrls: string[] = [];

  constructor(readonly clock: Clock) {}

  async start(opts: { mirrors?: number } = {}): Promise<this> {
    this.server = await this.listen();
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    for (let i = 0; i < (opts.mirrors ?? 0); i++) {
      const s = await this.listen();
      this.mirrors.push(s);
      this.mirrorUrls.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    }
    return this;
  }

  private listen(): Promise<http.Server> {
    const server = http.createServer((req, res) => void this.onRequest(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all([this.server, ...this.mirrors].filter(Boolean).map((s) => new Promise<void>((r) => s!.close(() => r()))));
  }

  /** The next send requests fail in these ways, one each, in order. */
  fail(...faults: GatewayFault[]): void {
    this.faults.push(...faults);
  }
  /** The next status look-ups fail in these ways. */
  failLookup(...faults: GatewayFault[]): void {
    this.lookupFaults.push(...faults);
  }

  protected abstract sendPath: string;
  protected abstract statusPath: string;
  protected abstract route(method: string, path: string, params: Map<string, Buffer>): Reply;
  protected abstract errorReply(code: number, params: Map<string, Buffer>): Reply;
  abstract reset(): void;
  abstract ledgerFor(phone?: string): unknown[];
  protected abstract advanceHook(body: Record<string, unknown>): void;

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://imitation');
    const body = Buffer.concat(chunks).toString('latin1');
    const path = url.pathname;

    if (path.startsWith('/__imitation/')) return this.hook(path, url, body, res);

    const pairs = [...parseForm(url.search.slice(1)), ...parseForm(/urlencoded/.test(req.headers['content-type'] ?? '') ? body : '')];
    const params = new Map<string, Buffer>();
    for (const [k, v] of pairs) params.set(k, v);
    this.requests.push({ method: req.method ?? 'GET', path, query: url.search, params: Object.fromEntries([...params].map(([k, v]) => [k, v.toString('utf8')])) });

    const queue = path === this.sendPath ? this.faults : path === this.statusPath ? this.lookupFaults : [];
    const fault = queue.shift();
    const send = (r: Reply) => {
      res.writeHead(r.status, { 'content-type': r.type ?? 'text/plain; charset=utf-8' });
      res.end(r.body);
    };
    const commit = () => this.route(req.method ?? 'GET', path, params);
    switch (fault) {
      case undefined:
        return send(commit());
      case 'http500':
        return send({ status: 500, body: '<html><body><h1>500 Internal Server Error</h1></body></html>', type: 'text/html' });
      case 'http502':
        return send({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', type: 'text/html' });
      case 'closeBeforeCommit':
        req.socket.destroy();
        return;
      case 'hangBeforeCommit':
        return;
      case 'commitThenHang':
        commit();
        return;
      case 'commitThenReset':
        commit();
        req.socket.resetAndDestroy();
        return;
      case 'emptyBody200':
        return send({ status: 200, body: '' });
      case 'commitThenEmptyBody':
        commit();
        return send({ status: 200, body: '' });
      default:
        if (fault.commit) commit();
        return send(this.errorReply(fault.error, params));
    }
  }

  private hook(path: string, url: URL, body: string, res: http.ServerResponse): void {
    const json = (v: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    const input = body ? (JSON.parse(Buffer.from(body, 'latin1').toString('utf8')) as Record<string, unknown>) : {};
    if (path === '/__imitation/ledger') return json({ items: this.ledgerFor(url.searchParams.get('phone') ?? undefined) });
    if (path === '/__imitation/faults') {
      this.fail(...((input.faults as GatewayFault[]) ?? []));
      this.failLookup(...((input.lookupFaults as GatewayFault[]) ?? []));
      return json({ ok: true });
    }
    if (path === '/__imitation/reset') {
      this.reset();
      return json({ ok: true });
    }
    if (path === '/__imitation/advance') {
      this.advanceHook(input);
      return json({ ok: true });
    }
    res.writeHead(404).end();
  }
}

const str = (params: Map<string, Buffer>, key: string): string | undefined => params.get(key)?.toString('utf8');

// ---------------------------------------------------------------------------------------------
// SMS.ru

export interface SmsRuLedgerEntry {
  smsId: string;
  phone: string;
  text: string;
  from: string | null;
  /** the how-manieth accepted message with this phone and text */
  attempt: number;
  acceptedAt: string;
  test: boolean;
  parts: number;
}

export interface SmsRuOptions {
  apiIds?: string[];
  /** approved senders; a `from` outside them is 204 */
  senders?: string[];
  /** roubles */
  balance?: number;
  pricePerPart?: number;
  /** numbers with no route (207) and in the stop-list (209), digits */
  blocked?: string[];
  stopList?: string[];
  /** 231 for the same phone and text within a minute */
  identicalPerMinute?: boolean;
  /** GET on /sms/send is 210 */
  strictPost?: boolean;
  clock?: Clock;
}

/** SMS.ru's error texts, as its docs word them (spec §A2; abridged). */
const SMSRU_TEXTS: Record<number, string> = {
  200: 'Неправильный api_id',
  201: 'Не хватает средств на лицевом счету',
  202: 'Неправильно указан номер телефона получателя, либо на него нет маршрута',
  203: 'Нет текста сообщения',
  204: 'Имя отправителя не согласовано с администрацией',
  205: 'Сообщение слишком длинное (превышает 8 СМС)',
  206: 'Будет превышен или уже превышен дневной лимит на отправку сообщений',
  207: 'На этот номер (или один из номеров) нельзя отправлять сообщения, либо указано более 100 номеров в списке получателей',
  209: 'Вы добавили этот номер (или один из номеров) в стоп-лист',
  210: 'Используется GET, где необходимо использовать POST',
  211: 'Метод не найден',
  213: 'Указано более 100 номеров в списке получателей',
  220: 'Сервис временно недоступен, попробуйте чуть позже',
  231: 'Превышен лимит одинаковых сообщений на этот номер в минуту',
  500: 'Ошибка на сервере. Повторите запрос.',
};
const SMSRU_STATUS_TEXTS: Record<number, string> = {
  [-1]: 'Сообщение не найдено',
  100: 'Сообщение находится в нашей очереди',
  101: 'Сообщение передается оператору',
  102: 'Сообщение отправлено (в пути)',
  103: 'Сообщение доставлено',
  104: 'Не может быть доставлено: время жизни истекло',
  105: 'Не может быть доставлено: удалено оператором',
  106: 'Не может быть доставлено: сбой в телефоне',
  107: 'Не может быть доставлено: неизвестная причина',
  108: 'Не может быть доставлено: отклонено',
  150: 'Не может быть доставлено: не найден маршрут на данный номер',
};

export class SmsRuImitation extends Imitation {
  protected sendPath = '/sms/send';
  protected statusPath = '/sms/status';
  private ledger: SmsRuLedgerEntry[] = [];
  private statuses = new Map<string, { code: number; cost: number }>();
  private callbacks: string[] = [];
  /** what the callback receivers answered */
  readonly callbackLog: Array<{ url: string; data: string[]; reply: string }> = [];
  private seq = 0;
  balance: number;

  constructor(private readonly opts: SmsRuOptions = {}) {
    super(opts.clock ?? new ManualClock(testEpoch()));
    this.balance = opts.balance ?? 100;
  }

  get apiId(): string {
    return (this.opts.apiIds ?? ['TEST-API-ID'])[0]!;
  }

  reset(): void {
    this.ledger = [];
    this.statuses.clear();
    this.faults = [];
    this.lookupFaults = [];
    this.balance = this.opts.balance ?? 100;
  }

  ledgerFor(phone?: string): SmsRuLedgerEntry[] {
    return this.ledger.filter((e) => phone === undefined || e.phone === phone.replace(/^\+/, ''));
  }

  /** Moves a message to a status and tells the callback receivers (data[] + hash, spec §A4). */
  async advance(smsId: string, code: number): Promise<void> {
    const s = this.statuses.get(smsId);
    if (!s) throw new Error(`no message ${smsId}`);
    s.code = code;
    const data = [`sms_status\n${smsId}\n${code}\n${Math.floor(this.clock.now().getTime() / 1000)}`];
    const hash = createHash('sha256').update(this.apiId + data.join('')).digest('hex');
    for (const url of this.callbacks) {
      const form = new URLSearchParams();
      for (const d of data) form.append('data[]', d);
      form.append('hash', hash);
      const res = await fetch(url, { method: 'POST', body: form });
      this.callbackLog.push({ url, data, reply: (await res.text()).trim() });
    }
  }

  protected advanceHook(body: Record<string, unknown>): void {
    void this.advance(String(body.smsId), Number(body.code));
  }

  private answer(params: Map<string, Buffer>, json: object, plain: string): Reply {
    return str(params, 'json') === '1' ? { status: 200, body: JSON.stringify(json), type: 'application/json' } : { status: 200, body: plain };
  }

  protected errorReply(code: number, params: Map<string, Buffer>): Reply {
    return this.answer(params, { status: 'ERROR', status_code: code, status_text: SMSRU_TEXTS[code] ?? `Ошибка ${code}` }, String(code));
  }

  protected route(method: string, path: string, params: Map<string, Buffer>): Reply {
    const apiId = str(params, 'api_id');
    const authed = apiId !== undefined && (this.opts.apiIds ?? ['TEST-API-ID']).includes(apiId);
    switch (path) {
      case '/sms/send':
        if (this.opts.strictPost && method !== 'POST') return this.errorReply(210, params);
        if (!authed) return this.errorReply(200, params);
        return this.send(params);
      case '/sms/status':
        if (!authed) return this.errorReply(200, params);
        return this.status(params);
      case '/my/balance':
        if (!authed) return this.errorReply(200, params);
        return this.answer(params, { status: 'OK', status_code: 100, balance: this.balance }, `100\n${this.balance}`);
      case '/callback/add': {
        if (!authed) return this.errorReply(200, params);
        const url = str(params, 'url') ?? '';
        if (!/^https?:\/\//.test(url)) return this.errorReply(901, params);
        if (!this.callbacks.includes(url)) this.callbacks.push(url);
        return this.answer(params, { status: 'OK', status_code: 100, callback: this.callbacks }, '100');
      }
      case '/callback/get':
        if (!authed) return this.errorReply(200, params);
        return this.answer(params, { status: 'OK', status_code: 100, callback: this.callbacks }, `100\n${this.callbacks.join('\n')}`);
      default:
        return this.errorReply(211, params);
    }
  }

  private send(params: Map<string, Buffer>): Reply {
    const perNumber = new Map<string, string>();
    const msg = str(params, 'msg') ?? '';
    for (const [k, v] of params) {
      const m = /^(?:to|multi)\[(\d+)\]$/.exec(k);
      if (m) perNumber.set(m[1]!, v.toString('utf8'));
    }
    for (const p of (str(params, 'to') ?? '').split(',').map((s) => s.trim()).filter(Boolean)) perNumber.set(p, msg);
    if (perNumber.size > 100) return this.errorReply(213, params);
    if (perNumber.size === 0 || [...perNumber.values()].some((t) => t.trim() === '')) return this.errorReply(perNumber.size === 0 ? 202 : 203, params);
    const from = str(params, 'from');
    if (from !== undefined && !(this.opts.senders ?? []).includes(from)) return this.errorReply(204, params);
    if ([...perNumber.values()].some((t) => smsParts(t) > 8)) return this.errorReply(205, params);
    const test = str(params, 'test') === '1';
    const price = this.opts.pricePerPart ?? 3.5;
    const total = [...perNumber.values()].reduce((s, t) => s + smsParts(t) * price, 0);
    if (!test && total > this.balance) return this.errorReply(201, params);

    const now = this.clock.now();
    const sms: Record<string, object> = {};
    const plain: string[] = ['100'];
    for (const [phone, text] of perNumber) {
      const bad = !/^7\d{10}$/.test(phone) ? 202 : (this.opts.blocked ?? []).includes(phone) ? 207 : (this.opts.stopList ?? []).includes(phone) ? 209 : 0;
      const repeated =
        this.opts.identicalPerMinute && this.ledger.some((e) => e.phone === phone && e.text === text && now.getTime() - Date.parse(e.acceptedAt) < 60_000);
      const code = bad || (repeated ? 231 : 0);
      if (code) {
        sms[phone] = { status: 'ERROR', status_code: code, status_text: SMSRU_TEXTS[code] };
        plain.push(String(code));
        continue;
      }
      this.seq++;
      const smsId = `${String(200000 + this.seq).padStart(6, '0')}-${String(10000000 + this.seq)}`;
      const parts = smsParts(text);
      const cost = test ? 0 : parts * price;
      if (!test) this.balance = Math.round((this.balance - cost) * 100) / 100;
      const attempt = this.ledger.filter((e) => e.phone === phone && e.text === text).length + 1;
      this.ledger.push({ smsId, phone, text, from: from ?? null, attempt, acceptedAt: now.toISOString(), test, parts });
      this.statuses.set(smsId, { code: 100, cost });
      sms[phone] = { status: 'OK', status_code: 100, sms_id: smsId };
      plain.push(smsId);
    }
    plain.push(`balance=${this.balance}`);
    return this.answer(params, { status: 'OK', status_code: 100, sms, balance: this.balance }, plain.join('\n'));
  }

  private status(params: Map<string, Buffer>): Reply {
    const ids = (str(params, 'sms_id') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const sms: Record<string, object> = {};
    for (const id of ids) {
      const s = this.statuses.get(id);
      sms[id] = s
        ? { status: 'OK', status_code: s.code, cost: s.cost, status_text: SMSRU_STATUS_TEXTS[s.code] }
        : { status: 'ERROR', status_code: -1, status_text: SMSRU_STATUS_TEXTS[-1] };
    }
    return this.answer(params, { status: 'OK', status_code: 100, sms, balance: this.balance }, ['100', ...ids.map((id) => String(this.statuses.get(id)?.code ?? -1))].join('\n'));
  }
}

// ---------------------------------------------------------------------------------------------
// SMSC.ru

export interface SmscLedgerEntry {
  id: string;
  /** the gateway's own record number */
  gatewayId: number;
  phone: string;
  text: string;
  charset: string;
  sender: string | null;
  /** the how-manieth record with this (id, phone) */
  attempt: number;
  acceptedAt: string;
  virtual: boolean;
  status: number;
  parts: number;
}

export interface SmscOptions {
  accounts?: Array<{ login: string; password: string }>;
  apiKeys?: string[];
  /** configured senders; another `sender` is error 6 */
  senders?: string[];
  balance?: number;
  pricePerPart?: number;
  /** numbers (digits) the message cannot be delivered to: error 8 */
  blocked?: string[];
  /** virtual sending (the account's test mode): statuses carry err=200, nothing is charged */
  virtual?: boolean;
  clock?: Clock;
}

const SMSC_TEXTS: Record<number, string> = {
  1: 'parameters error',
  2: 'invalid login or password',
  3: 'not enough money on the client balance',
  4: 'IP address is temporarily blocked due to frequent errors in queries',
  5: 'invalid date format',
  6: 'message is prohibited (by text or by sender name)',
  7: 'invalid phone number format',
  8: 'message to the specified number cannot be delivered',
  9: 'sending more than one identical request for sending SMS-messages or more than five identical requests for receiving the cost of a message within a minute',
};

export class SmscImitation extends Imitation {
  protected sendPath = '/sys/send.php';
  protected statusPath = '/sys/status.php';
  private ledger: SmscLedgerEntry[] = [];
  private recent: Array<{ hash: string; at: number }> = [];
  private lookups: Array<{ key: string; at: number }> = [];
  private seq = 0;
  balance: number;

  constructor(private readonly opts: SmscOptions = {}) {
    super(opts.clock ?? new ManualClock(testEpoch()));
    this.balance = opts.balance ?? 100;
  }

  reset(): void {
    this.ledger = [];
    this.recent = [];
    this.lookups = [];
    this.faults = [];
    this.lookupFaults = [];
    this.balance = this.opts.balance ?? 100;
  }

  ledgerFor(phone?: string): SmscLedgerEntry[] {
    const digits = phone?.replace(/^\+/, '');
    return this.ledger.filter((e) => digits === undefined || e.phone === digits);
  }

  /** Moves the (id, phone) record to a status (-1 waiting, 0 handed over, 1 delivered, 20 … failed). */
  advance(id: string, phone: string, status: number): void {
    const rec = this.findRecord(id, phone.replace(/^\+/, ''));
    if (!rec) throw new Error(`no message ${id} for ${phone}`);
    rec.status = status;
  }

  protected advanceHook(body: Record<string, unknown>): void {
    this.advance(String(body.id), String(body.phone), Number(body.status));
  }

  private findRecord(id: string, phone: string): SmscLedgerEntry | undefined {
    return [...this.ledger].reverse().find((e) => e.id === id && e.phone === phone);
  }

  private charsetOf(params: Map<string, Buffer>): string {
    return (str(params, 'charset') ?? 'windows-1251').toLowerCase();
  }

  /** A value in the request's charset: windows-1251 unless charset=utf-8 (spec §B5.1). */
  private text(params: Map<string, Buffer>, key: string): string | undefined {
    const raw = params.get(key);
    if (!raw) return undefined;
    const cs = this.charsetOf(params);
    return new TextDecoder(cs === 'utf-8' || cs === 'utf8' ? 'utf-8' : cs === 'koi8-r' ? 'koi8-r' : 'windows-1251').decode(raw);
  }

  private fmt(params: Map<string, Buffer>): number {
    return Number(str(params, 'fmt') ?? '0');
  }

  protected errorReply(code: number, params: Map<string, Buffer>, id?: string): Reply {
    const echo = [3, 6, 7, 8].includes(code) ? (id ?? str(params, 'id')) : undefined;
    const text = SMSC_TEXTS[code] ?? `error ${code}`;
    switch (this.fmt(params)) {
      case 1:
        return { status: 200, body: `${echo ?? 0},-${code}` };
      case 2:
        return { status: 200, body: `<result><error>${text}</error><error_code>${code}</error_code>${echo !== undefined ? `<id>${echo}</id>` : ''}</result>`, type: 'text/xml' };
      case 3:
        return { status: 200, body: JSON.stringify({ error: text, error_code: code, ...(echo !== undefined && { id: /^\d+$/.test(echo) ? Number(echo) : echo }) }), type: 'application/json' };
      default:
        return { status: 200, body: `ERROR = ${code} (${text})${echo !== undefined ? `, ID - ${echo}` : ''}` };
    }
  }

  private authed(params: Map<string, Buffer>): boolean {
    const login = str(params, 'login');
    const psw = str(params, 'psw');
    const apikey = str(params, 'apikey') ?? (login === '' ? psw : undefined);
    if (apikey !== undefined) return (this.opts.apiKeys ?? []).includes(apikey);
    return (this.opts.accounts ?? [{ login: 'test', password: 'secret' }]).some((a) => a.login === login && a.password === psw);
  }

  protected route(_method: string, path: string, params: Map<string, Buffer>): Reply {
    if (path === '/sys/send.php') return this.send(params);
    if (path === '/sys/status.php') return this.status(params);
    if (path === '/sys/balance.php') {
      if (!this.authed(params)) return this.errorReply(2, params);
      return { status: 200, body: this.fmt(params) === 3 ? JSON.stringify({ balance: this.balance.toFixed(2) }) : this.balance.toFixed(2) };
    }
    return { status: 404, body: 'Not Found' };
  }

  private send(params: Map<string, Buffer>): Reply {
    if (!this.authed(params)) return this.errorReply(2, params);
    const phones = (str(params, 'phones') ?? '').split(/[,;]/).map((s) => s.trim()).filter(Boolean);
    const mes = this.text(params, 'mes');
    const fmt = this.fmt(params);
    const costMode = Number(str(params, 'cost') ?? '0');
    const givenId = str(params, 'id');
    if (phones.length === 0 || !mes || ![0, 1, 2, 3].includes(fmt) || ![0, 1, 2, 3].includes(costMode) || mes.length > 1000) return this.errorReply(1, params);
    if (givenId !== undefined && !/^([1-9]\d{0,9}|[A-Za-z0-9._-]{1,40})$/.test(givenId)) return this.errorReply(1, params);
    const sender = this.text(params, 'sender');
    if (sender && sender !== '.' && !(this.opts.senders ?? []).includes(sender)) return this.errorReply(6, params);
    const digits = phones.map((p) => p.replace(/^\+/, ''));
    const valid = digits.filter((d) => /^\d{10,15}$/.test(d));
    if (valid.length === 0) return this.errorReply(7, params);
    const deliverable = valid.filter((d) => !(this.opts.blocked ?? []).includes(d));
    if (deliverable.length === 0) return this.errorReply(8, params);
    const parts = smsParts(mes);
    const price = this.opts.pricePerPart ?? 2.24;
    const cost = Math.round(parts * deliverable.length * price * 100) / 100;
    const cnt = parts * deliverable.length;
    if (costMode === 1) return this.successReply(params, givenId ?? '0', cnt, cost, false);
    if (!this.opts.virtual && cost > this.balance) return this.errorReply(3, params);

    // duplicate guard: an identical request (credentials aside) within a minute is 9, nothing stored
    const now = this.clock.now().getTime();
    const canonical = [...params]
      .filter(([k]) => !['login', 'psw', 'apikey'].includes(k))
      .map(([k, v]) => `${k}=${v.toString('hex')}`)
      .sort()
      .join('&');
    const hash = createHash('sha256').update(canonical).digest('hex');
    this.recent = this.recent.filter((r) => now - r.at < 60_000);
    if (this.recent.some((r) => r.hash === hash)) return this.errorReply(9, params);
    this.recent.push({ hash, at: now });

    const id = givenId ?? String(++this.seq + 1000);
    for (const phone of deliverable) {
      const attempt = this.ledger.filter((e) => e.id === id && e.phone === phone).length + 1;
      this.ledger.push({
        id,
        gatewayId: this.ledger.length + 1,
        phone,
        text: mes,
        charset: this.charsetOf(params),
        sender: sender ?? null,
        attempt,
        acceptedAt: new Date(now).toISOString(),
        virtual: this.opts.virtual ?? false,
        status: -1,
        parts,
      });
    }
    if (!this.opts.virtual) this.balance = Math.round((this.balance - cost) * 100) / 100;
    return this.successReply(params, id, cnt, cost, costMode >= 2);
  }

  private successReply(params: Map<string, Buffer>, id: string, cnt: number, cost: number, withCost: boolean): Reply {
    const costMode = Number(str(params, 'cost') ?? '0');
    const withBalance = costMode === 3;
    const jsonId = /^\d+$/.test(id) ? Number(id) : id;
    switch (this.fmt(params)) {
      case 1:
        return { status: 200, body: [id, cnt, ...(withCost || costMode === 1 ? [cost.toFixed(2)] : []), ...(withBalance ? [this.balance.toFixed(2)] : [])].join(',') };
      case 3:
        return {
          status: 200,
          type: 'application/json',
          body: JSON.stringify({
            ...(costMode !== 1 && { id: jsonId }),
            cnt,
            ...((withCost || costMode === 1) && { cost: cost.toFixed(2) }),
            ...(withBalance && { balance: this.balance.toFixed(2) }),
          }),
        };
      default:
        return { status: 200, body: `OK - ${cnt} SMS, ID - ${id}${withCost ? `, COST - ${cost.toFixed(2)}` : ''}${withBalance ? `, BALANCE - ${this.balance.toFixed(2)}` : ''}` };
    }
  }

  private status(params: Map<string, Buffer>): Reply {
    if (!this.authed(params)) return this.errorReply(2, params);
    const phones = (str(params, 'phone') ?? '').split(',');
    const ids = (str(params, 'id') ?? '').split(',');
    if (!phones[0] || !ids[0] || phones.length !== ids.length) return this.errorReply(1, params);
    const now = this.clock.now().getTime();
    this.lookups = this.lookups.filter((l) => now - l.at < 60_000);
    const pairs = ids.map((id, i) => ({ id: id.trim(), phone: (phones[i] ?? '').trim().replace(/^\+/, '') })).filter((p) => p.id);
    for (const p of pairs) {
      const key = `${p.id}|${p.phone}`;
      if (this.lookups.filter((l) => l.key === key).length >= 5) return this.errorReply(9, params);
      this.lookups.push({ key, at: now });
    }
    const render = (p: { id: string; phone: string }) => {
      const rec = this.findRecord(p.id, p.phone);
      const ts = Math.floor(Date.parse(rec?.acceptedAt ?? new Date(now).toISOString()) / 1000);
      const err = rec?.virtual ? 200 : 0;
      return { rec, ts, err, status: rec ? rec.status : -3 };
    };
    const many = ids.length > 1 || (str(params, 'id') ?? '').endsWith(',');
    const all = Number(str(params, 'all') ?? '0');
    const fmt = this.fmt(params);
    const items = pairs.map((p) => {
      const r = render(p);
      const lastDate = smscDate(new Date(r.ts * 1000));
      return {
        ...(many && { id: /^\d+$/.test(p.id) ? Number(p.id) : p.id, phone: p.phone }),
        status: r.status,
        last_date: lastDate,
        last_timestamp: r.ts,
        flag: 0,
        err: r.err,
        ...(all >= 1 && r.rec && { send_date: lastDate, phone: r.rec.phone, cost: (r.rec.parts * (this.opts.pricePerPart ?? 2.24)).toFixed(2), sender_id: r.rec.sender ?? '', message: r.rec.text }),
      };
    });
    if (fmt === 3) return { status: 200, type: 'application/json', body: JSON.stringify(many ? items : items[0]) };
    if (fmt === 1) return { status: 200, body: items.map((i) => `${i.status},${i.last_timestamp},${i.err}`).join('\n') };
    return { status: 200, body: items.map((i) => `Status = ${i.status}, check_time = ${i.last_date}, err = ${i.err}`).join('\n') };
  }
}

/** `DD.MM.YYYY hh:mm:ss` in Moscow time, as SMSC writes `last_date`. */
function smscDate(d: Date): string {
  const m = new Date(d.getTime() + 3 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(m.getUTCDate())}.${p(m.getUTCMonth() + 1)}.${m.getUTCFullYear()} ${p(m.getUTCHours())}:${p(m.getUTCMinutes())}:${p(m.getUTCSeconds())}`;
}

/** A base URL on which nothing listens (a port bound and released): connection refused. */
export async function closedPortUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
