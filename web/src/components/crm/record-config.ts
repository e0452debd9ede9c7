import type { TFunction } from 'i18next';
import type { FieldSpec } from './RecordFields';

// What the shared record screens (list, card, create form) need to know of one kind of CRM record:
// leads, contacts, companies. `resource` is at once the API path (/contacts), the query keys
// (['contacts', …]), the route (/contacts/…) and the i18n prefix (contacts.title, contacts.new…).

export type CrmResource = 'contacts' | 'companies' | 'leads';

export interface CrmRecord {
  id: number;
  version: number;
  responsibleId: number;
  custom: Record<string, unknown>;
  createdAt: string;
  /** a lead's currency; contacts and companies use the workspace's */
  currency?: string;
}

export interface BodyContext<R> {
  /** the record being edited; undefined in the create form */
  record?: R;
  /** the record's currency, or the workspace's */
  currency: string;
  t: TFunction;
}

export interface RecordConfig<R extends CrmRecord, F extends Record<string, unknown>> {
  resource: CrmResource;
  /** the form's inputs, in order */
  fields: Array<FieldSpec<F>>;
  emptyForm: (responsibleId: number, currency: string) => F;
  toForm: (r: R) => F;
  /** form fields (all of them, or the changed ones) → API body, or the errors to show at the fields */
  toBody: (f: Partial<F>, ctx: BodyContext<R>) => { body: Record<string, unknown>; errors?: Record<string, string> };
  /** the card's heading */
  title: (r: R, t: TFunction) => string;
}
