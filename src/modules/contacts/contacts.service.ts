import type { RawBuilder, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { existing, putContactBack, takeContactOut, type ContactSnapshot } from './contact-bin.js';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, forbidden, notFound, validationFailed, versionConflict } from '../../server/errors.js';
import { decodeCursor, lookupLimit, parseSort, toPage, type Page } from '../../server/http/list-query.js';
import { buildSearchText } from '../../server/http/text.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import { nameKey, phoneSearchTerms } from '../../shared/communications.js';
import type { Communications, Duplicate } from './communications.service.js';
import {
  CONTACT_SORTS,
  createContactBody,
  updateContactBody,
  type Contact,
  type ContactListQuery,
  type CreateContactInput,
  type UpdateContactInput,
} from './contacts.schema.js';
import { contactFullName, toContact, type ContactRow } from './contacts.mapper.js';
import * as repo from './contacts.repo.js';
import { createdRange, customFilters, readableMatches, responsibleIds, searchCondition } from './list-params.js';
import { parseInput } from '../../server/http/parse-input.js';
import { mergeContacts } from './merge-contacts.js';
import { recordComment, recordTimeline } from './record-timeline.js';

/** Fields whose changes the timeline shows (API names). */
const TRACKED = ['firstName', 'lastName', 'middleName', 'position', 'birthday', 'typeId', 'sourceId', 'comment', 'phones', 'emails', 'companyIds', 'custom'];

export const contactSearchText = (r: { first_name: string | null; last_name: string | null; middle_name: string | null }, comms: Communications) =>
  buildSearchText([r.last_name, r.first_name, r.middle_name, ...comms.phones.flatMap((p) => phoneSearchTerms(p.normalized)), ...comms.emails.map((e) => e.normalized)]);

export const contactNameKey = (r: { first_name: string | null; last_name: string | null; middle_name: string | null }) => nameKey([r.last_name, r.first_name, r.middle_name]);

export class ContactsService {
  constructor(private readonly ctx: AppContext) {}

  private get services() {
    return this.ctx.services;
  }

  /** Rows → API records, with phones, e-mails and company links loaded in two queries. */
  async hydrate(exec: Executor, workspaceId: number, rows: ContactRow[]): Promise<Contact[]> {
    const ids = rows.map((r) => r.id);
    const [comms, links] = await Promise.all([
      this.services.communications.listFor(exec, workspaceId, 'contact', ids),
      repo.companyIdsOf(exec, workspaceId, ids),
    ]);
    return rows.map((r) => toContact(r, comms.get(r.id)!, links.get(r.id)!));
  }

  async get(actor: Actor, id: number, exec: Executor = this.ctx.db.kysely): Promise<Contact> {
    const row = await repo.findContact(exec, actor, id);
    if (!row) throw notFound('Contact');
    return (await this.hydrate(exec, actor.workspaceId, [row]))[0]!;
  }

  /** Recycle bin → live tables (called by the recycle-bin module in its transaction). */
  restoreFromBin(trx: Transaction<Database>, _actor: Actor, _id: number, snapshot: unknown): Promise<void> {
    return putContactBack(this.ctx, trx, snapshot as ContactSnapshot);
  }

  /** The ids among `ids` of live contacts of the workspace, whoever may read them. */
  existingIds(exec: Executor, workspaceId: number, ids: number[]): Promise<number[]> {
    return existing(exec, 'contacts', workspaceId, ids);
  }

