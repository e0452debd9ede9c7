import http from 'node:http';
import https from 'node:https';
import type { HttpTimeouts, MessagingError, SendResult } from './sms-provider.js';

// One HTTP call to an SMS provider over node:http, so that we know whether the request had been
// written when it failed: before that (refused, DNS, connect timeout) nothing reached the provider
// and a retry is safe; after it (a timeout while waiting, a reset, a 5xx, an empty body) the
// provider may have accepted the message, which makes the outcome uncertain. fetch cannot tell the
// two apart.

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 20_000;

export type HttpCallResult =
  | { kind: 'answer'; status: number; body: string }
  /** nothing was sent */
  | { kind: 'not_sent'; error: MessagingError }
  /** the request went out; what became of it is unknown */
  | { kind: 'lost'; error: MessagingError };

const NOT_SENT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection_refused',
  ENOTFOUND: 'host_not_found',
  EAI_AGAIN: 'host_not_found',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'host_unreachable',
};

export function httpCall(
  method: 'GET' | 'POST',
  url: URL,
  form: Record<string, string> | null,
  timeouts: HttpTimeouts = {},
): Promise<HttpCallResult> {
  const connectMs = timeouts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const responseMs = timeouts.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
  const payload = form ? Buffer.from(new URLSearchParams(form).toString(), 'utf8') : null;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let written = false;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: HttpCallResult) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const lost = (code: string, message: string): HttpCallResult => ({ kind: 'lost', error: { code, message, retryable: true } });
    const notSent = (code: string, message: string): HttpCallResult => ({ kind: 'not_sent', error: { code, message, retryable: true } });
    const arm = (ms: number, onTimeout: () => void) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(onTimeout, ms);
    };

    const req = lib.request(url, {
      method,
      agent: false,
      headers: payload ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(payload.length) } : {},
    });
    arm(connectMs, () => finish(notSent('connect_timeout', `no connection to ${url.host} within ${connectMs} ms`)));
    req.on('finish', () => {
      written = true;
      arm(responseMs, () => finish(lost('timeout', `no answer from ${url.host} within ${responseMs} ms after the request was sent`)));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'network_error';
      if (!written && NOT_SENT_CODES[code]) return finish(notSent(NOT_SENT_CODES[code], `${code} connecting to ${url.host}`));
      if (!written && !req.reusedSocket && code !== 'ECONNRESET' && code !== 'EPIPE') return finish(notSent('network_error', `${code} connecting to ${url.host}`));
      finish(lost(code === 'ECONNRESET' ? 'connection_reset' : 'network_error', `${code}: the connection to ${url.host} broke after the request was sent`));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ kind: 'answer', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => finish(lost('connection_reset', `the answer from ${url.host} broke off`)));
      res.on('aborted', () => finish(lost('connection_reset', `the answer from ${url.host} broke off`)));
    });
    req.end(payload ?? undefined);
  });
}

/** An answer that is not the provider's documented body: HTTP error statuses and empty bodies. */
export function httpStatusError(status: number, body: string): MessagingError | null {
  if (status >= 500) return { code: `http_${status}`, message: `HTTP ${status} from the provider${snippet(body)}`, retryable: true };
  if (status !== 200) return { code: `http_${status}`, message: `HTTP ${status} from the provider${snippet(body)}`, retryable: false };
  if (body.trim() === '') return { code: 'empty_answer', message: 'the provider answered with an empty body', retryable: true };
  return null;
}

const snippet = (body: string) => {
  const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return text ? `: ${text}` : '';
};

/** Digits of an E.164 number without the plus (SMS.ru's format). */
export const e164Digits = (to: string) => to.replace(/^\+/, '');

export const E164 = /^\+[1-9]\d{6,14}$/;

/** The refusal of a number that is not E.164, before any call goes out (both adapters); null when it is. */
export const badPhone = (to: string): SendResult | null =>
  E164.test(to) ? null : { outcome: 'rejected', error: { code: 'bad_phone', message: `"${to}" is not an E.164 phone number (+79255070602)`, retryable: false } };
