import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import type { ParkedActivity } from '../activities/activities.service.js';
import type { ContactDealLinks } from '../deals/deal-bin.js';
import type { CommunicationRow } from './communications.service.js';
import type { ContactRow } from './contacts.mapper.js';
import type { CompanyRow } from './companies.mapper.js';

// Contacts and companies going to the recycle bin (src/modules/recycle-bin/) and coming back:
// the row, its phones and e-mails, its contact↔company links, its links from deals and its
// activities are kept in the snapshot; a restore re-inserts the row under its id and gives back
// the links to records that still exist.

export interface ContactSnapshot {
  contact: ContactRow;
  communications: CommunicationRow[];
  companyIds: number[];
  deals: ContactDealLinks;
  activities: ParkedActivity[];
}

export interface CompanySnapshot {
  company: CompanyRow;
  communications: CommunicationRow[];
  contactIds: number[];
  dealIds: number[];
  activities: ParkedActivity[];
}

const linksOf = (exec: Executor, ws: number, col: 'contact_id' | 'company_id', id: number) =>
  exec.selectFrom('contact_companies').select(['contact_id', 'company_id']).where('workspace_id', '=', ws).where(col, '=', id).execute();

export async function takeContactOut(ctx: AppContext, trx: Executor, row: ContactRow): Promise<ContactSnapshot> {
  const ws = row.workspace_id;
  const s = ctx.services;
  const snapshot: ContactSnapshot = {
    contact: row,
    communications: await s.communications.rowsOf(trx, ws, 'contact', row.id),
    companyIds: (await linksOf(trx, ws, 'contact_id', row.id)).map((l) => l.company_id),
    deals: await s.deals.contactLinks(trx, ws, row.id),
    activities: await s.activities.park(trx, ws, 'contact', row.id),
  };
  await s.communications.removeAll(trx, ws, 'contact', row.id);
  await trx.deleteFrom('contacts').where('workspace_id', '=', ws).where('id', '=', row.id).execute();
  return snapshot;
}

export async function putContactBack(ctx: AppContext, trx: Transaction<Database>, snapshot: ContactSnapshot): Promise<void> {
  const { contact } = snapshot;
  const ws = contact.workspace_id;
  const s = ctx.services;
  await trx.insertInto('contacts').values({ ...contact, updated_at: nowIso(ctx.clock), version: contact.version + 1 }).execute();
  await s.communications.restoreRows(trx, ws, 'contact', contact.id, snapshot.communications);
  const companies = await existing(trx, 'companies', ws, snapshot.companyIds);
  if (companies.length) await trx.insertInto('contact_companies').values(companies.map((companyId) => ({ workspace_id: ws, contact_id: contact.id, company_id: companyId }))).execute();
  await s.deals.restoreContactLinks(trx, ws, contact.id, snapshot.deals);
  await s.activities.unpark(trx, ws, 'contact', contact.id, snapshot.activities);
}

export async function takeCompanyOut(ctx: AppContext, trx: Executor, row: CompanyRow): Promise<CompanySnapshot> {
  const ws = row.workspace_id;
  const s = ctx.services;
  const snapshot: CompanySnapshot = {
    company: row,
    communications: await s.communications.rowsOf(trx, ws, 'company', row.id),
    contactIds: (await linksOf(trx, ws, 'company_id', row.id)).map((l) => l.contact_id),
    dealIds: await s.deals.companyDeals(trx, ws, row.id),
    activities: await s.activities.park(trx, ws, 'company', row.id),
  };
  await s.communications.removeAll(trx, ws, 'company', row.id);
  await trx.deleteFrom('companies').where('workspace_id', '=', ws).where('id', '=', row.id).execute();
  return snapshot;
}

export async function putCompanyBack(ctx: AppContext, trx: Transaction<Database>, snapshot: CompanySnapshot): Promise<void> {
  const { company } = snapshot;
  const ws = company.workspace_id;
  const s = ctx.services;
  await trx.insertInto('companies').values({ ...company, updated_at: nowIso(ctx.clock), version: company.version + 1 }).execute();
  await s.communications.restoreRows(trx, ws, 'company', company.id, snapshot.communications);
  const contacts = await existing(trx, 'contacts', ws, snapshot.contactIds);
  if (contacts.length) await trx.insertInto('contact_companies').values(contacts.map((contactId) => ({ workspace_id: ws, contact_id: contactId, company_id: company.id }))).execute();
  await s.deals.restoreCompanyDeals(trx, ws, company.id, snapshot.dealIds);
  await s.activities.unpark(trx, ws, 'company', company.id, snapshot.activities);
}

/** The ids of live contacts or companies of the workspace among `ids`. */
export async function existing(exec: Executor, table: 'contacts' | 'companies', ws: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await exec.selectFrom(table).select('id').where('workspace_id', '=', ws).where('id', 'in', [...new Set(ids)]).execute();
  return rows.map((r) => r.id);
}
