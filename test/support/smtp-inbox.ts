import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

// A real SMTP server in the test process (the smtp-server package) with an inbox of the parsed
// messages that arrived. Faults: refuse a recipient (550), refuse the message temporarily (451),
// or swallow the message and never answer (the connection then times out after DATA).

export interface SmtpInbox {
  port: number;
  messages: Array<{ envelope: { from: string; to: string[] }; mail: ParsedMail }>;
  /** recipients refused with 550 */
  refuse: Set<string>;
  /** what happens to the next message: accepted (default), refused with 451, or never answered */
  nextData: 'accept' | 'tempfail' | 'hang';
  close(): Promise<void>;
}

export async function startSmtpInbox(opts: { user?: string; password?: string } = {}): Promise<SmtpInbox> {
  const inbox: SmtpInbox = { port: 0, messages: [], refuse: new Set(), nextData: 'accept', close: async () => {} };
  const options: SMTPServerOptions = {
    disabledCommands: ['STARTTLS', ...(opts.user ? [] : ['AUTH'])],
    authOptional: !opts.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.password) return cb(null, { user: auth.username });
      cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (inbox.refuse.has(address.address)) return cb(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const mode = inbox.nextData;
      inbox.nextData = 'accept';
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (mode === 'tempfail') return cb(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          inbox.messages.push({
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
            mail,
          });
          if (mode !== 'hang') cb();
        });
      });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  inbox.port = (server.server.address() as AddressInfo).port;
  inbox.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return inbox;
}
