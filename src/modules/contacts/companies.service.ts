import type { RawBuilder, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { existing, putCompanyBack, takeCompanyOut, type CompanySnapshot } from './contact-bin.js';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, forbidden, notFound, versionConflict } from '../../server/errors.js';
import { decodeCursor, lookupLimit, parseSort, toPage, type Page } from '../../server/http/list-query.js';
import { buildSearchText } from '../../server/http/text.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import { nameKey, phoneSearchTerms } from '../../shared/communications.js';
import type { Communications, Duplicate } from './communications.service.js';
import {
  COMPANY_SORTS,
  createCompanyBody,
  updateCompanyBody,
  type Company,
  type CompanyListQuery,
  type CreateCompanyInput,
  type UpdateCompanyInput,
} from './companies.schema.js';
import { toCompany, type CompanyRow } from './companies.mapper.js';
import * as repo from './companies.repo.js';
import { createdRange, customFilters, readableMatches, responsibleIds, searchCondition } from './list-params.js';
import { parseInput } from '../../server/http/parse-input.js';
import { mergeCompanies } from './merge-companies.js';
import { recordComment, recordTimeline } from './record-timeline.js';
import type { Requisites } from './requisites.js';

const TRACKED = ['name', 'typeId', 'industryId', 'website', 'address', 'requisites', 'comment', 'phones', 'emails', 'custom'];

export const companySearchText = (name: string, comms: Communications) =>
  buildSearchText([name, ...comms.phones.flatMap((p) => phoneSearchTerms(p.normalized)), ...comms.emails.map((e) => e.normalized)]);

/** Stored requisites: only the fields that carry a value. */
export const requisitesJson = (r: Requisites | undefined) =>
  JSON.stringify(Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => typeof v === 'string' && v !== '')));

export class CompaniesService {
  constructor(private readonly ctx: AppContext) {}

  private get services() {
    return this.ctx.services;
  }

  async hydrate(exec: Executor, workspaceId: number, rows: CompanyRow[]): Promise<Company[]> {
    const comms = await this.services.communications.listFor(exec, workspaceId, 'company', rows.map((r) => r.id));
    return rows.map((r) => toCompany(r, comms.get(r.id)!));
  }

  async get(actor: Actor, id: number, exec: Executor = this.ctx.db.kysely): Promise<Company> {
    const row = await repo.findCompany(exec, actor, id);
    if (!row) throw notFound('Company');
    return (await this.hydrate(exec, actor.workspaceId, [row]))[0]!;
  }

