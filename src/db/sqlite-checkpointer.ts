import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// WAL checkpoints of the server's SQLite file, in a worker thread with its own connection.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses `wal_autocheckpoint` pages,
// on the committing connection: it copies the WAL back into the database file and fsyncs both.
// better-sqlite3 is synchronous, so that commit blocks the event loop — every request waits —
// for tens of milliseconds (measured: 40–60 ms at 1M deals, one commit in sixty; a deal create
// touches ~17 pages). A PASSIVE checkpoint from another connection does the same work without
// taking the write lock, so it runs beside the writer on the other core and the event loop only
// appends to the WAL. The app's own connection keeps a high `wal_autocheckpoint` (see
// connection.ts) as a fallback should this thread lag or die.

const CHECKPOINT_EVERY_MS = 200;

/** Runs in the worker (plain CommonJS, so that it needs no TypeScript loader). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.log > 0) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface CheckpointResult {
  /** frames in the WAL, and how many of them are now in the database file */
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** called after each checkpoint that found frames in the WAL (tests wait on it) */
  onCheckpoint: ((r: CheckpointResult) => void) | null;
  onError: ((message: string) => void) | null;
  /** a last checkpoint, then the thread ends */
  close(): Promise<void>;
}

export function startCheckpointer(file: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref(); // never keeps the process alive on its own
  let exited = false;
  const gone = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  const cp: Checkpointer = {
    onCheckpoint: null,
    onError: null,
    close: async () => {
      if (!exited) worker.postMessage('close');
      await gone;
    },
  };
  worker.on('message', (m: CheckpointResult & { error?: string }) => {
    if (m.error !== undefined) cp.onError?.(m.error);
    else cp.onCheckpoint?.(m);
  });
  worker.on('error', (err) => cp.onError?.(err.message));
  return cp;
}
