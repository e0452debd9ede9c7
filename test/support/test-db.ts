import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db, type DialectName } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** The databases the integration suite runs on: SQLite always, PostgreSQL when a URL is given. */
export function testDialects(): DialectName[] {
  return process.env.VORONKA_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
};

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function createPgTemplate(url: string): Promise<string> {
  const name = `voronka_tpl_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `create database ${name}`);
  const db = openDb(withDatabase(url, name), { poolSize: 1 });
  await migrateToLatest(db);
  await db.close();
  return name;
}

export async function dropPgTemplate(url: string, name: string): Promise<void> {
  await adminQuery(url, `drop database if exists ${name} with (force)`);
}

export interface TestDb {
  db: Db;
  url: string;
  destroy(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDb(dialect: DialectName): Promise<TestDb> {
  if (dialect === 'postgres') {
    const base = process.env.VORONKA_TEST_PG_URL!;
    const name = `voronka_t_${randomBytes(6).toString('hex')}`;
    const template = process.env.VORONKA_TEST_PG_TEMPLATE;
    await adminQuery(base, template ? `create database ${name} template ${template}` : `create database ${name}`);
    const url = withDatabase(base, name);
    const db = openDb(url, { poolSize: 8 });
    if (!template) await migrateToLatest(db);
    return {
      db,
      url,
      destroy: async () => {
        await db.close();
        await dropPgTemplate(base, name);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-test-'));
  const url = `sqlite:${path.join(dir, 'test.db')}`;
  // checkpoints in a thread, as the server's own connection has them (start-server.ts)
  const db = openDb(url, { backgroundCheckpoint: true });
  await migrateToLatest(db);
  return {
    db,
    url,
    destroy: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
