// Where the benchmark database lives, and how to start it afresh.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export type BenchDb = 'sqlite' | 'postgres';

export interface Target {
  db: BenchDb;
  /** what the server gets as DATABASE_URL */
  url: string;
  /** SQLite only: the database file */
  file?: string;
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const BENCH_DATA_DIR = path.join(REPO_ROOT, 'data', 'bench');

const PG_SERVER = 'postgres://root@127.0.0.1:5432';
/** `VORONKA_BENCH_PG_DB` names another database, so that two checkouts on one server do not drop each other's */
const PG_BENCH_DB = process.env.VORONKA_BENCH_PG_DB ?? 'voronka_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(PG_BENCH_DB)) throw new Error(`VORONKA_BENCH_PG_DB: not a plain database name: ${PG_BENCH_DB}`);
/** an existing database to connect to while dropping and creating the benchmark one */
const PG_MAINTENANCE_DB = 'test';

export function resolveTarget(db: BenchDb): Target {
  if (db === 'postgres') return { db, url: `${PG_SERVER}/${PG_BENCH_DB}` };
  const file = path.join(BENCH_DATA_DIR, 'voronka-bench.db');
  return { db, url: `sqlite:${file}`, file };
}

/** Metadata of the last generation, kept beside the data so that `--keep` runs can report it. */
export const generationInfoFile = (t: Target): string => path.join(BENCH_DATA_DIR, `${t.db}-generation.json`);

export async function databaseExists(t: Target): Promise<boolean> {
  if (t.db === 'sqlite') return fs.existsSync(t.file!);
  const client = new pg.Client({ connectionString: `${PG_SERVER}/${PG_MAINTENANCE_DB}` });
  await client.connect();
  try {
    const r = await client.query('select 1 from pg_database where datname = $1', [PG_BENCH_DB]);
    return r.rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Deletes the SQLite file (and its WAL) or drops and re-creates the PostgreSQL database. */
export async function freshDatabase(t: Target): Promise<void> {
  fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
  fs.rmSync(generationInfoFile(t), { force: true });
  if (t.db === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(t.file! + suffix, { force: true });
    return;
  }
  const client = new pg.Client({ connectionString: `${PG_SERVER}/${PG_MAINTENANCE_DB}` });
  await client.connect();
  try {
    await client.query(`drop database if exists ${PG_BENCH_DB} with (force)`);
    await client.query(`create database ${PG_BENCH_DB}`);
  } finally {
    await client.end();
  }
}
