import type { RawBuilder, SqlBool } from 'kysely';
import { inTransaction, type AppContext, type Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { conflict, fieldInvalid, notFound, ruleViolation, validationFailed, versionConflict, type FieldError } from '../../server/errors.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { STRING_MAX, type CustomValues, type FieldEntity, type FieldType } from './custom-field-values.js';
import { carryOverValues, mergeValues } from './merge-values.js';
import { buildFilterCondition } from './filter-condition.js';
import { countFields, findField, findFieldByCode, listFields, toApi, toDefinition } from './custom-fields.repo.js';
import type { CreateFieldInput, FieldOptionsInput, UpdateFieldInput } from './custom-fields.schema.js';
import { auditChanges } from '../audit/audit.service.js';

const FIELD_AUDITED = ['entity', 'code', 'name', 'type', 'required', 'options', 'sort'] as const;

export type { CustomValues } from './custom-field-values.js';
export type CustomFieldEntity = FieldEntity;

const MAX_FIELDS_PER_ENTITY = 200;

export class CustomFieldsService {
  constructor(private readonly ctx: AppContext) {}

  /**
   * Merges `input` over `existing` (PATCH semantics; null removes a value), validates every
   * written value against its field and enforces `required` on the result; returns the object
   * to store (JSON.stringify it into the `custom` column). Throws validation_failed with paths
   * `custom.<code>`. `existing` may be the stored JSON text or the parsed object.
   */
  async validate(exec: Executor, actor: Actor, entity: CustomFieldEntity, input: unknown, existing?: CustomValues | string | null): Promise<CustomValues> {
    const workspaceId = actor.workspaceId;
    const fields = (await listFields(exec, workspaceId, entity)).map(toDefinition);
    const stored = typeof existing === 'string' ? (JSON.parse(existing) as CustomValues) : (existing ?? {});
    const { values, errors, userRefs, recordRefs } = mergeValues(fields, input, stored);
    const collect = async (check: Promise<unknown>) => {
      try {
        await check;
      } catch (e) {
        const fieldErrors = (e as { fields?: FieldError[] }).fields;
        if (!fieldErrors?.length) throw e;
        errors.push(...fieldErrors);
      }
    };
    for (const ref of userRefs) await collect(this.ctx.services.users.ensureUser(exec, workspaceId, ref.userId, ref.path));
    // A record link names a record of the workspace the actor may read; a hidden one gets the
    // answer a missing one gets (each module's ensureReadable), so a link reveals nothing.
    const s = this.ctx.services;
    for (const ref of recordRefs) {
      const readable = { deal: s.deals, lead: s.leads, contact: s.contacts, company: s.companies }[ref.entity];
      await collect(readable.ensureReadable(exec, actor, ref.id, ref.path));
    }
    if (errors.length) throw validationFailed(errors, `Invalid custom fields: ${errors.map((f) => `${f.path} ${f.message}`).join('; ')}`.slice(0, 1000));
    return values;
  }

  /**
   * The required fields of `entity` that `stored` (the record's custom values, as stored) holds no
   * value for, in the fields' order. Used where "required" is enforced on a record that already
   * exists, e.g. a deal entering a success stage (see docs/api-conventions.md, "Required fields").
   */
  async missingRequired(exec: Executor, workspaceId: number, entity: CustomFieldEntity, stored: CustomValues | string | null): Promise<Array<{ code: string; name: string }>> {
    const values = typeof stored === 'string' ? (JSON.parse(stored) as CustomValues) : (stored ?? {});
    return (await listFields(exec, workspaceId, entity))
      .map(toDefinition)
      .filter((f) => f.required && (values[f.code] === undefined || values[f.code] === null))
      .map((f) => ({ code: f.code, name: f.name }));
  }

  /**
   * For merges: the kept record's values plus those of `fill` that are valid now (see
   * carryOverValues); a value naming a user who is no longer in the workspace is left behind too.
   */
  async carryOver(exec: Executor, workspaceId: number, entity: CustomFieldEntity, fill: CustomValues, existing: CustomValues): Promise<CustomValues> {
    const fields = (await listFields(exec, workspaceId, entity)).map(toDefinition);
    const { values, userRefs } = carryOverValues(fields, fill, existing);
    for (const ref of userRefs) {
      try {
        await this.ctx.services.users.ensureUser(exec, workspaceId, ref.userId, ref.path);
      } catch (e) {
        if (!(e as { fields?: FieldError[] }).fields) throw e;
        delete values[ref.path.slice('custom.'.length)];
      }
    }
    return values;
  }

  /**
   * The SQL condition of a `custom.<code>=value` list filter (see filter-condition.ts for the
   * semantics per type). `column` is the record's custom column, e.g. 'deals.custom'.
   * Async because it reads the field's definition; an unknown code is a 400 on `custom.<code>`.
   */
  async filterCondition(workspaceId: number, entity: CustomFieldEntity, code: string, rawValue: string | string[], column: string): Promise<RawBuilder<SqlBool>> {
    const row = await findFieldByCode(this.ctx.db.kysely, workspaceId, entity, code);
    if (!row) throw fieldInvalid(`custom.${code}`, `is not a custom field of ${entity}`);
    return buildFilterCondition(this.ctx.db.dialect, toDefinition(row), rawValue, column);
  }

  /** Field definitions, for forms and list columns: every user of the workspace may read them. */
  async list(workspaceId: number, entity?: CustomFieldEntity, exec: Executor = this.ctx.db.kysely) {
    return (await listFields(exec, workspaceId, entity)).map(toApi);
  }

  async get(workspaceId: number, id: number) {
    const row = await findField(this.ctx.db.kysely, workspaceId, id);
    if (!row) throw notFound('Custom field');
    return toApi(row);
  }

  async create(actor: Actor, input: CreateFieldInput, exec?: Executor) {
    requireAdmin(actor);
    const options = checkOptions(input.type, input.options ?? {});
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      if (await findFieldByCode(trx, actor.workspaceId, input.entity, input.code)) {
        throw conflict(`A ${input.entity} field with code ${input.code} already exists`, [{ path: 'code', message: 'already taken for this entity' }]);
      }
      if ((await countFields(trx, actor.workspaceId, input.entity)) >= MAX_FIELDS_PER_ENTITY) {
        throw ruleViolation('too_many_custom_fields', `A ${input.entity} may have at most ${MAX_FIELDS_PER_ENTITY} custom fields`, [], { max: MAX_FIELDS_PER_ENTITY });
      }
      const now = nowIso(this.ctx.clock);
      const row = await trx
        .insertInto('custom_fields')
        .values({
          workspace_id: actor.workspaceId,
          entity: input.entity,
          code: input.code,
          name: input.name,
          type: input.type,
          required: input.required ? 1 : 0,
          options: JSON.stringify(options),
          sort: input.sort ?? 0,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const created = toApi(row);
      await this.ctx.services.audit.record(trx, actor.workspaceId, actor.userId, { entityType: 'custom_field', entityId: row.id, action: 'created', changes: auditChanges(null, created, FIELD_AUDITED) });
      return created;
    });
  }

  async update(actor: Actor, id: number, input: UpdateFieldInput, version: number, exec?: Executor) {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const current = await findField(trx, actor.workspaceId, id);
      if (!current) throw notFound('Custom field');
      if (input.type !== undefined && input.type !== current.type) {
        throw ruleViolation('custom_field_type_fixed', 'The type of a custom field cannot change: stored values would no longer match it', [{ path: 'type', message: 'cannot change' }]);
      }
      const options = input.options === undefined ? undefined : checkOptions(current.type as FieldType, input.options);
      const res = await trx
        .updateTable('custom_fields')
        .set((eb) => ({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.required !== undefined && { required: input.required ? 1 : 0 }),
          ...(options !== undefined && { options: JSON.stringify(options) }),
          ...(input.sort !== undefined && { sort: input.sort }),
          updated_at: nowIso(this.ctx.clock),
          version: eb('version', '+', 1),
        }))
        .where('workspace_id', '=', actor.workspaceId)
        .where('id', '=', id)
        .where('version', '=', version)
        .returningAll()
        .executeTakeFirst();
      if (!res) throw versionConflict(toApi(current));
      const after = toApi(res);
      const changes = auditChanges(toApi(current), after, FIELD_AUDITED);
      if (Object.keys(changes).length) await this.ctx.services.audit.record(trx, actor.workspaceId, actor.userId, { entityType: 'custom_field', entityId: id, action: 'updated', changes });
      return after;
    });
  }

  /** Removes the definition; values already stored in records are dropped on their next write. */
  async delete(actor: Actor, id: number, exec?: Executor): Promise<void> {
    requireAdmin(actor);
    await inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const current = await findField(trx, actor.workspaceId, id);
      if (!current) throw notFound('Custom field');
      await trx.deleteFrom('custom_fields').where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute();
      await this.ctx.services.audit.record(trx, actor.workspaceId, actor.userId, { entityType: 'custom_field', entityId: id, action: 'deleted', changes: auditChanges(toApi(current), null, FIELD_AUDITED) });
    });
  }
}

