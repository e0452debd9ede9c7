// Runs the real server as a child process (`npx tsx src/cli/main.ts start`) on a free
// 127.0.0.1 port, waits for /api/health, finds the node process that actually serves
// (npx and tsx each add a parent process) and reads its memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BENCH_DATA_DIR, REPO_ROOT, type Target } from './target.js';

export const ADMIN_EMAIL = 'admin@bench.local';
export const ADMIN_PASSWORD = 'bench-admin-password-0123456789';

export interface ServerHandle {
  baseUrl: string;
  port: number;
  /** pid of the process listening on the port */
  servingPid: number;
  logFile: string;
  memory(): { rssMb: number; peakRssMb: number };
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const serverEntryExists = (dir = REPO_ROOT): boolean => fs.existsSync(path.join(dir, 'src/cli/main.ts'));

/**
 * `serverDir`: the checkout whose server to run (default this one), e.g. to compare a change on the
 * same data; `nodeArgs`: options for node itself (e.g. `--cpu-prof`, which NODE_OPTIONS refuses):
 * then node runs tsx's loader directly instead of going through npx.
 */
export async function startServer(t: Target, label: string, serverDir = REPO_ROOT, nodeArgs: string[] = []): Promise<ServerHandle> {
  if (!serverEntryExists(serverDir)) throw new Error(`${serverDir}/src/cli/main.ts does not exist: the HTTP part needs the server`);
  const port = await freePort();
  fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
  const logFile = path.join(BENCH_DATA_DIR, `server-${t.db}-${label}.log`);
  const out = fs.openSync(logFile, 'w');
  const [command, args] = nodeArgs.length
    ? [process.execPath, [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'start']]
    : ['npx', ['tsx', 'src/cli/main.ts', 'start']];
  const child = spawn(command, args, {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      VORONKA_ADMIN_EMAIL: ADMIN_EMAIL,
      VORONKA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', out, out],
    detached: true, // its own process group, so that stop() ends npx, tsx and the server together
  });
  fs.closeSync(out);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`server exited with ${exited} before it was healthy; log ${logFile}:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`server not healthy after 180 s; log ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const servingPid = findListeningPid(child.pid!, port) ?? deepestDescendant(child.pid!);
  return {
    baseUrl,
    port,
    servingPid,
    logFile,
    memory: () => readMemory(servingPid),
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid!, 'SIGTERM'); // the group created by detached: true
  } catch {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 15_000);
  await done;
  clearTimeout(timer);
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function readMemory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/** pid → parent pid for every process we can see */
function processTree(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  return parents;
}

function descendants(root: number): number[] {
  const parents = processTree();
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) if (parent === pid) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

function deepestDescendant(root: number): number {
  const all = descendants(root);
  return all.length ? all[all.length - 1] : root;
}

/** The process among root and its descendants that holds the listening socket of the port. */
function findListeningPid(root: number, port: number): number | undefined {
  const inodes = new Set<string>();
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[1].endsWith(`:${portHex}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  for (const pid of [root, ...descendants(root)]) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m && inodes.has(m[1])) return pid;
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return undefined;
}
