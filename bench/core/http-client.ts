// A minimal keep-alive JSON client over node:http: cheaper per request than fetch, so that
// the client (on the same 2 cores) steals as little CPU from the server as possible.
import http from 'node:http';

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;
  headers: Record<string, string> = {};

  constructor(baseUrl: string, maxSockets = 64) {
    const u = new URL(baseUrl);
    if (u.hostname !== '127.0.0.1') throw new Error('the benchmark only talks to 127.0.0.1');
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** a client sharing nothing with this one, authenticated with a bearer token */
  withToken(token: string, maxSockets = 64): HttpClient {
    const c = new HttpClient(`http://${this.host}:${this.port}`, maxSockets);
    c.headers = { authorization: `Bearer ${token}` };
    return c;
  }

  request<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<HttpResponse<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { accept: 'application/json', ...this.headers, ...extraHeaders };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const t0 = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if (text && (res.headers['content-type'] ?? '').includes('json')) {
            try {
              parsed = JSON.parse(text);
            } catch {
              /* keep the text */
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: res.headers, ms });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** request that must answer 2xx; returns the body */
  async ok<T = any>(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
    const r = await this.request<T>(method, path, body, extraHeaders);
    if (r.status < 200 || r.status >= 300) {
      throw new HttpError(`${method} ${path} → ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`, r.status, r.body);
    }
    return r.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** `[...]`, `{ items: [...] }` or `{ data: [...] }` → the array */
export function itemsOf<T = any>(body: any): T[] {
  if (Array.isArray(body)) return body;
  for (const key of ['items', 'data', 'roles', 'users', 'pipelines', 'departments']) if (Array.isArray(body?.[key])) return body[key];
  return [];
}
