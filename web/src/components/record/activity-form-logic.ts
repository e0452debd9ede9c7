import type { Activity, ActivityType } from './activity';
import { defaultDeadlineLocal } from './reschedule';
import { utcIsoToZonedLocal, zonedLocalToUtcIso } from './zoned-time';

// The values of the activity form (plan and edit), what a save sends and how a version conflict
// is merged. Pure: unit-tested. Field names are the API's, so server field errors land as they are.

export interface ActivityValues {
  type: ActivityType;
  subject: string;
  /** datetime-local in the user's time zone, '' = no deadline */
  deadlineAt: string;
  responsibleId: string;
  description: string;
}
export type FormField = keyof ActivityValues;
export const FORM_FIELDS: FormField[] = ['type', 'subject', 'deadlineAt', 'responsibleId', 'description'];

export const SUBJECT_MAX = 500;
export const DESCRIPTION_MAX = 20_000;

export function valuesOf(a: Activity, timeZone?: string): ActivityValues {
  return {
    type: a.type,
    subject: a.subject,
    deadlineAt: a.deadlineAt ? utcIsoToZonedLocal(a.deadlineAt, timeZone) : '',
    responsibleId: String(a.responsibleId),
    description: a.description ?? '',
  };
}

/** Where the plan form keeps what was typed for a new activity of a record (survives a session expiry). */
export const newActivityDraftKey = (owner: { type: string; id: number }) => `activity-new:${owner.type}:${owner.id}`;

/** A new activity: a call, tomorrow at 10:00, for `responsibleId`. */
export function newValues(responsibleId: number, now: Date, timeZone?: string): ActivityValues {
  return { type: 'call', subject: '', deadlineAt: defaultDeadlineLocal(now, timeZone), responsibleId: String(responsibleId), description: '' };
}

const norm = (v: ActivityValues, f: FormField) => (f === 'subject' || f === 'description' ? v[f].trim() : v[f]);
const sameField = (a: ActivityValues, b: ActivityValues, f: FormField) => norm(a, f) === norm(b, f);

export type FormProblem = 'required' | 'badDeadline' | 'tooLong';

/** What is wrong with the values before anything is sent (keyed by field). */
export function checkValues(v: ActivityValues, timeZone?: string): Partial<Record<FormField, FormProblem>> {
  const out: Partial<Record<FormField, FormProblem>> = {};
  if (!v.subject.trim()) out.subject = 'required';
  else if (v.subject.trim().length > SUBJECT_MAX) out.subject = 'tooLong';
  if (v.deadlineAt && !zonedLocalToUtcIso(v.deadlineAt, timeZone)) out.deadlineAt = 'badDeadline';
  if (!v.responsibleId) out.responsibleId = 'required';
  if (v.description.trim().length > DESCRIPTION_MAX) out.description = 'tooLong';
  return out;
}

function fieldBody(v: ActivityValues, f: FormField, timeZone?: string): unknown {
  switch (f) {
    case 'subject':
      return v.subject.trim();
    case 'description':
      return v.description.trim() || null;
    case 'deadlineAt':
      return v.deadlineAt ? zonedLocalToUtcIso(v.deadlineAt, timeZone) : null;
    case 'responsibleId':
      return Number(v.responsibleId);
    default:
      return v[f];
  }
}

/** The body of a new activity (checked values). */
export function createBody(v: ActivityValues, timeZone?: string): Record<string, unknown> {
  return Object.fromEntries(FORM_FIELDS.map((f) => [f, fieldBody(v, f, timeZone)]));
}

/**
 * The PATCH of an edit: only the fields the user changed against the version they edited, so that
 * an untouched deadline keeps its seconds and the history lists only real changes. {} = nothing to save.
 */
export function changedBody(v: ActivityValues, base: ActivityValues, timeZone?: string): Record<string, unknown> {
  return Object.fromEntries(FORM_FIELDS.filter((f) => !sameField(v, base, f)).map((f) => [f, fieldBody(v, f, timeZone)]));
}

export interface Merge {
  /** the form after the merge: their changes where the user left a field alone, the user's own edits otherwise */
  values: ActivityValues;
  /** fields someone else changed that the user had not touched (taken over into the form) */
  taken: FormField[];
  /** fields both changed, differently (the user's value stays; the server's is shown beside it) */
  clashes: FormField[];
}

/**
 * Three-way merge after a 409: `base` is what the user started from, `mine` the form, `theirs`
 * the activity as it is now on the server. Nothing the user typed is lost, and saving again does
 * not silently undo the other person's changes to fields the user did not touch.
 */
export function mergeOnConflict(mine: ActivityValues, base: ActivityValues, theirs: ActivityValues): Merge {
  const values = { ...mine };
  const taken: FormField[] = [];
  const clashes: FormField[] = [];
  for (const f of FORM_FIELDS) {
    if (sameField(base, theirs, f)) continue; // they did not change it
    if (sameField(mine, base, f)) {
      (values as Record<FormField, string>)[f] = theirs[f];
      taken.push(f);
    } else if (!sameField(mine, theirs, f)) clashes.push(f);
  }
  return { values, taken, clashes };
}
