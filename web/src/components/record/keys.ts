import type { QueryClient } from '@tanstack/react-query';
import { markBoardsStale } from '../../api/deals';

/** URL segment of a record type: `/deals/{id}/timeline`. */
export type RecordEntity = 'deals' | 'leads' | 'contacts' | 'companies';
/** The singular the API uses in bodies and `?entity=`: activities' `entityType`, custom fields. */
export const SINGULAR: Record<RecordEntity, 'deal' | 'lead' | 'contact' | 'company'> = { deals: 'deal', leads: 'lead', contacts: 'contact', companies: 'company' };

// Query keys of a record's sub-resources. They start with the record's own key
// ([entity, id]), so invalidating [entity, id] refreshes the record, its timeline and activities.

export const recordKey = (entity: RecordEntity, id: number) => [entity, id] as const;
export const timelineQueryKey = (entity: RecordEntity, id: number) => [entity, id, 'timeline'] as const;
export const activitiesQueryKey = (entity: RecordEntity, id: number) => [entity, id, 'activities'] as const;

/** After a change to a record's activities: the record (next step), its history, activity lists, My day. */
export function invalidateAfterActivity(qc: QueryClient, entity: RecordEntity, id: number): void {
  void qc.invalidateQueries({ queryKey: recordKey(entity, id) });
  void qc.invalidateQueries({ queryKey: ['activities'] });
  // My day's "deals without a next step" (its activity lists start with ['activities'])
  void qc.invalidateQueries({ queryKey: ['deals', 'myDay'] });
  if (entity === 'deals') markBoardsStale(qc);
}

/** The record types whose screens show links to one another (a company's people and deals, a contact's companies, a lead's deal). */
export const LINKED_ENTITIES: readonly RecordEntity[] = ['deals', 'leads', 'contacts', 'companies'];

/**
 * After a change to the links between records — a merge, a delete, a restore from the recycle bin,
 * a conversion, an edit of a contact's companies or a deal's client — every query that shows links:
 * the lists and sections (a company's contacts, a contact's deals), the records and their names.
 * The queries on screen refetch in place; the others are dropped, so that a card opened later
 * loads afresh instead of showing the old links from cache until its refetch answers.
 */
export function invalidateLinks(qc: QueryClient): void {
  for (const entity of LINKED_ENTITIES) {
    qc.removeQueries({ queryKey: [entity], type: 'inactive' });
    void qc.invalidateQueries({ queryKey: [entity] });
  }
  markBoardsStale(qc);
}

/** After a record was saved: its history, and its name where other records show it. */
export function invalidateSavedRecord(qc: QueryClient, entity: RecordEntity, id: number): void {
  void qc.invalidateQueries({ queryKey: timelineQueryKey(entity, id) });
  void qc.invalidateQueries({ queryKey: [entity, id, 'name'] });
  // a change may start robots (the deal card's automation)
  if (entity === 'deals') void qc.invalidateQueries({ queryKey: [entity, id, 'automation'] });
}
