import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from '../../db/connection.js';
import { fieldInvalid } from '../../server/errors.js';
import { canonicalDecimal, isCalendarDate, normalizeDateTime, type FieldDefinition } from './custom-field-values.js';

// `custom.<code>=value` list filters as SQL over the record's `custom` JSON text column.
// Repeating the parameter (or a comma list) means "any of these values". Semantics per type:
//   string/text/list/date: equal; number: equal as a decimal; money: `amount` or `amount:CUR`;
//   datetime: the exact instant, or a `YYYY-MM-DD` for that UTC day; boolean: `true` / `false`
//   (false also matches records where the flag was never set); multilist: contains the choice;
//   user/record: equal id.

/** The JSON value at `$.<code>` as text (SQLite returns 1/0 for booleans, numbers as numbers). */
function jsonText(dialect: DialectName, column: string, code: string): RawBuilder<unknown> {
  return dialect === 'postgres'
    ? sql`(${sql.ref(column)}::jsonb ->> ${sql.lit(code)})`
    : sql`json_extract(${sql.ref(column)}, ${sql.lit('$.' + code)})`;
}

function jsonPath(dialect: DialectName, column: string, code: string, key: string): RawBuilder<unknown> {
  return dialect === 'postgres'
    ? sql`(${sql.ref(column)}::jsonb -> ${sql.lit(code)} ->> ${sql.lit(key)})`
    : sql`json_extract(${sql.ref(column)}, ${sql.lit(`$.${code}.${key}`)})`;
}

const anyOf = (parts: RawBuilder<SqlBool>[]): RawBuilder<SqlBool> =>
  parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;

/** Splits `?custom.x=a&custom.x=b` / `?custom.x=a,b` into values (commas are list separators except for text). */
export function filterValues(field: FieldDefinition, raw: string | string[]): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  const split = field.type === 'string' || field.type === 'text' ? list : list.flatMap((v) => v.split(','));
  const values = split.map((v) => v.trim()).filter((v) => v !== '');
  if (values.length === 0 || values.length > 100) throw fieldInvalid(`custom.${field.code}`, 'must carry 1–100 values');
  return values;
}

/**
 * The condition for one custom-field filter. `column` is a trusted column reference such as
 * 'deals.custom'; the field code comes from the field's definition (validated ^[a-z][a-z0-9_]*$),
 * so inlining it as a literal is safe and lets PostgreSQL use expression indexes.
 */
export function buildFilterCondition(dialect: DialectName, field: FieldDefinition, raw: string | string[], column: string): RawBuilder<SqlBool> {
  const path = `custom.${field.code}`;
  const values = filterValues(field, raw);
  const value = jsonText(dialect, column, field.code);
  const pg = dialect === 'postgres';

  const each = (v: string): RawBuilder<SqlBool> => {
    switch (field.type) {
      case 'string':
      case 'text':
        return sql<SqlBool>`${value} = ${v}`;
      case 'number': {
        const c = canonicalDecimal(v);
        if (c === null) throw fieldInvalid(path, 'must be a decimal number');
        return sql<SqlBool>`${value} = ${c}`;
      }
      case 'money': {
        const m = /^(-?\d{1,16})(?::([A-Z]{3}))?$/.exec(v);
        if (!m) throw fieldInvalid(path, 'must be an amount in minor units, optionally with a currency: 150000:RUB');
        const amount = Number(m[1]);
        const amountCond = pg
          ? sql<SqlBool>`${jsonPath(dialect, column, field.code, 'amount')} = ${String(amount)}`
          : sql<SqlBool>`${jsonPath(dialect, column, field.code, 'amount')} = ${amount}`;
        return m[2] ? sql<SqlBool>`(${amountCond} and ${jsonPath(dialect, column, field.code, 'currency')} = ${m[2]})` : amountCond;
      }
      case 'date':
        if (!isCalendarDate(v)) throw fieldInvalid(path, 'must be a date YYYY-MM-DD');
        return sql<SqlBool>`${value} = ${v}`;
      case 'datetime': {
        if (isCalendarDate(v)) return sql<SqlBool>`substr(${value}, 1, 10) = ${v}`;
        const iso = normalizeDateTime(v);
        if (!iso) throw fieldInvalid(path, 'must be a date YYYY-MM-DD or an ISO 8601 time');
        return sql<SqlBool>`${value} = ${iso}`;
      }
      case 'boolean': {
        if (v !== 'true' && v !== 'false') throw fieldInvalid(path, 'must be true or false');
        const stored = pg ? sql`${v}` : sql`${v === 'true' ? 1 : 0}`;
        return v === 'true' ? sql<SqlBool>`${value} = ${stored}` : sql<SqlBool>`(${value} is null or ${value} = ${stored})`;
      }
      case 'list':
        if (!(field.options.choices ?? []).some((c) => c.id === v)) throw fieldInvalid(path, `is not one of the choices of ${field.code}`);
        return sql<SqlBool>`${value} = ${v}`;
      case 'multilist':
        if (!(field.options.choices ?? []).some((c) => c.id === v)) throw fieldInvalid(path, `is not one of the choices of ${field.code}`);
        return pg
          ? sql<SqlBool>`coalesce((${sql.ref(column)}::jsonb -> ${sql.lit(field.code)}) @> ${JSON.stringify([v])}::jsonb, false)`
          : sql<SqlBool>`exists (select 1 from json_each(${sql.ref(column)}, ${sql.lit('$.' + field.code)}) where json_each.value = ${v})`;
      case 'user':
      case 'record': {
        if (!/^\d{1,10}$/.test(v) || Number(v) < 1 || Number(v) > 2 ** 31 - 1) throw fieldInvalid(path, 'must be an id (positive integer)');
        return pg ? sql<SqlBool>`${value} = ${String(Number(v))}` : sql<SqlBool>`${value} = ${Number(v)}`;
      }
    }
  };
  return anyOf(values.map(each));
}
