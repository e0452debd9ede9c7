import { currencyDigits, minorToDecimalString, parseMoney } from '../../lib/format';
import type { Lead } from './types';

// The convert dialog's state and the POST /leads/{id}/convert body built from it. Each part is
// optional; contact and company are either created (prefilled from the lead, editable) or an
// existing record linked. Server field errors come back as `contact.create.lastName` etc.

export type Mode = 'new' | 'existing';

export interface ConvertState {
  deal: { enabled: boolean; title: string; amount: string; pipelineId: string | null };
  contact: { enabled: boolean; mode: Mode; lastName: string; firstName: string; middleName: string; position: string; existingId: number | null };
  company: { enabled: boolean; mode: Mode; name: string; existingId: number | null };
}

export function initialConvertState(lead: Lead): ConvertState {
  const hasPerson = !!(lead.firstName || lead.lastName || lead.middleName);
  return {
    deal: { enabled: true, title: lead.title, amount: lead.amount ? minorToDecimalString(lead.amount, currencyDigits(lead.currency)).replace(/\.0+$/, '') : '', pipelineId: null },
    contact: {
      enabled: hasPerson || lead.phones.length > 0 || lead.emails.length > 0,
      mode: 'new',
      lastName: lead.lastName ?? '',
      firstName: lead.firstName ?? '',
      middleName: lead.middleName ?? '',
      position: lead.position ?? '',
      existingId: null,
    },
    company: { enabled: !!lead.companyName, mode: 'new', name: lead.companyName ?? '', existingId: null },
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The request body, or the local errors (by the same paths the server uses) that stop sending it. */
export function buildConvertBody(s: ConvertState, lead: Lead): { body: Record<string, unknown>; errors: Record<string, string> } {
  const body: Record<string, unknown> = { version: lead.version };
  const errors: Record<string, string> = {};
  if (s.deal.enabled) {
    const create: Record<string, unknown> = {};
    if (s.deal.title.trim()) create.title = s.deal.title.trim();
    const amount = s.deal.amount.trim() ? parseMoney(s.deal.amount, lead.currency) : 0;
    if (amount === null || amount < 0) errors['deal.create.amount'] = 'invalid';
    else create.amount = amount;
    if (s.deal.pipelineId) create.pipelineId = Number(s.deal.pipelineId);
    body.deal = { create };
  }
  if (s.contact.enabled) {
    if (s.contact.mode === 'existing') {
      if (s.contact.existingId === null) errors['contact.id'] = 'required';
      else body.contact = { id: s.contact.existingId };
    } else {
      body.contact = {
        create: { lastName: orNull(s.contact.lastName), firstName: orNull(s.contact.firstName), middleName: orNull(s.contact.middleName), position: orNull(s.contact.position) },
      };
    }
  }
  if (s.company.enabled) {
    if (s.company.mode === 'existing') {
      if (s.company.existingId === null) errors['company.id'] = 'required';
      else body.company = { id: s.company.existingId };
    } else {
      if (!s.company.name.trim()) errors['company.create.name'] = 'required';
      body.company = { create: { name: s.company.name.trim() } };
    }
  }
  if (!s.deal.enabled && !s.contact.enabled && !s.company.enabled) errors.deal = 'nothing';
  return { body, errors };
}

/** Where to go after converting: the new deal, else the contact, else the company. */
export function afterConvertPath(res: { deal?: { id: number }; contact?: { id: number }; company?: { id: number } }, leadId: number): string {
  if (res.deal) return `/deals/${res.deal.id}`;
  if (res.contact) return `/contacts/${res.contact.id}`;
  if (res.company) return `/companies/${res.company.id}`;
  return `/leads/${leadId}`;
}

/** A contact or company as the search lists it (only what the match needs). */
export interface DuplicateHit {
  id: number;
  fullName?: string;
  name?: string;
  phones?: Array<{ value: string; normalized?: string }>;
  emails?: Array<{ value: string }>;
}

const sameText = (a: string | null | undefined, b: string | null | undefined) => {
  const norm = (s: string) => s.toLocaleLowerCase().replace(/[«»"'„“”]/g, '').replace(/\s+/g, ' ').trim();
  return !!a && !!b && norm(a) !== '' && norm(a) === norm(b);
};
const digits = (p: { value: string; normalized?: string | null }) => (p.normalized || p.value).replace(/\D/g, '');

/**
 * The record the conversion should link rather than create again: a company of exactly the lead's
 * company name; a contact of exactly the lead's person name that shares a phone or e-mail with it
 * (or, when the lead has neither, of that name alone). Anything less is only a warning.
 */
export function exactDuplicate<H extends DuplicateHit>(kind: 'contact' | 'company', lead: Lead, hits: H[]): H | null {
  if (kind === 'company') return hits.find((h) => sameText(h.name, lead.companyName)) ?? null;
  const person = [lead.lastName, lead.firstName, lead.middleName].filter((s) => s && s.trim()).join(' ');
  const phones = new Set(lead.phones.map(digits).filter(Boolean));
  const emails = new Set(lead.emails.map((e) => e.value.trim().toLowerCase()));
  const reachable = phones.size > 0 || emails.size > 0;
  const shares = (h: H) => (h.phones ?? []).some((p) => phones.has(digits(p))) || (h.emails ?? []).some((e) => emails.has(e.value.trim().toLowerCase()));
  return hits.find((h) => sameText(h.fullName, person) && (!reachable || shares(h))) ?? null;
}

const LEGAL_FORMS = /^(ооо|оао|зао|пао|ао|ип|нко|ano|llc|ltd|inc|gmbh)$/i;

/**
 * The searches for companies like the lead's: its name, and the name without quotes and legal
 * form («ООО «Ромашка»» → «Ромашка»), so that «ООО Ромашка» finds «ООО «Ромашка»» too.
 */
export function companyQueries(companyName: string | null | undefined): string[] {
  const name = (companyName ?? '').trim();
  if (!name) return [];
  const core = name
    .replace(/[«»"'„“”]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !LEGAL_FORMS.test(w))
    .join(' ');
  return core.length >= 2 && core.toLocaleLowerCase() !== name.toLocaleLowerCase() ? [name, core] : [name];
}
