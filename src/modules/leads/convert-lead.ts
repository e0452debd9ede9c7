import { enterStatus } from './status-history.js';
import { sql, type SqlBool } from 'kysely';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { AppError, conflict, forbidden, ruleViolation, versionConflict } from '../../server/errors.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import type { Services } from '../services.js';
import type { Communications } from '../contacts/communications.service.js';
import type { EmailType, PhoneType } from '../../shared/communications.js';
import type { CreateCompanyInput } from '../contacts/companies.schema.js';
import { findLead, updateLead } from './leads.repo.js';
import type { LeadRow } from './leads.mapper.js';
import type { Lead, LeadConvertInput } from './leads.schema.js';

// Conversion: one call turns a lead into any of deal, contact and company — new ones, or
// (contact, company) existing ones linked — and marks the lead converted with links to them;
// the lead's open and done activities move to the deal (else the contact, else the company).
// Everything runs in ONE transaction and the other modules' create() calls join it, so a
// failure at any step (a company that does not exist, a contact without a name, a deal in a
// pipeline the actor may not use) leaves nothing behind and the lead unchanged.

type Created<K extends 'deals' | 'contacts' | 'companies'> = Awaited<ReturnType<Services[K]['create']>>;
type Fetched<K extends 'contacts' | 'companies'> = Awaited<ReturnType<Services[K]['get']>>;

export interface LeadConversionResult {
  lead: Lead;
  deal?: Created<'deals'>;
  contact?: Created<'contacts'> | Fetched<'contacts'>;
  company?: Created<'companies'> | Fetched<'companies'>;
}

/** Field errors of a nested create are reported under the request path that caused them: `company.create.name`. */
async function under<T>(prefix: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof AppError && err.fields.length > 0) {
      const fields = err.fields.map((f) => ({ path: `${prefix}.${f.path}`, message: f.message }));
      throw new AppError(err.status, err.code, `${prefix}: ${err.message}`, fields, err.extra);
    }
    throw err;
  }
}

const keepOn404 =
  <T>(fallback: T) =>
  (err: unknown): T => {
    if (err instanceof AppError && err.status === 404) return fallback;
    throw err;
  };

/**
 * Phones/e-mails as a create body takes them (the normalised form is the target's business).
 * The stored types passed the same type lists when the lead was written.
 */
const asInput = <T extends PhoneType | EmailType>(list: Communications['phones']) => list.map((c) => ({ value: c.value, type: c.type as T }));