  /** For other modules linking a company (contacts, deals): a 400 at `path` unless the actor may read it. */
  /** Of the given ids, those the actor may read now (notifications about records show only these). */
  async readableIds(exec: Executor, actor: Actor, ids: number[]): Promise<Set<number>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    const rows = await exec.selectFrom('companies').select('id').where('workspace_id', '=', actor.workspaceId).where('id', 'in', unique).where(repo.companyScope(actor, 'read')).execute();
    return new Set(rows.map((r) => r.id));
  }

  async ensureReadable(exec: Executor, actor: Actor, id: number, path: string): Promise<{ id: number; name: string }> {
    const row = await repo.findCompany(exec, actor, id);
    if (!row) throw fieldInvalid(path, 'no such company');
    return { id: row.id, name: row.name };
  }

  async create(actor: Actor, rawInput: CreateCompanyInput, exec?: Executor): Promise<Company & { duplicates: Duplicate[] }> {
    const input = parseInput(createCompanyBody, rawInput);
    const ws = actor.workspaceId;
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const comms = this.services.communications.prepare(input.phones, input.emails);
      const responsibleId = input.responsibleId ?? actor.userId;
      await this.services.users.ensureUser(trx, ws, responsibleId, 'responsibleId');
      if (!mayActOn(actor, 'company', 'create', responsibleId)) throw forbidden('You may not create companies for this responsible user');
      await this.checkReferences(trx, ws, input);
      const custom = await this.services.customFields.validate(trx, actor, 'company', input.custom ?? {});
      const now = nowIso(this.ctx.clock);
      const row = await repo.insertCompany(trx, {
        workspace_id: ws,
        name: input.name,
        type_id: input.typeId ?? null,
        industry_id: input.industryId ?? null,
        website: input.website || null,
        address: input.address || null,
        requisites: requisitesJson(input.requisites),
        responsible_id: responsibleId,
        created_by_id: actor.userId,
        comment: input.comment || null,
        custom: JSON.stringify(custom),
        search_text: companySearchText(input.name, comms),
        name_key: nameKey([input.name]),
        created_at: now,
        updated_at: now,
      });
      await this.services.communications.replace(trx, ws, 'company', row.id, comms.phones, comms.emails);
      const company = (await this.hydrate(trx, ws, [row]))[0]!;
      await this.services.timeline.record(trx, ws, actor, { entityType: 'company', entityId: row.id, kind: 'created', data: { name: row.name } });
      const duplicates = await this.services.communications.findDuplicates(trx, actor, {
        phones: comms.phones.map((p) => p.normalized),
        emails: comms.emails.map((e) => e.normalized),
        companyName: row.name,
        excludeType: 'company',
        excludeId: row.id,
      });
      return { ...company, duplicates };
    });
  }

  async update(actor: Actor, id: number, rawInput: UpdateCompanyInput, expectedVersion: number, exec?: Executor): Promise<Company> {
    const input = parseInput(updateCompanyBody, rawInput);
    const ws = actor.workspaceId;
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const row = await repo.findCompany(trx, actor, id);
      if (!row) throw notFound('Company');
      const before = (await this.hydrate(trx, ws, [row]))[0]!;
      if (!mayActOn(actor, 'company', 'update', row.responsible_id)) throw forbidden('You may not change this company');
      if (row.version !== expectedVersion) throw versionConflict(before);

      const comms = this.services.communications.prepare(input.phones ?? before.phones, input.emails ?? before.emails);
      if (input.responsibleId !== undefined && input.responsibleId !== row.responsible_id) {
        await this.services.users.ensureUser(trx, ws, input.responsibleId, 'responsibleId');
        if (!mayActOn(actor, 'company', 'update', input.responsibleId)) throw forbidden('You may not hand this company to that user');
      }
      await this.checkReferences(trx, ws, {
        typeId: input.typeId !== row.type_id ? input.typeId : undefined,
        industryId: input.industryId !== row.industry_id ? input.industryId : undefined,
      });
      const custom = input.custom !== undefined ? await this.services.customFields.validate(trx, actor, 'company', input.custom, before.custom) : before.custom;
      const name = input.name ?? row.name;
      const text = (v: string | null | undefined, current: string | null) => (v === undefined ? current : v || null);

      const updated = await repo.updateCompany(trx, ws, id, expectedVersion, {
        name,
        type_id: input.typeId !== undefined ? input.typeId : row.type_id,
        industry_id: input.industryId !== undefined ? input.industryId : row.industry_id,
        website: text(input.website, row.website),
        address: text(input.address, row.address),
        requisites: input.requisites !== undefined ? requisitesJson(input.requisites) : row.requisites,
        responsible_id: input.responsibleId ?? row.responsible_id,
        comment: text(input.comment, row.comment),
        custom: JSON.stringify(custom),
        search_text: companySearchText(name, comms),
        name_key: nameKey([name]),
        updated_at: nowIso(this.ctx.clock),
      });
      if (!updated) throw versionConflict(before);
      if (input.phones !== undefined || input.emails !== undefined) {
        await this.services.communications.replace(trx, ws, 'company', id, comms.phones, comms.emails);
      }
      const after = (await this.hydrate(trx, ws, [updated]))[0]!;
      await recordTimeline(this.ctx, trx, actor, 'company', before, after, TRACKED);
      return after;
    });
  }

  /** To the recycle bin (contact-bin.ts): phones, e-mails, contact and deal links and activities come back with a restore. */
  async remove(actor: Actor, id: number, exec?: Executor): Promise<void> {
    const ws = actor.workspaceId;
    await inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const row = await repo.findCompany(trx, actor, id);
      if (!row) throw notFound('Company');
      if (!mayActOn(actor, 'company', 'delete', row.responsible_id)) throw forbidden('You may not delete this company');
      const snapshot = await takeCompanyOut(this.ctx, trx, row);
      await this.services.recycleBin.put(trx, ws, actor.userId, { entityType: 'company', entityId: id, title: row.name, responsibleId: row.responsible_id, snapshot });
      await this.services.timeline.record(trx, ws, actor, { entityType: 'company', entityId: id, kind: 'deleted', data: { name: row.name } });
    });
  }

  /** Recycle bin → live tables (called by the recycle-bin module in its transaction). */
  restoreFromBin(trx: Transaction<Database>, _actor: Actor, _id: number, snapshot: unknown): Promise<void> {
    return putCompanyBack(this.ctx, trx, snapshot as CompanySnapshot);
  }

  /** The ids among `ids` of live companies of the workspace, whoever may read them. */
  existingIds(exec: Executor, workspaceId: number, ids: number[]): Promise<number[]> {
    return existing(exec, 'companies', workspaceId, ids);
  }

  /** For other modules' search (deals by their company): `select id` of the companies the actor may read that `q` finds. */
  searchIds(actor: Actor, q: string): RawBuilder<{ id: number }> {
    return readableMatches(this.ctx.db.dialect, 'companies', actor, repo.companyScope(actor, 'read'), q);
  }

  merge(actor: Actor, survivorId: number, sourceId: number): Promise<Company> {
    return mergeCompanies(this.ctx, actor, survivorId, sourceId);
  }

  async list(actor: Actor, query: CompanyListQuery): Promise<Page<Company>> {
    const exec = this.ctx.db.kysely;
    const sort = parseSort(query.sort, COMPANY_SORTS, '-id');
    const cursor = decodeCursor(query.cursor, sort);
    const limit = lookupLimit(query);
    const conditions = [...createdRange('companies.created_at', query.createdFrom, query.createdTo)];
    if (query.q) conditions.push(searchCondition(this.ctx.db.dialect, 'companies', actor.workspaceId, query.q));
    for (const f of customFilters(query)) {
      conditions.push(await this.services.customFields.filterCondition(actor.workspaceId, 'company', f.code, f.value, 'companies.custom'));
    }
    const filter: repo.CompanyListFilter = {
      ids: query.ids,
      responsibleIds: responsibleIds(actor, query.responsibleId),
      typeIds: query.typeId,
      industryIds: query.industryId,
      conditions,
    };
    const rows = await repo.listCompanies(exec, actor, filter, sort, cursor, limit);
    const sortValue = (r: CompanyRow) => (r as unknown as Record<string, string | number | null>)[sort.column.replace('companies.', '')] ?? null;
    const page = toPage(rows, limit, sortValue, (r) => r);
    const items = await this.hydrate(exec, actor.workspaceId, page.items);
    const total = query.withTotal ? await repo.countCompanies(exec, actor, filter) : undefined;
    return { items, nextCursor: page.nextCursor, ...(total !== undefined ? { total } : {}) };
  }

  async timeline(actor: Actor, id: number, limit: number, cursor?: string) {
    const row = await repo.findCompany(this.ctx.db.kysely, actor, id);
    if (!row) throw notFound('Company');
    return this.services.timeline.list(actor, 'company', id, limit, cursor);
  }

  async comment(actor: Actor, id: number, text: string) {
    return recordComment(this.ctx, actor, 'company', id, text, async (trx) => {
      const row = await repo.findCompany(trx, actor, id);
      if (!row) throw notFound('Company');
      if (!mayActOn(actor, 'company', 'update', row.responsible_id)) throw forbidden('You may not comment on this company');
    });
  }

  private async checkReferences(trx: Executor, ws: number, input: { typeId?: number | null; industryId?: number | null }) {
    if (input.typeId != null) await this.services.referenceLists.ensureItem(trx, ws, 'company-types', input.typeId, 'typeId');
    if (input.industryId != null) await this.services.referenceLists.ensureItem(trx, ws, 'industries', input.industryId, 'industryId');
  }
}
