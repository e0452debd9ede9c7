import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// A webhook receiver for the tests of the webhook robot (automation-effects.test.ts, the crash test
// of e-mail and webhooks): records every request (its headers and body) and answers what `answers`
// says next — a status, or `hang` (taken and never answered) — else 200.

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every request; answers what `answers` says next (a status, or hang), else 200. */
export async function startReceiver() {
  const received: Received[] = [];
  const answers: Array<number | 'hang'> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answers.shift() ?? 200;
      if (a === 'hang') return; // never answers
      res.writeHead(a, { 'content-type': 'text/plain' });
      res.end(a === 200 ? 'ok' : `receiver says ${a}`);
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    received,
    answers,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/crm?token=abc`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
