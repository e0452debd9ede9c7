import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext, Executor } from '../../server/context.js';
import type { ParkedActivity } from '../activities/activities.service.js';
import type { CommunicationRow } from '../contacts/communications.service.js';
import { enterStatus, listStatusHistory } from './status-history.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, forbidden, notFound, ruleViolation, versionConflict } from '../../server/errors.js';
import { decodeCursor, parseSort, toPage, type Page } from '../../server/http/list-query.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import { diffFields, type TimelineEntry, type TimelineEvent } from '../timeline/timeline.service.js';
import type { Communications, Duplicate } from '../contacts/communications.service.js';
import { convertLead, type LeadConversionResult } from './convert-lead.js';
import { leadConditions, leadReadScope } from './lead-filters.js';
import { buildLeadBoard, buildLeadBoardColumn, type LeadBoard, type LeadBoardColumn } from './lead-board.js';
import { defaultTitle, leadSearchText, personName, toLead, type LeadRow } from './leads.mapper.js';
import * as repo from './leads.repo.js';
import { LEAD_SORTS, type Lead, type LeadConvertInput, type LeadCreateInput, type LeadFilters, type LeadListQuery, type LeadPatchInput } from './leads.schema.js';

export type { LeadConversionResult } from './convert-lead.js';

interface LeadSnapshot {
  lead: LeadRow;
  communications: CommunicationRow[];
  activities: ParkedActivity[];
}

/** Fields whose changes the `updated` timeline event lists (the responsible has its own event). */
const TRACKED_FIELDS = [
  'title', 'firstName', 'lastName', 'middleName', 'companyName', 'position', 'phones', 'emails', 'statusId', 'sourceId',
  'amount', 'currency', 'comment', 'utmSource', 'utmMedium', 'utmCampaign', 'utmContent', 'utmTerm', 'custom',
];

/** A lead's phones/e-mails as the API compares them in diffs (without the normalised value). */
const commsForDiff = (l: Lead) => ({ phones: l.phones.map((p) => `${p.type}:${p.value}`), emails: l.emails.map((e) => `${e.type}:${e.value}`) });

export class LeadsService {
  constructor(private readonly ctx: AppContext) {}

  private get db() {
    return this.ctx.db.kysely;
  }

  /** The API shape of one stored lead, read through `exec` (so it works inside a transaction). */
  async load(exec: Executor, row: LeadRow): Promise<Lead> {
    const comms = await this.ctx.services.communications.listFor(exec, row.workspace_id, 'lead', [row.id]);
    return toLead(row, comms.get(row.id)!);
  }

  /** A lead the actor may read, else 404 (its existence is not revealed). */
  async readable(exec: Executor, actor: Actor, id: number, lock = false): Promise<LeadRow> {
    const row = await repo.findLead(exec, actor.workspaceId, id, [leadReadScope(actor)], lock && this.ctx.db.dialect === 'postgres');
    if (!row) throw notFound('Lead');
    return row;
  }

  /** For other modules (e.g. activities on a lead): the lead if readable, else a 400 on `path`. */
  async ensureReadable(exec: Executor, actor: Actor, id: number, path: string): Promise<{ id: number; title: string }> {
    const row = await repo.findLead(exec, actor.workspaceId, id, [leadReadScope(actor)]);
    if (!row) throw fieldInvalid(path, 'no such lead, or you may not see it');
    return { id: row.id, title: row.title };
  }

  async get(actor: Actor, id: number, exec: Executor = this.db): Promise<Lead> {
    return this.load(exec, await this.readable(exec, actor, id));
  }

  /** The ids of the leads in a status (a robot of the status applied to the leads already there). */
  async idsInStatus(exec: Executor, workspaceId: number, statusId: number): Promise<number[]> {
    const rows = await exec.selectFrom('leads').select('id').where('workspace_id', '=', workspaceId).where('status_id', '=', statusId).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** Of the given ids, those the actor may read now (notifications about records show only these). */
  async readableIds(exec: Executor, actor: Actor, ids: number[]): Promise<Set<number>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    const rows = await exec.selectFrom('leads').select('id').where('workspace_id', '=', actor.workspaceId).where('id', 'in', unique).where(leadReadScope(actor)).execute();
    return new Set(rows.map((r) => r.id));
  }

