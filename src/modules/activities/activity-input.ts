import { fieldInvalid, validationFailed, type FieldError } from '../../server/errors.js';
import { DIRECTED_TYPES, type ActivityType, type OwnerType } from './activities.schema.js';
import type { Owner } from './owner-link.js';

// Rules across fields that zod checks one at a time cannot: they run on the activity as it
// will be after the write, so a PATCH of one field is checked against the stored others.

export interface ActivityShape {
  type: ActivityType;
  startAt: string | null;
  deadlineAt: string | null;
  direction: 'incoming' | 'outgoing' | null;
}

export function checkActivityShape(a: ActivityShape): void {
  const fields: FieldError[] = [];
  if (a.direction !== null && !DIRECTED_TYPES.has(a.type)) fields.push({ path: 'direction', message: 'only calls and e-mails have a direction' });
  if (a.startAt !== null && a.deadlineAt !== null && a.deadlineAt < a.startAt) fields.push({ path: 'deadlineAt', message: 'must not be before startAt' });
  if (fields.length) throw validationFailed(fields);
}

/** The owner named by entityType + entityId (both or neither; null in both unlinks). */
export function ownerFromInput(entityType: OwnerType | null | undefined, entityId: number | null | undefined): Owner | null {
  const hasType = entityType != null;
  const hasId = entityId != null;
  if (hasType !== hasId) throw fieldInvalid(hasType ? 'entityId' : 'entityType', 'entityType and entityId go together');
  return hasType && hasId ? { type: entityType, id: entityId } : null;
}
