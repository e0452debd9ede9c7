import type { Pipeline } from '../../api/lookups';
import { parseMoney } from '../../lib/format';

// The «Новая сделка» form's state, its start from the address (/deals/new?contactId=&companyId=
// &pipelineId=&stageId=: a contact's or company's card and the board prefill it) and the
// POST /deals body it makes. Custom fields are built by customBody (CustomFields.logic.ts).

export interface NewDealForm {
  title: string;
  pipelineId: string | null;
  stageId: string | null;
  amount: string;
  currency: string;
  responsibleId: string | null;
  contactIds: number[];
  companyId: number | null;
}

const idParam = (p: URLSearchParams, k: string): number | null => {
  const n = Number(p.get(k));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** The stages a deal may start in: those in progress (a closed one needs the card's close flow). */
export const openStages = (p: Pipeline | undefined) => (p?.stages ?? []).filter((s) => s.semantic === 'in_progress').sort((a, b) => a.sort - b.sort);

/** The form as the address and the pipelines start it. */
export function initialNewDeal(params: URLSearchParams, pipelines: Pipeline[], me: { id: number; currency: string }): NewDealForm {
  const asked = pipelines.find((p) => p.id === idParam(params, 'pipelineId'));
  const pipeline = asked ?? pipelines.find((p) => p.isDefault) ?? pipelines[0];
  const stages = openStages(pipeline);
  const stage = stages.find((s) => s.id === idParam(params, 'stageId')) ?? stages[0];
  const contactId = idParam(params, 'contactId');
  return {
    title: '',
    pipelineId: pipeline ? String(pipeline.id) : null,
    stageId: stage ? String(stage.id) : null,
    amount: '',
    currency: me.currency,
    responsibleId: String(me.id),
    contactIds: contactId ? [contactId] : [],
    companyId: idParam(params, 'companyId'),
  };
}

/** The body of POST /deals, or the errors (by the server's paths) that keep it from being sent. */
export function newDealBody(f: NewDealForm): { body: Record<string, unknown>; errors: Record<string, 'required' | 'badAmount'> } {
  const errors: Record<string, 'required' | 'badAmount'> = {};
  const title = f.title.trim();
  if (!title) errors.title = 'required';
  const amount = f.amount.trim() ? parseMoney(f.amount, f.currency) : 0;
  if (amount === null || amount < 0) errors.amount = 'badAmount';
  if (!f.stageId) errors.stageId = 'required';
  const body: Record<string, unknown> = {
    title,
    amount: amount ?? 0,
    currency: f.currency,
    ...(f.pipelineId ? { pipelineId: Number(f.pipelineId) } : {}),
    ...(f.stageId ? { stageId: Number(f.stageId) } : {}),
    ...(f.responsibleId ? { responsibleId: Number(f.responsibleId) } : {}),
    contactIds: f.contactIds,
    companyId: f.companyId,
  };
  return { body, errors };
}
