// Shapes and small helpers of the CRM record screens (leads, contacts, companies). The look-ups
// they show (users, reference lists, pipelines) are in src/api/lookups.ts.

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

export interface DealSummary {
  id: number;
  title: string;
  pipelineId: number;
  stageId: number;
  stageSemantic: string;
  amount: number;
  currency: string;
  responsibleId: number;
  closed: boolean;
  createdAt: string;
}

/** "Фамилия Имя Отчество" as the server builds it. */
export function personName(p: { firstName?: string | null; lastName?: string | null; middleName?: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter((s) => s && s.trim()).join(' ');
}

/** '' → null, 'x ' → 'x' for optional text fields sent to the API. */
export const textOrNull = (s: string | null | undefined): string | null => (s && s.trim() ? s.trim() : null);
export const idOrNull = (s: string | null | undefined): number | null => (s ? Number(s) : null);
