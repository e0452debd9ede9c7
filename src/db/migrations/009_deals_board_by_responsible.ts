import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// A board column read under a restricted scope (a manager's own deals, a head's department):
// one ordered walk per responsible, (stage, responsible) → position, id, merged by the board
// (src/modules/deals/board-column.ts). Without it the database gathers all of the scope's deals in
// the stage and sorts them for every column.
export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createIndex('deals_board_resp_idx')
    .on('deals')
    .columns(['workspace_id', 'stage_id', 'responsible_id', 'position', 'id'])
    .execute();
}
