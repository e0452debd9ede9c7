import type { Selectable } from 'kysely';
import type { LeadsTable } from '../../db/schema.js';
import { buildSearchText } from '../../server/http/text.js';
import type { Communications } from '../contacts/communications.service.js';
import { phoneSearchTerms } from '../../shared/communications.js';
import type { Locale, Localized } from '../../shared/locale.js';
import type { Lead, LeadSemantic } from './leads.schema.js';

export type LeadRow = Selectable<LeadsTable>;

export function toLead(r: LeadRow, comms: Communications): Lead {
  return {
    id: r.id,
    title: r.title,
    firstName: r.first_name,
    lastName: r.last_name,
    middleName: r.middle_name,
    companyName: r.company_name,
    position: r.position,
    phones: comms.phones,
    emails: comms.emails,
    statusId: r.status_id,
    statusSemantic: r.status_semantic as LeadSemantic,
    sourceId: r.source_id,
    responsibleId: r.responsible_id,
    createdById: r.created_by_id,
    amount: Number(r.amount),
    currency: r.currency,
    comment: r.comment,
    utmSource: r.utm_source,
    utmMedium: r.utm_medium,
    utmCampaign: r.utm_campaign,
    utmContent: r.utm_content,
    utmTerm: r.utm_term,
    convertedAt: r.converted_at,
    convertedDealId: r.converted_deal_id,
    convertedContactId: r.converted_contact_id,
    convertedCompanyId: r.converted_company_id,
    custom: JSON.parse(r.custom) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** "Фамилия Имя Отчество", as contacts show it. */
export function personName(l: { firstName?: string | null; lastName?: string | null; middleName?: string | null }): string {
  return [l.lastName, l.firstName, l.middleName].filter((p) => p && p.trim() !== '').join(' ');
}

const NEW_LEAD: Localized = { ru: 'Новый лид', en: 'New lead' };

/**
 * A lead needs a title for lists and the board; when none is typed it is built from what
 * the lead says about the client: the person, the company, else the first phone or e-mail,
 * else «Новый лид» in the workspace's language.
 */
export function defaultTitle(
  l: {
  firstName?: string | null;
  lastName?: string | null;
  middleName?: string | null;
  companyName?: string | null;
  phones?: Array<{ value: string }>;
    emails?: Array<{ value: string }>;
  },
  locale: Locale,
): string {
  const person = personName(l);
  const company = l.companyName?.trim() ?? '';
  const title = [person, company].filter((p) => p !== '').join(', ') || l.phones?.[0]?.value || l.emails?.[0]?.value || NEW_LEAD[locale];
  return title.slice(0, 255);
}

/** What `q` searches: title, names, company, phones (E.164 and digits) and e-mails. */
export function leadSearchText(r: Pick<LeadRow, 'title' | 'first_name' | 'last_name' | 'middle_name' | 'company_name'>, comms: Communications): string {
  return buildSearchText([
    r.title,
    r.last_name,
    r.first_name,
    r.middle_name,
    r.company_name,
    ...comms.phones.flatMap((p) => phoneSearchTerms(p.normalized)),
    ...comms.emails.map((e) => e.normalized),
  ]);
}
