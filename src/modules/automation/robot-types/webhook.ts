import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import type { SendResult } from '../../messaging/sms/sms-provider.js';
import { defineRobotType } from '../robot-type.js';
import { BlockedAddressError, guardedLookup, literalAddressProblem, urlHostProblem } from '../../../shared/outbound-address.js';

/** The signature header: `sha256=` + hex HMAC-SHA256 of the exact body bytes with the robot's secret. */
export const SIGNATURE_HEADER = 'X-Voronka-Signature';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);

/**
 * One POST; the outcome in the shape of the messaging providers' (a lost answer is uncertain, resent
 * with the same key). Through node:http(s) with a look-up that refuses private addresses
 * (src/shared/outbound-address.ts) unless the server allows them; redirects are not followed.
 */
function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal, allowPrivate: boolean): Promise<SendResult> {
  const target = new URL(url);
  const blockedLiteral = literalAddressProblem(target, allowPrivate);
  if (blockedLiteral) return Promise.resolve(blockedOutcome(blockedLiteral));
  const timeout = AbortSignal.timeout(timeoutMs);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    const req = request(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup(allowPrivate) as never, signal: AbortSignal.any([signal, timeout]) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 300) text += chunk;
        });
        res.on('error', () => undefined);
        res.on('end', () => resolve(answerOutcome(res.statusCode ?? 0, text.slice(0, 300))));
      },
    );
    req.on('error', (err: Error & { code?: string }) => {
      if (timeout.aborted) return resolve({ outcome: 'uncertain', error: { code: 'timeout', message: `no answer within ${timeoutMs / 1000} s`, retryable: true } });
      if (err instanceof BlockedAddressError) return resolve(blockedOutcome(err));
      const code = err.code;
      if (code === 'ECONNREFUSED') return resolve({ outcome: 'rejected', error: { code: 'connection_refused', message: `connection refused by ${target.host}`, retryable: true } });
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return resolve({ outcome: 'rejected', error: { code: 'host_not_found', message: `host ${target.hostname} not found`, retryable: true } });
      resolve({ outcome: 'uncertain', error: { code: code ? code.toLowerCase() : 'connection_failed', message: err.message, retryable: true } });
    });
    req.end(body);
  });
}

/** Nothing was sent: the host is (or resolves to) an address we do not call; for good. */
const blockedOutcome = (err: BlockedAddressError): SendResult => ({ outcome: 'rejected', error: { code: 'address_not_allowed', message: err.message, retryable: false } });

function answerOutcome(status: number, text: string): SendResult {
  if (status >= 200 && status < 300) return { outcome: 'sent', providerMessageId: `http_${status}` };
  const message = `HTTP ${status}${text ? `: ${text}` : ''}`;
  if (status >= 500 || RETRYABLE_STATUS.has(status)) return { outcome: 'uncertain', error: { code: `http_${status}`, message, retryable: true } };
  return { outcome: 'rejected', error: { code: `http_${status}`, message, retryable: false } };
}

/**
 * «Вызвать вебхук»: POST of the deal as JSON to a URL, signed with HMAC-SHA256 over the body
 * (header X-Voronka-Signature) with the robot's secret, carrying the run's idempotency key in
 * `Idempotency-Key`. After a crash or a lost answer it is sent again with the same key and the
 * same body: the receiver de-duplicates on the key (at least once on the wire, once in effect).
 * The secret is write-only: never answered by the API, never logged, never in the log's details.
 */
export const callWebhook = defineRobotType({
  type: 'webhook',
  title: { ru: 'Вызвать вебхук', en: 'Call a webhook' },
  description: {
    ru: 'POST сделки в формате JSON на адрес, с подписью HMAC-SHA256 и ключом идемпотентности',
    en: 'A POST of the deal as JSON to a URL, signed with HMAC-SHA256, with an idempotency key',
  },
  entities: ['deal', 'lead'],
  effect: 'external',
  needsClient: true,
  secrets: ['secret'],
  params: z.strictObject({
    url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).max(2_000),
    secret: z.string().min(16, 'at least 16 characters').max(200),
    timeoutSeconds: z.int().min(1).max(30).default(10),
  }),
  async check(_exec, _ws, p, deps) {
    // a literal private address or localhost is refused when saved; a name, when it resolves (at the call)
    const problem = urlHostProblem(p.url, deps.network.allowPrivateWebhooks);
    return problem ? [{ path: 'params.url', message: `${problem}: webhooks may not call into the server's own network` }] : [];
  },
  async run(ctx) {
    const { record, params: p } = ctx;
    const body = JSON.stringify({
      event: 'automation.robot',
      idempotencyKey: ctx.run.key,
      workspaceId: ctx.workspace.id,
      robot: { id: ctx.robot.id, name: ctx.robot.name, stageId: ctx.robot.stageId, stageName: ctx.robot.stageName },
      entityType: record.entityType,
      [record.entityType]: record.raw,
    });
    const target = new URL(p.url);
    const shown = `${target.origin}${target.pathname}`; // no query: it may hold a token
    if (ctx.dryRun) return { summary: `would POST the ${record.entityType} to ${shown}`, details: { url: shown, bytes: Buffer.byteLength(body) } };
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Voronka-Webhook/1',
      'idempotency-key': ctx.run.key,
      [SIGNATURE_HEADER.toLowerCase()]: signBody(p.secret, body),
    };
    return ctx.effect({
      channel: 'webhook',
      provider: 'webhook',
      recipient: shown,
      reconcile: 'resend',
      send: () => post(p.url, body, headers, p.timeoutSeconds * 1000, ctx.signal, ctx.deps.network.allowPrivateWebhooks),
      async record(trx, sent) {
        await ctx.deps.timeline.record(trx, ctx.workspace.id, ctx.actor, {
          entityType: record.entityType,
          entityId: record.id,
          kind: 'webhook_sent',
          data: { url: shown, status: Number((sent.providerMessageId ?? 'http_200').replace('http_', '')), idempotencyKey: ctx.run.key },
        });
        return { summary: `POSTed the deal to ${shown} (${sent.providerMessageId?.replace('http_', 'HTTP ') ?? 'HTTP 2xx'})`, details: { url: shown, idempotencyKey: ctx.run.key } };
      },
      uncertain: (why) => ({ summary: `the webhook ${shown} may not have been called: ${why}`, details: { url: shown } }),
    });
  },
});
