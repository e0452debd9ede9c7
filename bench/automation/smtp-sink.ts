// A fast SMTP sink for bench:automation, in a process of its own so that it does not compete with
// the benchmark's client for its event loop: accepts every message without parsing it, counts the
// messages and the distinct Message-IDs. Prints `port N` when listening; answers `count` on stdin
// with `count <messages> <distinct ids>`.
import readline from 'node:readline';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

const ids = new Set<string>();
let messages = 0;
const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  onData(stream, _session, cb) {
    let head = '';
    stream.on('data', (c: Buffer) => {
      if (head.length < 4096) head += c.toString('latin1');
    });
    stream.on('end', () => {
      messages++;
      const id = /^message-id:\s*(\S+)/im.exec(head)?.[1];
      if (id) ids.add(id);
      cb();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.server.address() as AddressInfo).port}\n`));
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'count') process.stdout.write(`count ${messages} ${ids.size}\n`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
