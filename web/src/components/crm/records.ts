// Shapes and small helpers of the CRM record screens (leads, contacts, companies). The look-ups
// they show (users, reference lists, pipelines) are in src/api/lookups.ts.

import type { Deal } from '../../api/deals';

export interface Communication {
  value: string;
  type: string;
  normalized?: string;
}

export interface Duplicate {
  entity: 'contact' | 'company' | 'lead';
  id: number;
  matchedBy: 'phone' | 'email' | 'name';
}

/** What a contact's or company's card shows of its deals. */
export type DealSummary = Pick<Deal, 'id' | 'title' | 'pipelineId' | 'stageId' | 'stageSemantic' | 'amount' | 'currency' | 'responsibleId' | 'closed' | 'createdAt'>;

/** "Фамилия Имя Отчество" as the server builds it. */
export function personName(p: { firstName?: string | null; lastName?: string | null; middleName?: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter((s) => s && s.trim()).join(' ');
}

/** '' → null, 'x ' → 'x' for optional text fields sent to the API. */
export const textOrNull = (s: string | null | undefined): string | null => (s && s.trim() ? s.trim() : null);
export const idOrNull = (s: string | null | undefined): number | null => (s ? Number(s) : null);

/** Rows left blank are not sent. */
export const cleanComms = (list: Communication[]) => list.filter((c) => c.value.trim()).map((c) => ({ value: c.value.trim(), type: c.type || 'work' }));

/**
 * Form fields → API body, for what every record form has: phones and e-mails without blank rows,
 * reference ids as numbers or null (a responsible or a status is never cleared), id lists as they
 * are, text trimmed or null. `own` takes the entity's other fields (true: handled).
 */
export function formToBody(f: Record<string, unknown>, own: (key: string, value: unknown, body: Record<string, unknown>) => boolean = () => false): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (own(k, v, body)) continue;
    if (k === 'phones' || k === 'emails') body[k] = cleanComms(v as Communication[]);
    else if (k === 'responsibleId' || k === 'statusId') {
      if (v) body[k] = Number(v);
    } else if (k.endsWith('Id')) body[k] = idOrNull(v as string | null);
    else if (Array.isArray(v)) body[k] = v;
    else body[k] = textOrNull(v as string);
  }
  return body;
}