export async function convertLead(ctx: AppContext, actor: Actor, id: number, input: LeadConvertInput, exec?: Executor): Promise<LeadConversionResult> {
  const ws = actor.workspaceId;
  const { services } = ctx;
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const row = await services.leads.readable(trx, actor, id, true);
    if (!mayActOn(actor, 'lead', 'update', row.responsible_id)) throw forbidden('You may not convert this lead');
    if (input.version !== undefined && input.version !== row.version) throw versionConflict(await services.leads.load(trx, row));
    if (row.status_semantic === 'converted') throw conflict('The lead is already converted', [{ path: 'id', message: 'already converted' }]);
    const convertedStatus = await services.referenceLists.leadStatusBySemantic(trx, ws, 'converted');
    if (!convertedStatus) throw ruleViolation('no_converted_status', 'The workspace has no lead status with the "converted" semantic; add one in the reference lists');
    const comms = (await services.communications.listFor(trx, ws, 'lead', [id])).get(id)!;

    const created = { deal: false, contact: false, company: false };
    // Company first, so that a new contact can be linked to it; the deal last, linked to both.
    let company: LeadConversionResult['company'];
    let companyId: number | null = null;
    if (input.company && 'id' in input.company) {
      companyId = (await services.companies.ensureReadable(trx, actor, input.company.id, 'company.id')).id;
      company = await services.companies.get(actor, companyId, trx);
    } else if (input.company) {
      const create = input.company.create;
      // Phones and e-mails belong to the person when a contact comes out of the same lead.
      const giveComms = !input.contact;
      // Without a company name on the lead or in the request, the companies service answers
      // 400 at `name` (reported as company.create.name) and the whole conversion rolls back.
      const body = {
        name: row.company_name ?? undefined,
        responsibleId: row.responsible_id,
        ...(giveComms ? { phones: asInput<PhoneType>(comms.phones), emails: asInput<EmailType>(comms.emails) } : {}),
        ...create,
      } as CreateCompanyInput;
      company = await under('company.create', () => services.companies.create(actor, body, trx));
      companyId = company.id;
      created.company = true;
    }

    let contact: LeadConversionResult['contact'];
    let contactId: number | null = null;
    if (input.contact && 'id' in input.contact) {
      contactId = (await services.contacts.ensureReadable(trx, actor, input.contact.id, 'contact.id')).id;
      contact = await services.contacts.get(actor, contactId, trx);
    } else if (input.contact) {
      const create = input.contact.create;
      contact = await under('contact.create', () =>
        services.contacts.create(
          actor,
          {
            ...leadPerson(row),
            phones: asInput<PhoneType>(comms.phones),
            emails: asInput<EmailType>(comms.emails),
            sourceId: row.source_id,
            responsibleId: row.responsible_id,
            ...(companyId !== null ? { companyIds: [companyId] } : {}),
            ...create,
          },
          trx,
        ),
      );
      contactId = contact.id;
      created.contact = true;
    }

    let deal: LeadConversionResult['deal'];
    if (input.deal) {
      const create = input.deal.create;
      deal = await under('deal.create', () =>
        services.deals.create(
          actor,
          {
            title: row.title,
            amount: Number(row.amount),
            currency: row.currency,
            sourceId: row.source_id,
            responsibleId: row.responsible_id,
            comment: row.comment,
            ...(contactId !== null ? { contactIds: [contactId] } : {}),
            ...(companyId !== null ? { companyId } : {}),
            leadId: id,
            ...create,
          },
          trx,
        ),
      );
      created.deal = true;
    }

    // The lead's planned and done activities go on with what it became: the deal, else the
    // contact, else the company (cancelled ones stay in the lead's history).
    const heir = deal ? { type: 'deal' as const, id: deal.id } : contactId !== null ? { type: 'contact' as const, id: contactId } : companyId !== null ? { type: 'company' as const, id: companyId } : null;
    const moved = heir ? await services.activities.handOver(trx, ws, actor.userId, { type: 'lead', id }, heir) : [];
    // The answer shows the deal as stored: its next step may now be one of the lead's activities.
    // (A role may create deals it cannot read; that actor gets the deal as created.)
    if (deal && moved.length > 0) deal = await services.deals.get(actor, deal.id, trx).catch(keepOn404(deal));

    const convertedAt = nowIso(ctx.clock);
    // The semantic condition makes a concurrent second conversion fail here (and roll back
    // what it created) even where the row lock above is not available (SQLite serialises anyway).
    const changed = await updateLead(
      trx,
      ws,
      id,
      row.version,
      {
        status_id: convertedStatus.id,
        status_semantic: 'converted',
        converted_at: convertedAt,
        converted_deal_id: deal?.id ?? null,
        converted_contact_id: contactId,
        converted_company_id: companyId,
        updated_at: convertedAt,
      },
      [sql<SqlBool>`leads.status_semantic <> 'converted'`],
    );
    if (!changed) throw conflict('The lead was converted or changed meanwhile; reload it');
    await enterStatus(trx, ws, { leadId: id, statusId: convertedStatus.id, semantic: 'converted', responsibleId: row.responsible_id }, convertedAt, actor.userId);
    await services.timeline.record(trx, ws, actor, {
      entityType: 'lead',
      entityId: id,
      kind: 'status_changed',
      data: { from: { statusId: row.status_id, semantic: row.status_semantic }, to: { statusId: convertedStatus.id, semantic: 'converted' }, reason: 'converted' },
    });
    await services.timeline.record(trx, ws, actor, {
      entityType: 'lead',
      entityId: id,
      kind: 'converted',
      data: {
        statusId: { old: row.status_id, new: convertedStatus.id },
        dealId: deal?.id ?? null,
        contactId,
        companyId,
        created,
      },
    });
    const lead = await services.leads.load(trx, (await findLead(trx, ws, id))!);
    return { lead, ...(deal && { deal }), ...(contact && { contact }), ...(company && { company }) };
  });
}

const leadPerson = (row: LeadRow) => ({
  firstName: row.first_name,
  lastName: row.last_name,
  middleName: row.middle_name,
  position: row.position,
});
