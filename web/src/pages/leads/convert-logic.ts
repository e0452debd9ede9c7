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
