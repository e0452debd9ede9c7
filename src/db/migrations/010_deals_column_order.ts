import type { Kysely } from 'kysely';

// A stage column in board order without the pipeline in front: every create and every move to
// the top or bottom of a column looks up the column's first or last key by stage alone, which
// the (workspace, pipeline, stage, position) board index cannot answer in order on PostgreSQL
// and answered by sorting the whole column (~250 ms at 100k cards) on SQLite. A stage belongs to
// one pipeline, so this index also serves every board column read and replaces the old one
// (one index less for each deal write).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('deals_stage_position_idx').on('deals').columns(['workspace_id', 'stage_id', 'position', 'id']).execute();
  await db.schema.dropIndex('deals_board_idx').execute();
}
