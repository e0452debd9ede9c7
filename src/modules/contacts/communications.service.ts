import { sql, type SqlBool, type RawBuilder } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { AppContext, Executor } from '../../server/context.js';
import { validationFailed, type FieldError } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import { scopeFilter } from '../permissions/record-scope.js';
import { EMAIL_TYPES, nameKey, normalizeEmail, normalizePhone, PHONE_TYPES } from '../../shared/communications.js';

export type CommunicationOwner = 'contact' | 'company' | 'lead';

export interface CommunicationInput {
  value: string;
  type?: string;
}

export interface Communication {
  value: string;
  type: string;
  normalized: string;
}

export interface Communications {
  phones: Communication[];
  emails: Communication[];
}

export interface DuplicateQuery {
  phones?: Array<CommunicationInput | string>;
  emails?: Array<CommunicationInput | string>;
  /** a person's name: matched against contacts' full names (case-insensitive) */
  name?: string | null;
  /** matched against companies' names (case-insensitive) */
  companyName?: string | null;
  /** the record being written, so that it does not match itself */
  excludeType?: CommunicationOwner;
  excludeId?: number;
}

export interface Duplicate {
  entity: CommunicationOwner;
  id: number;
  matchedBy: 'phone' | 'email' | 'name';
}

const MAX_DUPLICATES = 50;

/**
 * A name in every word order ("Иван Петров" is "Петров Иван"): contacts store the key as
 * last-first-middle, other modules may write a person's name first-name first.
 */
export function nameOrders(key: string): string[] {
  if (!key) return [];
  const words = key.split(' ');
  if (words.length > 3) return [key];
  const orders = (ws: string[]): string[][] => (ws.length <= 1 ? [ws] : ws.flatMap((w, i) => orders([...ws.slice(0, i), ...ws.slice(i + 1)]).map((rest) => [w, ...rest])));
  return [...new Set(orders(words).map((o) => o.join(' ')))];
}
const empty = (): Communications => ({ phones: [], emails: [] });

/**
 * The communications table: phones and e-mails of contacts, companies and leads, each with a
 * normalised value (E.164 / lower-cased) that duplicate detection and search use.
 */
export interface CommunicationRow {
  kind: 'phone' | 'email';
  type: string;
  value: string;
  normalized: string;
  sort: number;
}

export class CommunicationsService {
  constructor(private readonly ctx: AppContext) {}

  normalizePhone(raw: string, defaultRegion: CountryCode = 'RU'): string | null {
    return normalizePhone(raw, defaultRegion);
  }

  normalizeEmail(raw: string): string | null {
    return normalizeEmail(raw);
  }

  /**
   * Validates and normalises lists from a request; invalid entries throw one 400 listing
   * every bad path (`phones[0].value`). Repeats of a number or address are dropped.
   */
  prepare(phones: CommunicationInput[] = [], emails: CommunicationInput[] = []): Communications {
    const errors: FieldError[] = [];
    const out = empty();
    const take = (list: CommunicationInput[], kind: 'phones' | 'emails') => {
      const seen = new Set<string>();
      const types: readonly string[] = kind === 'phones' ? PHONE_TYPES : EMAIL_TYPES;
      list.forEach((item, i) => {
        const normalized = kind === 'phones' ? normalizePhone(item.value) : normalizeEmail(item.value);
        const type = item.type ?? 'work';
        if (!normalized) errors.push({ path: `${kind}[${i}].value`, message: kind === 'phones' ? 'is not a valid phone number' : 'is not a valid e-mail address' });
        if (!types.includes(type)) errors.push({ path: `${kind}[${i}].type`, message: `must be one of ${types.join(', ')}` });
        if (!normalized || seen.has(normalized)) return;
        seen.add(normalized);
        out[kind].push({ value: item.value.trim(), type, normalized });
      });
    };
    take(phones, 'phones');
    take(emails, 'emails');
    if (errors.length) throw validationFailed(errors);
    return out;
  }

  /** Replaces every phone and e-mail of a record; returns what was stored. */
  async replace(
    exec: Executor,
    workspaceId: number,
    entityType: CommunicationOwner,
    entityId: number,
    phones: CommunicationInput[],
    emails: CommunicationInput[],
  ): Promise<Communications> {
    const prepared = this.prepare(phones, emails);
    await this.removeAll(exec, workspaceId, entityType, entityId);
    const rows = [
      ...prepared.phones.map((p, i) => ({ kind: 'phone' as const, ...p, sort: i })),
      ...prepared.emails.map((e, i) => ({ kind: 'email' as const, ...e, sort: i })),
    ].map((r) => ({ workspace_id: workspaceId, entity_type: entityType, entity_id: entityId, ...r }));
    if (rows.length) await exec.insertInto('communications').values(rows).execute();
    return prepared;
  }

  async removeAll(exec: Executor, workspaceId: number, entityType: CommunicationOwner, entityId: number): Promise<void> {
    await exec
      .deleteFrom('communications')
      .where('workspace_id', '=', workspaceId)
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .execute();
  }

  /** The stored rows of a record (for the recycle bin's snapshot), and their restore. */
  async rowsOf(exec: Executor, workspaceId: number, entityType: CommunicationOwner, entityId: number): Promise<CommunicationRow[]> {
    return exec
      .selectFrom('communications')
      .select(['kind', 'type', 'value', 'normalized', 'sort'])
      .where('workspace_id', '=', workspaceId)
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .execute();
  }

