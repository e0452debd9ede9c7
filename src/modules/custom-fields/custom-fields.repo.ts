import type { Selectable } from 'kysely';
import type { Executor } from '../../server/context.js';
import type { CustomFieldsTable } from '../../db/schema.js';
import type { FieldDefinition, FieldEntity, FieldOptions, FieldType } from './custom-field-values.js';

export type FieldRow = Selectable<CustomFieldsTable>;

export function toDefinition(row: FieldRow): FieldDefinition {
  return {
    id: row.id,
    entity: row.entity as FieldEntity,
    code: row.code,
    name: row.name,
    type: row.type as FieldType,
    required: row.required === 1,
    options: JSON.parse(row.options) as FieldOptions,
  };
}

export function toApi(row: FieldRow) {
  return {
    ...toDefinition(row),
    sort: row.sort,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export const listFields = (exec: Executor, workspaceId: number, entity?: FieldEntity) => {
  let q = exec.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId);
  if (entity) q = q.where('entity', '=', entity);
  return q.orderBy('entity').orderBy('sort').orderBy('id').execute();
};

export const findField = (exec: Executor, workspaceId: number, id: number) =>
  exec.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const findFieldByCode = (exec: Executor, workspaceId: number, entity: string, code: string) =>
  exec
    .selectFrom('custom_fields')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('entity', '=', entity)
    .where('code', '=', code)
    .executeTakeFirst();

export const countFields = async (exec: Executor, workspaceId: number, entity: string) =>
  Number(
    (
      await exec
        .selectFrom('custom_fields')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('entity', '=', entity)
        .executeTakeFirstOrThrow()
    ).n,
  );
