import { openDb } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig, redactUrl } from '../../server/config.js';

export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  const db = openDb(config.databaseUrl);
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    console.log(`database: ${db.dialect} ${redactUrl(config.databaseUrl)}`);
  } finally {
    await db.close();
  }
}