  async restoreRows(exec: Executor, workspaceId: number, entityType: CommunicationOwner, entityId: number, rows: CommunicationRow[]): Promise<void> {
    await this.removeAll(exec, workspaceId, entityType, entityId);
    if (rows.length === 0) return;
    await exec
      .insertInto('communications')
      .values(rows.map((r) => ({ workspace_id: workspaceId, entity_type: entityType, entity_id: entityId, kind: r.kind, type: r.type, value: r.value, normalized: r.normalized, sort: r.sort })))
      .execute();
  }

  /** Phones and e-mails of several records at once, in their stored order. */
  async listFor(exec: Executor, workspaceId: number, entityType: CommunicationOwner, ids: number[]): Promise<Map<number, Communications>> {
    const result = new Map<number, Communications>(ids.map((id) => [id, empty()]));
    if (ids.length === 0) return result;
    const rows = await exec
      .selectFrom('communications')
      .select(['entity_id', 'kind', 'type', 'value', 'normalized'])
      .where('workspace_id', '=', workspaceId)
      .where('entity_type', '=', entityType)
      .where('entity_id', 'in', [...new Set(ids)])
      .orderBy('entity_id')
      .orderBy('kind')
      .orderBy('sort')
      .execute();
    for (const r of rows) {
      const bucket = result.get(r.entity_id)!;
      (r.kind === 'phone' ? bucket.phones : bucket.emails).push({ value: r.value, type: r.type, normalized: r.normalized });
    }
    return result;
  }

  /**
   * Records of the workspace that share a phone, an e-mail or the name with the query, limited
   * to those the actor may read (the scope filter is part of each query).
   */
  async findDuplicates(exec: Executor, actor: Actor, query: DuplicateQuery): Promise<Duplicate[]> {
    const ws = actor.workspaceId;
    const valueOf = (x: CommunicationInput | string) => (typeof x === 'string' ? x : x.value);
    const phones = [...new Set((query.phones ?? []).map((p) => normalizePhone(valueOf(p))).filter((p): p is string => !!p))];
    const emails = [...new Set((query.emails ?? []).map((e) => normalizeEmail(valueOf(e))).filter((e): e is string => !!e))];
    const found: Duplicate[] = [];

    if (phones.length || emails.length) {
      const readable = (type: CommunicationOwner, table: 'contacts' | 'companies' | 'leads', entity: 'contact' | 'company' | 'lead'): RawBuilder<SqlBool> =>
        sql<SqlBool>`(communications.entity_type = ${type} and communications.entity_id in (select id from ${sql.table(table)} where workspace_id = ${ws} and ${scopeFilter(actor, entity, 'read', { responsible: `${table}.responsible_id` })}))`;
      const rows = await exec
        .selectFrom('communications')
        .select(['entity_type', 'entity_id', 'kind'])
        .where('workspace_id', '=', ws)
        .where((eb) => {
          const byValue = [];
          if (phones.length) byValue.push(eb.and([eb('kind', '=', 'phone'), eb('normalized', 'in', phones)]));
          if (emails.length) byValue.push(eb.and([eb('kind', '=', 'email'), eb('normalized', 'in', emails)]));
          return eb.or(byValue);
        })
        // Leads belong to the leads module; reading leads.responsible_id here is the one
        // exception, so that a lead outside the actor's read scope is never revealed.
        .where(sql<SqlBool>`(${readable('contact', 'contacts', 'contact')} or ${readable('company', 'companies', 'company')} or ${readable('lead', 'leads', 'lead')})`)
        .orderBy('entity_type')
        .orderBy('entity_id')
        .limit(MAX_DUPLICATES * 4)
        .execute();
      for (const r of rows) found.push({ entity: r.entity_type, id: r.entity_id, matchedBy: r.kind });
    }

    const db = exec;
    const personKeys = query.name ? nameOrders(nameKey([query.name])) : [];
    if (personKeys.length) {
      const rows = await db
        .selectFrom('contacts')
        .select('id')
        .where('workspace_id', '=', ws)
        .where('name_key', 'in', personKeys)
        .where(scopeFilter(actor, 'contact', 'read', { responsible: 'contacts.responsible_id' }))
        .orderBy('id')
        .limit(MAX_DUPLICATES)
        .execute();
      for (const r of rows) found.push({ entity: 'contact', id: r.id, matchedBy: 'name' });
    }
    const companyKey = query.companyName ? nameKey([query.companyName]) : '';
    if (companyKey) {
      const rows = await db
        .selectFrom('companies')
        .select('id')
        .where('workspace_id', '=', ws)
        .where('name_key', '=', companyKey)
        .where(scopeFilter(actor, 'company', 'read', { responsible: 'companies.responsible_id' }))
        .orderBy('id')
        .limit(MAX_DUPLICATES)
        .execute();
      for (const r of rows) found.push({ entity: 'company', id: r.id, matchedBy: 'name' });
    }

    // One entry per record, the strongest match first: phone, then e-mail, then name.
    const rank = { phone: 0, email: 1, name: 2 } as const;
    const best = new Map<string, Duplicate>();
    for (const d of found) {
      if (d.entity === query.excludeType && d.id === query.excludeId) continue;
      const key = `${d.entity}:${d.id}`;
      const prev = best.get(key);
      if (!prev || rank[d.matchedBy] < rank[prev.matchedBy]) best.set(key, d);
    }
    return [...best.values()].sort((a, b) => rank[a.matchedBy] - rank[b.matchedBy] || a.entity.localeCompare(b.entity) || a.id - b.id).slice(0, MAX_DUPLICATES);
  }
}
