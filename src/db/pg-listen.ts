import pg from 'pg';

// PostgreSQL LISTEN on a connection of its own (a pooled connection cannot hold a LISTEN: it
// goes back to the pool). NOTIFY is delivered after the sending transaction commits, to every
// process listening on the channel — which is how several app processes tell each other that
// something changed (the notifications stream).

export interface ListenHandlers {
  onMessage(payload: string): void;
  /** the connection was lost and is back: messages may have been missed meanwhile */
  onReconnect(): void;
  onError?(err: Error): void;
}

export interface Listener {
  close(): Promise<void>;
}

const RECONNECT_MS = 2000;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Resolves once LISTEN is in effect, so that no NOTIFY sent after it is missed. */
export async function pgListen(url: string, channel: string, handlers: ListenHandlers): Promise<Listener> {
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (msg) => {
      if (msg.channel === channel) handlers.onMessage(msg.payload ?? '');
    });
    c.on('error', (err) => {
      handlers.onError?.(err);
      lost(c);
    });
    c.on('end', () => lost(c));
    await c.connect();
    await c.query(`LISTEN ${quoteIdent(channel)}`);
    client = c;
  };

  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    c.end().catch(() => undefined);
    if (!closed) schedule();
  };

  const schedule = () => {
    timer = setTimeout(() => {
      timer = null;
      connect().then(
        () => handlers.onReconnect(),
        (err: Error) => {
          handlers.onError?.(err);
          if (!closed) schedule();
        },
      );
    }, RECONNECT_MS);
    timer.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
