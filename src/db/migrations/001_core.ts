import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The core CRM schema. Every table carries workspace_id and every index starts with it:
// that keeps tenants apart and lets a later Citus cluster distribute by workspace_id.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';
  const create = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', pgsql ? 'serial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()));
  const audited = (t: CreateTableBuilder<any, any>) =>
    t
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1));
  const ws = (t: CreateTableBuilder<any, any>) =>
    t.addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'));

  await audited(
    create('workspaces')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('crm_mode', 'text', (c) => c.notNull().defaultTo('with_leads'))
      .addColumn('currency', 'text', (c) => c.notNull().defaultTo('RUB'))
      .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Moscow'))
      .addColumn('locale', 'text', (c) => c.notNull().defaultTo('ru')),
  ).execute();

  await audited(
    ws(create('departments'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'integer', (c) => c.references('departments.id'))
      .addColumn('head_id', 'integer'),
  ).execute();

  await audited(
    ws(create('users'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('position', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('locale', 'text', (c) => c.notNull().defaultTo('ru'))
      .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Moscow'))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('department_id', 'integer', (c) => c.references('departments.id')),
  ).execute();
  // Log-in is by e-mail alone, so an e-mail belongs to one user across all workspaces.
  await db.schema.createIndex('users_email_uq').on('users').column('email').unique().execute();
  await db.schema.createIndex('users_ws_dept_idx').on('users').columns(['workspace_id', 'department_id']).execute();

  await audited(
    ws(create('roles'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('code', 'text')
      .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();

  await ws(create('role_permissions'))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('pipeline_id', 'integer')
    .execute();
  await db.schema.createIndex('role_permissions_role_idx').on('role_permissions').columns(['workspace_id', 'role_id']).execute();

  await db.schema
    .createTable('user_roles')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_roles_pk', ['workspace_id', 'user_id', 'role_id'])
    .execute();

  await ws(create('sessions'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_seen_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['workspace_id', 'user_id']).execute();

  await ws(create('api_tokens'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_used_at', ts)
    .addColumn('revoked_at', ts)
    .execute();

  await create('login_attempts')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_email_idx').on('login_attempts').columns(['email', 'created_at']).execute();
  await db.schema.createIndex('login_attempts_ip_idx').on('login_attempts').columns(['ip', 'created_at']).execute();

  await audited(
    ws(create('reference_items'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('semantic', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)),
  ).execute();
  await db.schema.createIndex('reference_items_kind_idx').on('reference_items').columns(['workspace_id', 'kind', 'sort']).execute();

  await audited(
    ws(create('pipelines'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();

  await audited(
    ws(create('stages'))
      .addColumn('pipeline_id', 'integer', (c) => c.notNull().references('pipelines.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('color', 'text', (c) => c.notNull())
      .addColumn('semantic', 'text', (c) => c.notNull())
      .addColumn('sort', 'integer', (c) => c.notNull())
      .addColumn('requires_loss_reason', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();
  await db.schema.createIndex('stages_pipeline_idx').on('stages').columns(['workspace_id', 'pipeline_id', 'sort']).execute();

  const personCols = (t: CreateTableBuilder<any, any>) =>
    t
      .addColumn('responsible_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('created_by_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('comment', 'text')
      .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''));

  await audited(
    personCols(
      ws(create('contacts'))
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('middle_name', 'text')
        .addColumn('position', 'text')
        .addColumn('birthday', 'text')
        .addColumn('type_id', 'integer')
        .addColumn('source_id', 'integer'),
    ),
  ).execute();
  await db.schema.createIndex('contacts_resp_idx').on('contacts').columns(['workspace_id', 'responsible_id', 'id']).execute();
  await db.schema.createIndex('contacts_updated_idx').on('contacts').columns(['workspace_id', 'updated_at', 'id']).execute();

  await audited(
    personCols(
      ws(create('companies'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type_id', 'integer')
        .addColumn('industry_id', 'integer')
        .addColumn('website', 'text')
        .addColumn('address', 'text')
        .addColumn('requisites', 'text', (c) => c.notNull().defaultTo('{}')),
    ),
  ).execute();
  await db.schema.createIndex('companies_resp_idx').on('companies').columns(['workspace_id', 'responsible_id', 'id']).execute();
  await db.schema.createIndex('companies_updated_idx').on('companies').columns(['workspace_id', 'updated_at', 'id']).execute();

  await db.schema
    .createTable('contact_companies')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('contact_companies_pk', ['workspace_id', 'contact_id', 'company_id'])
    .execute();
  await db.schema.createIndex('contact_companies_company_idx').on('contact_companies').columns(['workspace_id', 'company_id']).execute();

  await ws(create('communications'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('communications_owner_idx').on('communications').columns(['workspace_id', 'entity_type', 'entity_id']).execute();
  await db.schema.createIndex('communications_value_idx').on('communications').columns(['workspace_id', 'kind', 'normalized']).execute();

  await audited(
    personCols(
      ws(create('leads'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('middle_name', 'text')
        .addColumn('company_name', 'text')
        .addColumn('position', 'text')
        .addColumn('status_id', 'integer', (c) => c.notNull())
        .addColumn('status_semantic', 'text', (c) => c.notNull())
        .addColumn('source_id', 'integer')
        .addColumn('amount', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('currency', 'text', (c) => c.notNull().defaultTo('RUB'))
        .addColumn('utm_source', 'text')
        .addColumn('utm_medium', 'text')
        .addColumn('utm_campaign', 'text')
        .addColumn('utm_content', 'text')
        .addColumn('utm_term', 'text')
        .addColumn('converted_at', ts)
        .addColumn('converted_deal_id', 'integer')
        .addColumn('converted_contact_id', 'integer')
        .addColumn('converted_company_id', 'integer'),
    ),
  ).execute();
  await db.schema.createIndex('leads_status_idx').on('leads').columns(['workspace_id', 'status_id', 'id']).execute();
  await db.schema.createIndex('leads_resp_idx').on('leads').columns(['workspace_id', 'responsible_id', 'id']).execute();
  await db.schema.createIndex('leads_updated_idx').on('leads').columns(['workspace_id', 'updated_at', 'id']).execute();

  await audited(
    personCols(
      ws(create('deals'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('pipeline_id', 'integer', (c) => c.notNull().references('pipelines.id'))
        .addColumn('stage_id', 'integer', (c) => c.notNull().references('stages.id'))
        .addColumn('stage_semantic', 'text', (c) => c.notNull())
        .addColumn('position', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('currency', 'text', (c) => c.notNull().defaultTo('RUB'))
        .addColumn('company_id', 'integer', (c) => c.references('companies.id').onDelete('set null'))
        .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
        .addColumn('source_id', 'integer')
        .addColumn('loss_reason_id', 'integer')
        .addColumn('lead_id', 'integer')
        .addColumn('close_date', 'text')
        .addColumn('probability', 'integer')
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('closed_at', ts)
        .addColumn('stage_changed_at', ts, (c) => c.notNull())
        .addColumn('next_activity_id', 'integer')
        .addColumn('next_activity_deadline', ts),
    ),
  ).execute();
  // The board: one column = (pipeline, stage) ordered by position; the covering columns let
  // counts and sums per currency come from the index alone.
  await db.schema
    .createIndex('deals_board_idx')
    .on('deals')
    .columns(['workspace_id', 'pipeline_id', 'stage_id', 'position', 'id'])
    .execute();
  await db.schema
    .createIndex('deals_stage_sum_idx')
    .on('deals')
    .columns(['workspace_id', 'stage_id', 'responsible_id', 'currency', 'amount'])
    .execute();
  await db.schema
    .createIndex('deals_resp_idx')
    .on('deals')
    .columns(['workspace_id', 'responsible_id', 'stage_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('deals_updated_idx').on('deals').columns(['workspace_id', 'updated_at', 'id']).execute();
  await db.schema.createIndex('deals_created_idx').on('deals').columns(['workspace_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('deals_company_idx').on('deals').columns(['workspace_id', 'company_id']).execute();
  await db.schema.createIndex('deals_contact_idx').on('deals').columns(['workspace_id', 'contact_id']).execute();
  await db.schema.createIndex('deals_next_activity_idx').on('deals').columns(['workspace_id', 'next_activity_deadline']).execute();

  await db.schema
    .createTable('deal_contacts')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('deal_id', 'integer', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('deal_contacts_pk', ['workspace_id', 'deal_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('deal_contacts_contact_idx').on('deal_contacts').columns(['workspace_id', 'contact_id']).execute();

  await db.schema
    .createTable('deal_observers')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('deal_id', 'integer', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('deal_observers_pk', ['workspace_id', 'deal_id', 'user_id'])
    .execute();
  await db.schema.createIndex('deal_observers_user_idx').on('deal_observers').columns(['workspace_id', 'user_id', 'deal_id']).execute();

  await db.schema
    .createTable('deal_tags')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('deal_id', 'integer', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deal_tags_pk', ['workspace_id', 'deal_id', 'tag'])
    .execute();
  await db.schema.createIndex('deal_tags_tag_idx').on('deal_tags').columns(['workspace_id', 'tag', 'deal_id']).execute();

  await ws(create('deal_products'))
    .addColumn('deal_id', 'integer', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'integer')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('price', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'text', (c) => c.notNull())
    .addColumn('unit_code', 'text')
    .addColumn('unit_name', 'text')
    .addColumn('discount_type', 'text')
    .addColumn('discount_value', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('vat_rate', 'text', (c) => c.notNull())
    .addColumn('vat_included', 'integer', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('vat_amount', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deal_products_deal_idx').on('deal_products').columns(['workspace_id', 'deal_id', 'sort']).execute();

  await ws(create('deal_stage_history'))
    .addColumn('deal_id', 'integer', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('pipeline_id', 'integer', (c) => c.notNull())
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('stage_semantic', 'text', (c) => c.notNull())
    .addColumn('entered_at', ts, (c) => c.notNull())
    .addColumn('entered_by_id', 'integer')
    .addColumn('exited_at', ts)
    .addColumn('exited_by_id', 'integer')
    .execute();
  await db.schema.createIndex('deal_stage_history_deal_idx').on('deal_stage_history').columns(['workspace_id', 'deal_id', 'entered_at']).execute();
  await db.schema.createIndex('deal_stage_history_stage_idx').on('deal_stage_history').columns(['workspace_id', 'stage_id', 'entered_at']).execute();

  await audited(
    ws(create('products'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sku', 'text')
      .addColumn('unit_code', 'text')
      .addColumn('unit_name', 'text')
      .addColumn('price', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('currency', 'text', (c) => c.notNull().defaultTo('RUB'))
      .addColumn('vat_rate', 'text', (c) => c.notNull().defaultTo('none'))
      .addColumn('vat_included', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)),
  ).execute();
  await db.schema.createIndex('products_name_idx').on('products').columns(['workspace_id', 'name']).execute();

  await audited(
    ws(create('activities'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('start_at', ts)
      .addColumn('deadline_at', ts)
      .addColumn('responsible_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('created_by_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('entity_type', 'text')
      .addColumn('entity_id', 'integer')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('planned'))
      .addColumn('result', 'text')
      .addColumn('completed_at', ts)
      .addColumn('completed_by_id', 'integer')
      .addColumn('direction', 'text'),
  ).execute();
  await db.schema.createIndex('activities_owner_idx').on('activities').columns(['workspace_id', 'entity_type', 'entity_id', 'status']).execute();
  await db.schema.createIndex('activities_resp_idx').on('activities').columns(['workspace_id', 'responsible_id', 'status', 'deadline_at']).execute();

  await ws(create('timeline_entries'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('timeline_owner_idx').on('timeline_entries').columns(['workspace_id', 'entity_type', 'entity_id', 'id']).execute();

  await audited(
    ws(create('custom_fields'))
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();
  await db.schema.createIndex('custom_fields_code_uq').on('custom_fields').columns(['workspace_id', 'entity', 'code']).unique().execute();

  if (pgsql) {
    // Trigram indexes make substring search on names, phones and e-mails an index scan.
    await sql`create extension if not exists pg_trgm`.execute(db);
    for (const t of ['deals', 'contacts', 'companies', 'leads']) {
      await sql.raw(`create index ${t}_search_trgm on ${t} using gin (search_text gin_trgm_ops)`).execute(db);
    }
  }
}