/** Which options each type takes: choices for lists, recordEntity for record links, maxLength for strings. */
function checkOptions(type: FieldType, options: FieldOptionsInput): FieldOptionsInput {
  const errors: FieldError[] = [];
  const isList = type === 'list' || type === 'multilist';
  if (isList && !options.choices) errors.push({ path: 'options.choices', message: `is required for a ${type} field` });
  if (!isList && options.choices) errors.push({ path: 'options.choices', message: `only list and multilist fields have choices` });
  if (options.choices) {
    const seen = new Set<string>();
    options.choices.forEach((c, i) => {
      if (seen.has(c.id)) errors.push({ path: `options.choices[${i}].id`, message: 'repeats another choice id' });
      seen.add(c.id);
    });
  }
  if (type === 'record' && !options.recordEntity) errors.push({ path: 'options.recordEntity', message: 'is required for a record field' });
  if (type !== 'record' && options.recordEntity) errors.push({ path: 'options.recordEntity', message: 'only record fields link to an entity' });
  if (options.maxLength !== undefined) {
    if (type !== 'string' && type !== 'text') errors.push({ path: 'options.maxLength', message: 'only string and text fields have a maximum length' });
    else if (type === 'string' && options.maxLength > STRING_MAX) errors.push({ path: 'options.maxLength', message: `must be at most ${STRING_MAX} for a string field` });
  }
  if (errors.length) throw validationFailed(errors);
  return options;
}
