import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { SESSION_COOKIE } from '../../server/authenticate.js';
import type { Authenticated } from '../auth/auth.service.js';
import type { Actor } from '../permissions/actor.js';

// GET /notifications/stream: server-sent events with the user's unread count. One per browser
// tab (EventSource reconnects by itself after `retry` ms). Each change re-checks the session (a
// logged-out or expired session ends the stream) and re-reads the count with the current
// permissions; an unchanged count sends nothing. Heartbeat comments keep proxies from closing an
// idle connection.

export const HEARTBEAT_MS = 25_000;
export const RETRY_MS = 5_000;

export class NotificationStreams {
  private readonly open = new Set<(shutdown?: boolean) => void>();

  constructor(private readonly ctx: AppContext) {}

  /** How to re-check the caller on each change: the same session cookie or token it came with. */
  private reauth(req: FastifyRequest): () => Promise<Authenticated | null> {
    const auth = this.ctx.services.auth;
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (m) return () => auth.authenticateToken(m[1]!);
    const cookie = req.cookies?.[SESSION_COOKIE];
    return cookie ? () => auth.authenticateSession(cookie) : async () => null;
  }

  async serve(req: FastifyRequest, reply: FastifyReply, actor: Actor): Promise<void> {
    const notifications = this.ctx.services.notifications;
    const reauth = this.reauth(req);
    const raw = reply.raw;
    let closed = false;
    let last: number | null = null;
    let running = false;
    let again = false;
    let unsubscribe: (() => void) | null = null;
    let heartbeat: NodeJS.Timeout | null = null;

    /** shutdown: also drop the connection, so that the server does not wait for a client that stopped reading */
    const close = (shutdown = false) => {
      if (closed) return;
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      unsubscribe?.();
      this.open.delete(close);
      raw.end(() => {
        if (shutdown) raw.destroy();
      });
      if (shutdown) raw.socket?.destroySoon();
    };
    const send = async (current: Actor) => {
      const count = await notifications.unreadCount(current);
      if (closed || count === last) return;
      last = count;
      raw.write(`event: unread\ndata: ${JSON.stringify({ count })}\n\n`);
    };
    const refresh = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const auth = await reauth();
          if (!auth || auth.actor.userId !== actor.userId || auth.actor.workspaceId !== actor.workspaceId) return close();
          await send(auth.actor);
        } while (again && !closed);
      } catch (err) {
        this.ctx.log.warn({ err }, 'notifications stream: refresh failed');
      } finally {
        running = false;
      }
    };

    reply.hijack();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = String(v);
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: ${RETRY_MS}\n\n`);
    this.open.add(close);
    raw.on('close', () => close());
    raw.on('error', () => close());
    try {
      unsubscribe = await notifications.bus.subscribe(actor.workspaceId, actor.userId, () => void refresh());
      if (closed) return unsubscribe();
      heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
      await send(actor);
    } catch (err) {
      this.ctx.log.warn({ err }, 'notifications stream: could not start');
      close();
    }
  }

  /** Ends every open stream (server shutdown: before the server waits for its connections). */
  closeAll(): void {
    for (const close of [...this.open]) close(true);
  }
}
