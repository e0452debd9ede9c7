// A fast SMTP sink for bench:automation, in a process of its own so that it does not compete with
// the benchmark's client for its event loop. It speaks just enough SMTP (RFC 5321: greeting, EHLO,
// MAIL, RCPT, DATA with dot-termination, RSET, NOOP, QUIT) and greets at once, as a local relay
// does — the smtp-server package pauses 100 ms before its greeting to catch early talkers, which
// would measure that pause rather than the robots. Counts the messages and the distinct
// Message-IDs. Prints `port N` when listening; answers `count` on stdin with
// `count <messages> <distinct ids>`.
import net from 'node:net';
import readline from 'node:readline';

const ids = new Set<string>();
let messages = 0;

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let buffer = '';
  let inData = false;
  let message = '';
  const reply = (line: string) => socket.write(`${line}\r\n`);
  reply('220 bench-sink ESMTP');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        const atStart = message === '' && buffer.startsWith('.\r\n');
        if (end < 0 && !atStart) {
          message += buffer.slice(0, Math.max(0, buffer.length - 4));
          buffer = buffer.slice(Math.max(0, buffer.length - 4));
          return;
        }
        message += atStart ? '' : buffer.slice(0, end);
        buffer = buffer.slice(atStart ? 3 : end + 5);
        inData = false;
        messages++;
        const id = /^message-id:\s*(\S+)/im.exec(message)?.[1];
        if (id) ids.add(id);
        message = '';
        reply('250 2.0.0 queued');
        continue;
      }
      const nl = buffer.indexOf('\r\n');
      if (nl < 0) return;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') reply('250 bench-sink');
      else if (verb === 'DATA') {
        inData = true;
        reply('354 end with <CRLF>.<CRLF>');
      } else if (verb === 'QUIT') {
        reply('221 bye');
        socket.end();
        return;
      } else reply('250 OK');
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.address() as net.AddressInfo).port}\n`));
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'count') process.stdout.write(`count ${messages} ${ids.size}\n`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
