import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Deals: board keys must sort byte-wise, and the list's amount sort needs its index.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'postgres') {
    // Fractional-index keys mix upper and lower case ("Zz" < "a0" byte-wise); a linguistic
    // collation would order them differently from the key generator. SQLite compares bytes already.
    // Changing the collation rebuilds deals_board_idx with it.
    await sql`alter table deals alter column position type text collate "C"`.execute(db);
  }
  await db.schema.createIndex('deals_amount_idx').on('deals').columns(['workspace_id', 'amount', 'id']).execute();
}