  /** For other modules linking a contact (deals, activities): a 400 at `path` unless the actor may read it. */
  /** Of the given ids, those the actor may read now (notifications about records show only these). */
  async readableIds(exec: Executor, actor: Actor, ids: number[]): Promise<Set<number>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    const rows = await exec.selectFrom('contacts').select('id').where('workspace_id', '=', actor.workspaceId).where('id', 'in', unique).where(repo.contactScope(actor, 'read')).execute();
    return new Set(rows.map((r) => r.id));
  }

  async ensureReadable(exec: Executor, actor: Actor, id: number, path: string): Promise<{ id: number; fullName: string }> {
    const row = await repo.findContact(exec, actor, id);
    if (!row) throw fieldInvalid(path, 'no such contact');
    return { id: row.id, fullName: contactFullName(row) };
  }

  async create(actor: Actor, rawInput: CreateContactInput, exec?: Executor): Promise<Contact & { duplicates: Duplicate[] }> {
    const input = parseInput(createContactBody, rawInput);
    const ws = actor.workspaceId;
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const comms = this.services.communications.prepare(input.phones, input.emails);
      const names = { first_name: blankToNull(input.firstName), last_name: blankToNull(input.lastName), middle_name: blankToNull(input.middleName) };
      requireIdentity(names, comms);
      const responsibleId = input.responsibleId ?? actor.userId;
      await this.services.users.ensureUser(trx, ws, responsibleId, 'responsibleId');
      if (!mayActOn(actor, 'contact', 'create', responsibleId)) throw forbidden('You may not create contacts for this responsible user');
      await this.checkReferences(trx, actor, input);
      const custom = await this.services.customFields.validate(trx, actor, 'contact', input.custom ?? {});
      const now = nowIso(this.ctx.clock);
      const row = await repo.insertContact(trx, {
        workspace_id: ws,
        ...names,
        position: blankToNull(input.position),
        birthday: input.birthday ?? null,
        type_id: input.typeId ?? null,
        source_id: input.sourceId ?? null,
        responsible_id: responsibleId,
        created_by_id: actor.userId,
        comment: blankToNull(input.comment),
        custom: JSON.stringify(custom),
        search_text: contactSearchText(names, comms),
        name_key: contactNameKey(names),
        created_at: now,
        updated_at: now,
      });
      await this.services.communications.replace(trx, ws, 'contact', row.id, comms.phones, comms.emails);
      await repo.replaceCompanyLinks(trx, ws, row.id, input.companyIds ?? []);
      const contact = (await this.hydrate(trx, ws, [row]))[0]!;
      await this.services.timeline.record(trx, ws, actor, { entityType: 'contact', entityId: row.id, kind: 'created', data: { fullName: contact.fullName } });
      const duplicates = await this.services.communications.findDuplicates(trx, actor, {
        phones: comms.phones.map((p) => p.normalized),
        emails: comms.emails.map((e) => e.normalized),
        name: contact.fullName,
        excludeType: 'contact',
        excludeId: row.id,
      });
      return { ...contact, duplicates };
    });
  }

  async update(actor: Actor, id: number, rawInput: UpdateContactInput, expectedVersion: number, exec?: Executor): Promise<Contact> {
    const input = parseInput(updateContactBody, rawInput);
    const ws = actor.workspaceId;
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const row = await repo.findContact(trx, actor, id);
      if (!row) throw notFound('Contact');
      const before = (await this.hydrate(trx, ws, [row]))[0]!;
      if (!mayActOn(actor, 'contact', 'update', row.responsible_id)) throw forbidden('You may not change this contact');
      if (row.version !== expectedVersion) throw versionConflict(before);

      const comms = this.services.communications.prepare(input.phones ?? before.phones, input.emails ?? before.emails);
      const pick = <K extends keyof typeof input>(k: K, current: unknown) => (input[k] !== undefined ? blankToNull(input[k]) : current);
      const names = {
        first_name: pick('firstName', row.first_name) as string | null,
        last_name: pick('lastName', row.last_name) as string | null,
        middle_name: pick('middleName', row.middle_name) as string | null,
      };
      requireIdentity(names, comms);
      if (input.responsibleId !== undefined && input.responsibleId !== row.responsible_id) {
        await this.services.users.ensureUser(trx, ws, input.responsibleId, 'responsibleId');
        if (!mayActOn(actor, 'contact', 'update', input.responsibleId)) throw forbidden('You may not hand this contact to that user');
      }
      await this.checkReferences(trx, actor, {
        typeId: input.typeId !== row.type_id ? input.typeId : undefined,
        sourceId: input.sourceId !== row.source_id ? input.sourceId : undefined,
        companyIds: input.companyIds,
        keptCompanyIds: before.companyIds,
      });
      const custom = input.custom !== undefined ? await this.services.customFields.validate(trx, actor, 'contact', input.custom, before.custom) : before.custom;

      const updated = await repo.updateContact(trx, ws, id, expectedVersion, {
        ...names,
        position: pick('position', row.position) as string | null,
        birthday: pick('birthday', row.birthday) as string | null,
        type_id: pick('typeId', row.type_id) as number | null,
        source_id: pick('sourceId', row.source_id) as number | null,
        responsible_id: input.responsibleId ?? row.responsible_id,
        comment: pick('comment', row.comment) as string | null,
        custom: JSON.stringify(custom),
        search_text: contactSearchText(names, comms),
        name_key: contactNameKey(names),
        updated_at: nowIso(this.ctx.clock),
      });
      if (!updated) throw versionConflict(before);
      if (input.phones !== undefined || input.emails !== undefined) {
        await this.services.communications.replace(trx, ws, 'contact', id, comms.phones, comms.emails);
      }
      if (input.companyIds !== undefined) await repo.replaceCompanyLinks(trx, ws, id, input.companyIds);
      const after = (await this.hydrate(trx, ws, [updated]))[0]!;
      await recordTimeline(this.ctx, trx, actor, 'contact', before, after, TRACKED);
      return after;
    });
  }

  /** To the recycle bin (contact-bin.ts): phones, e-mails, company and deal links and activities come back with a restore. */
  async remove(actor: Actor, id: number, exec?: Executor): Promise<void> {
    const ws = actor.workspaceId;
    await inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const row = await repo.findContact(trx, actor, id);
      if (!row) throw notFound('Contact');
      if (!mayActOn(actor, 'contact', 'delete', row.responsible_id)) throw forbidden('You may not delete this contact');
      const snapshot = await takeContactOut(this.ctx, trx, row);
      await this.services.recycleBin.put(trx, ws, actor.userId, { entityType: 'contact', entityId: id, title: contactFullName(row), responsibleId: row.responsible_id, snapshot });
      // The entry outlives the record: the timeline is also the outbox automations read.
      await this.services.timeline.record(trx, ws, actor, { entityType: 'contact', entityId: id, kind: 'deleted', data: { fullName: contactFullName(row) } });
    });
  }

  /** For other modules' search (deals by their contacts): `select id` of the contacts the actor may read that `q` finds. */
  searchIds(actor: Actor, q: string): RawBuilder<{ id: number }> {
    return readableMatches(this.ctx.db.dialect, 'contacts', actor, repo.contactScope(actor, 'read'), q);
  }

  merge(actor: Actor, survivorId: number, sourceId: number): Promise<Contact> {
    return mergeContacts(this.ctx, actor, survivorId, sourceId);
  }

  async list(actor: Actor, query: ContactListQuery): Promise<Page<Contact>> {
    const exec = this.ctx.db.kysely;
    const sort = parseSort(query.sort, CONTACT_SORTS, '-id');
    const cursor = decodeCursor(query.cursor, sort);
    const limit = lookupLimit(query);
    const conditions = [...createdRange('contacts.created_at', query.createdFrom, query.createdTo)];
    if (query.q) conditions.push(searchCondition(this.ctx.db.dialect, 'contacts', actor.workspaceId, query.q));
    for (const f of customFilters(query)) {
      conditions.push(await this.services.customFields.filterCondition(actor.workspaceId, 'contact', f.code, f.value, 'contacts.custom'));
    }
    const filter: repo.ContactListFilter = {
      ids: query.ids,
      responsibleIds: responsibleIds(actor, query.responsibleId),
      typeIds: query.typeId,
      sourceIds: query.sourceId,
      companyIds: query.companyId,
      conditions,
    };
    const rows = await repo.listContacts(exec, actor, filter, sort, cursor, limit);
    const sortValue = (r: ContactRow) => (r as unknown as Record<string, string | number | null>)[sort.column.replace('contacts.', '')] ?? null;
    const page = toPage(rows, limit, sortValue, (r) => r);
    const items = await this.hydrate(exec, actor.workspaceId, page.items);
    const total = query.withTotal ? await repo.countContacts(exec, actor, filter) : undefined;
    return { items, nextCursor: page.nextCursor, ...(total !== undefined ? { total } : {}) };
  }

  async timeline(actor: Actor, id: number, limit: number, cursor?: string) {
    const row = await repo.findContact(this.ctx.db.kysely, actor, id);
    if (!row) throw notFound('Contact');
    return this.services.timeline.list(actor, 'contact', id, limit, cursor);
  }

  async comment(actor: Actor, id: number, text: string) {
    return recordComment(this.ctx, actor, 'contact', id, text, async (trx) => {
      const row = await repo.findContact(trx, actor, id);
      if (!row) throw notFound('Contact');
      if (!mayActOn(actor, 'contact', 'update', row.responsible_id)) throw forbidden('You may not comment on this contact');
    });
  }

  /** Reference-list items and linked companies a write sets anew, each a 400 at its own path (values kept as they were are not re-checked). */
  private async checkReferences(
    trx: Executor,
    actor: Actor,
    input: { typeId?: number | null; sourceId?: number | null; companyIds?: number[]; keptCompanyIds?: number[] },
  ) {
    const ws = actor.workspaceId;
    if (input.typeId != null) await this.services.referenceLists.ensureItem(trx, ws, 'contact-types', input.typeId, 'typeId');
    if (input.sourceId != null) await this.services.referenceLists.ensureItem(trx, ws, 'sources', input.sourceId, 'sourceId');
    for (const [i, companyId] of (input.companyIds ?? []).entries()) {
      if (input.keptCompanyIds?.includes(companyId)) continue;
      await this.services.companies.ensureReadable(trx, actor, companyId, `companyIds[${i}]`);
    }
  }
}

/** Cleared text is stored as null, so "empty" means one thing for merges and filters. */
function blankToNull<T>(v: T | undefined): T | null {
  return v === undefined || v === '' ? null : v;
}

/** A contact must be identifiable: a name part, a phone or an e-mail. */
function requireIdentity(names: Record<string, string | null>, comms: Communications): void {
  const named = Object.values(names).some((v) => v && v.trim() !== '');
  if (!named && comms.phones.length === 0 && comms.emails.length === 0) {
    throw validationFailed(
      ['firstName', 'lastName', 'phones', 'emails'].map((path) => ({ path, message: 'give at least a name, a phone or an e-mail' })),
      'A contact needs at least a name, a phone or an e-mail',
    );
  }
}