  async create(actor: Actor, input: LeadCreateInput, exec?: Executor): Promise<Lead & { duplicates: Duplicate[] }> {
    const ws = actor.workspaceId;
    const { services } = this.ctx;
    return inTransaction(exec ?? this.db, async (trx) => {
      const responsibleId = input.responsibleId ?? actor.userId;
      if (input.responsibleId !== undefined) await services.users.ensureUser(trx, ws, responsibleId, 'responsibleId');
      if (!mayActOn(actor, 'lead', 'create', responsibleId)) throw forbidden('You may not create leads for this responsible user');
      const status =
        input.statusId !== undefined
          ? await services.referenceLists.ensureItem(trx, ws, 'lead-statuses', input.statusId, 'statusId')
          : await services.referenceLists.defaultLeadStatus(trx, ws);
      if (!status) throw ruleViolation('no_lead_statuses', 'The workspace has no lead statuses; add one in the reference lists first');
      if (status.semantic === 'converted') {
        throw ruleViolation('convert_to_set_converted', 'A lead becomes converted only by converting it (POST /leads/{id}/convert)', [{ path: 'statusId', message: 'is a converted status' }]);
      }
      if (input.sourceId != null) await services.referenceLists.ensureItem(trx, ws, 'sources', input.sourceId, 'sourceId');
      const custom = await services.customFields.validate(trx, actor, 'lead', input.custom);
      const settings = await services.workspaces.getSettings(trx, ws);
      const currency = input.currency ?? settings.currency;
      const now = nowIso(this.ctx.clock);
      const values = {
        title: input.title ?? defaultTitle(input, settings.locale),
        first_name: input.firstName ?? null,
        last_name: input.lastName ?? null,
        middle_name: input.middleName ?? null,
        company_name: input.companyName ?? null,
        position: input.position ?? null,
      };
      const id = await repo.insertLead(trx, {
        workspace_id: ws,
        ...values,
        status_id: status.id,
        status_semantic: status.semantic ?? 'in_progress',
        source_id: input.sourceId ?? null,
        responsible_id: responsibleId,
        created_by_id: actor.userId,
        comment: input.comment ?? null,
        amount: input.amount ?? 0,
        currency,
        utm_source: input.utmSource ?? null,
        utm_medium: input.utmMedium ?? null,
        utm_campaign: input.utmCampaign ?? null,
        utm_content: input.utmContent ?? null,
        utm_term: input.utmTerm ?? null,
        custom: JSON.stringify(custom),
        search_text: '',
        created_at: now,
        updated_at: now,
      });
      const comms = await services.communications.replace(trx, ws, 'lead', id, input.phones ?? [], input.emails ?? []);
      await repo.setSearchText(trx, ws, id, leadSearchText(values, comms));
      await enterStatus(trx, ws, { leadId: id, statusId: status.id, semantic: status.semantic ?? 'in_progress', responsibleId }, now, actor.userId, { isNew: true });
      await services.timeline.record(trx, ws, actor, { entityType: 'lead', entityId: id, kind: 'created', data: { title: values.title, statusId: status.id } });
      const duplicates = await services.communications.findDuplicates(trx, actor, {
        phones: comms.phones.map((p) => p.value),
        emails: comms.emails.map((e) => e.value),
        name: personName(input) || null,
        companyName: input.companyName ?? null,
        excludeType: 'lead',
        excludeId: id,
      });
      const row = await repo.findLead(trx, ws, id);
      return { ...toLead(row!, comms), duplicates };
    });
  }

