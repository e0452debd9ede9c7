import { formToBody, type Communication } from '../../components/crm/records';
import type { Schemas } from '../../api/types';
import { currencyDigits, minorToDecimalString, parseMoney } from '../../lib/format';

/** A lead as the API answers it (GET /leads/{id}). */
export type Lead = Schemas['Lead'];

export interface LeadForm extends Record<string, unknown> {
  title: string;
  lastName: string;
  firstName: string;
  middleName: string;
  companyName: string;
  position: string;
  phones: Communication[];
  emails: Communication[];
  statusId: string | null;
  sourceId: string | null;
  responsibleId: string | null;
  amount: string;
  currency: string;
  comment: string;
}

/** Kopecks → what the amount field shows: «250000», «1500.50» (no «.00»). */
export const amountText = (minor: number, currency: string) => (minor ? minorToDecimalString(minor, currencyDigits(currency)).replace(/\.0+$/, '') : '');

export const emptyLeadForm = (responsibleId: number, currency: string): LeadForm => ({
  title: '',
  lastName: '',
  firstName: '',
  middleName: '',
  companyName: '',
  position: '',
  phones: [{ value: '', type: 'mobile' }],
  emails: [{ value: '', type: 'work' }],
  statusId: null,
  sourceId: null,
  responsibleId: String(responsibleId),
  amount: '',
  currency,
  comment: '',
});

export const leadToForm = (l: Lead): LeadForm => ({
  title: l.title,
  lastName: l.lastName ?? '',
  firstName: l.firstName ?? '',
  middleName: l.middleName ?? '',
  companyName: l.companyName ?? '',
  position: l.position ?? '',
  phones: l.phones.map((p) => ({ value: p.value, type: p.type })),
  emails: l.emails.map((e) => ({ value: e.value, type: e.type })),
  statusId: String(l.statusId),
  sourceId: l.sourceId === null ? null : String(l.sourceId),
  responsibleId: String(l.responsibleId),
  amount: amountText(l.amount, l.currency),
  currency: l.currency,
  comment: l.comment ?? '',
});

/** Form → API body. An amount that does not parse is left for the field error (returned in `invalid`). */
export function leadBody(f: Partial<LeadForm>, currency: string): { body: Record<string, unknown>; invalid: string[] } {
  const invalid: string[] = [];
  const body = formToBody(f, (k, v, out) => {
    if (k === 'amount') {
      const text = (v as string).trim();
      const minor = text ? parseMoney(text, f.currency || currency) : 0;
      if (minor === null || minor < 0) invalid.push('amount');
      else out.amount = minor;
    } else if (k === 'currency') {
      // the currency goes with an amount only (a new lead without one takes the workspace's)
      if (f.amount?.trim()) out[k] = v;
    } else if (k === 'title') {
      const title = (v as string).trim();
      if (title) out.title = title;
    } else return false;
    return true;
  });
  return { body, invalid };
}