  async update(actor: Actor, id: number, patch: LeadPatchInput, expectedVersion: number, exec?: Executor): Promise<Lead> {
    const ws = actor.workspaceId;
    const { services } = this.ctx;
    return inTransaction(exec ?? this.db, async (trx) => {
      const row = await this.readable(trx, actor, id, true);
      const before = await this.load(trx, row);
      if (!mayActOn(actor, 'lead', 'update', row.responsible_id)) throw forbidden('You may not change this lead');
      if (row.version !== expectedVersion) throw versionConflict(before);

      let status = { id: row.status_id, semantic: row.status_semantic };
      if (patch.statusId !== undefined && patch.statusId !== row.status_id) {
        if (row.status_semantic === 'converted') {
          throw ruleViolation('converted_lead_status_fixed', 'A converted lead keeps its status', [{ path: 'statusId', message: 'the lead is already converted' }]);
        }
        const item = await services.referenceLists.ensureItem(trx, ws, 'lead-statuses', patch.statusId, 'statusId');
        if (item.semantic === 'converted') {
          throw ruleViolation('convert_to_set_converted', 'Convert the lead instead (POST /leads/{id}/convert)', [{ path: 'statusId', message: 'is a converted status' }]);
        }
        status = { id: item.id, semantic: item.semantic ?? 'in_progress' };
      }
      if (patch.sourceId != null && patch.sourceId !== row.source_id) await services.referenceLists.ensureItem(trx, ws, 'sources', patch.sourceId, 'sourceId');
      if (patch.responsibleId !== undefined && patch.responsibleId !== row.responsible_id) {
        await services.users.ensureUser(trx, ws, patch.responsibleId, 'responsibleId');
        if (!mayActOn(actor, 'lead', 'update', patch.responsibleId)) throw forbidden('You may not hand this lead to that user');
      }
      const custom = patch.custom === undefined ? before.custom : await services.customFields.validate(trx, actor, 'lead', patch.custom, before.custom);

      let comms: Communications = { phones: before.phones, emails: before.emails };
      if (patch.phones !== undefined || patch.emails !== undefined) {
        comms = await services.communications.replace(trx, ws, 'lead', id, patch.phones ?? before.phones, patch.emails ?? before.emails);
      }
      const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v);
      const names = {
        title: pick(patch.title, row.title),
        first_name: pick(patch.firstName, row.first_name),
        last_name: pick(patch.lastName, row.last_name),
        middle_name: pick(patch.middleName, row.middle_name),
        company_name: pick(patch.companyName, row.company_name),
      };
      const changed = await repo.updateLead(trx, ws, id, expectedVersion, {
        ...names,
        position: pick(patch.position, row.position),
        status_id: status.id,
        status_semantic: status.semantic,
        source_id: pick(patch.sourceId, row.source_id),
        responsible_id: pick(patch.responsibleId, row.responsible_id),
        amount: pick(patch.amount, row.amount),
        currency: pick(patch.currency, row.currency),
        comment: pick(patch.comment, row.comment),
        utm_source: pick(patch.utmSource, row.utm_source),
        utm_medium: pick(patch.utmMedium, row.utm_medium),
        utm_campaign: pick(patch.utmCampaign, row.utm_campaign),
        utm_content: pick(patch.utmContent, row.utm_content),
        utm_term: pick(patch.utmTerm, row.utm_term),
        custom: JSON.stringify(custom),
        search_text: leadSearchText(names, comms),
        updated_at: nowIso(this.ctx.clock),
      });
      if (!changed) throw versionConflict(before);
      const statusChanged = status.id !== row.status_id;
      if (statusChanged) {
        await enterStatus(trx, ws, { leadId: id, statusId: status.id, semantic: status.semantic, responsibleId: pick(patch.responsibleId, row.responsible_id) }, nowIso(this.ctx.clock), actor.userId);
      }

      const after = await this.load(trx, (await repo.findLead(trx, ws, id))!);
      const changes = diffFields({ ...before, ...commsForDiff(before) }, { ...after, ...commsForDiff(after) }, TRACKED_FIELDS);
      const events: TimelineEvent[] = [];
      // the status change is an event of its own, as a deal's stage move is (and stays in `updated` too)
      if (statusChanged) {
        events.push({
          entityType: 'lead' as const,
          entityId: id,
          kind: 'status_changed',
          data: { from: { statusId: row.status_id, semantic: row.status_semantic }, to: { statusId: status.id, semantic: status.semantic } },
        });
      }
      if (Object.keys(changes).length) events.push({ entityType: 'lead' as const, entityId: id, kind: 'updated', data: { changes } });
      if (after.responsibleId !== before.responsibleId) {
        events.push({ entityType: 'lead' as const, entityId: id, kind: 'responsible_changed', data: { old: before.responsibleId, new: after.responsibleId } });
      }
      await services.timeline.record(trx, ws, actor, events);
      return after;
    });
  }

  /** To the recycle bin: the row, its phones and e-mails and its activities come back with a restore; status history stays. */
  async remove(actor: Actor, id: number, exec?: Executor): Promise<void> {
    const ws = actor.workspaceId;
    const s = this.ctx.services;
    await inTransaction(exec ?? this.db, async (trx) => {
      const row = await this.readable(trx, actor, id, true);
      if (!mayActOn(actor, 'lead', 'delete', row.responsible_id)) throw forbidden('You may not delete this lead');
      const snapshot: LeadSnapshot = {
        lead: row,
        communications: await s.communications.rowsOf(trx, ws, 'lead', id),
        activities: await s.activities.park(trx, ws, 'lead', id),
      };
      await s.communications.removeAll(trx, ws, 'lead', id);
      await repo.deleteLead(trx, ws, id);
      await s.recycleBin.put(trx, ws, actor.userId, { entityType: 'lead', entityId: id, title: row.title, responsibleId: row.responsible_id, snapshot });
      await s.timeline.record(trx, ws, actor, { entityType: 'lead', entityId: id, kind: 'deleted', data: { title: row.title } });
    });
  }

  /** Recycle bin → live tables (called by the recycle-bin module in its transaction). */
  async restoreFromBin(trx: Transaction<Database>, _actor: Actor, _id: number, raw: unknown): Promise<void> {
    const snapshot = raw as LeadSnapshot;
    const { lead } = snapshot;
    const s = this.ctx.services;
    await trx.insertInto('leads').values({ ...lead, amount: Number(lead.amount), updated_at: nowIso(this.ctx.clock), version: lead.version + 1 }).execute();
    await s.communications.restoreRows(trx, lead.workspace_id, 'lead', lead.id, snapshot.communications);
    await s.activities.unpark(trx, lead.workspace_id, 'lead', lead.id, snapshot.activities);
  }

  /** The lead's statuses over time, the open row last. */
  async statusHistory(actor: Actor, id: number) {
    await this.readable(this.db, actor, id);
    return listStatusHistory(this.db, actor.workspaceId, id);
  }

  async list(actor: Actor, query: LeadListQuery): Promise<Page<Lead>> {
    const sort = parseSort(query.sort, LEAD_SORTS, '-id');
    const cursor = decodeCursor(query.cursor, sort);
    const conditions = await leadConditions(this.ctx, actor, query as LeadFilters);
    const rows = await repo.listLeads(this.db, actor.workspaceId, conditions, sort, cursor, query.limit);
    const comms = await this.ctx.services.communications.listFor(this.db, actor.workspaceId, 'lead', rows.map((r) => r.id));
    const sortValue = (r: LeadRow) => (sort.field === 'id' ? r.id : sort.field === 'createdAt' ? r.created_at : r.updated_at);
    const page = toPage(rows, query.limit, sortValue, (r) => toLead(r, comms.get(r.id)!));
    if (query.withTotal) page.total = await repo.countLeads(this.db, actor.workspaceId, conditions);
    return page;
  }

  board(actor: Actor, filters: LeadFilters, limit: number): Promise<LeadBoard> {
    return buildLeadBoard(this.ctx, actor, filters, limit);
  }

  boardColumn(actor: Actor, statusId: number, filters: LeadFilters, limit: number, cursor?: string): Promise<LeadBoardColumn> {
    return buildLeadBoardColumn(this.ctx, actor, statusId, filters, limit, cursor);
  }

  async timeline(actor: Actor, id: number, limit: number, cursor?: string): Promise<Page<TimelineEntry>> {
    await this.readable(this.db, actor, id);
    return this.ctx.services.timeline.list(actor, 'lead', id, limit, cursor);
  }

  /** A comment on the lead's timeline: like contacts, it needs the right to change the lead. */
  async comment(actor: Actor, id: number, text: string): Promise<TimelineEntry> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.readable(trx, actor, id);
      if (!mayActOn(actor, 'lead', 'update', row.responsible_id)) throw forbidden('You may not comment on this lead');
      await this.ctx.services.timeline.record(trx, actor.workspaceId, actor, { entityType: 'lead', entityId: id, kind: 'comment', data: { text } });
    });
    const page = await this.ctx.services.timeline.list(actor, 'lead', id, 20);
    return page.items.find((e) => e.kind === 'comment' && e.authorId === actor.userId && e.data.text === text) ?? page.items[0]!;
  }

  /** Converts the lead into a deal, a contact and/or a company in one transaction (see convert-lead.ts). */
  convert(actor: Actor, id: number, input: LeadConvertInput, exec?: Executor): Promise<LeadConversionResult> {
    return convertLead(this.ctx, actor, id, input, exec);
  }
}
