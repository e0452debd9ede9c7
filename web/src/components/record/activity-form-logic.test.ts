import { describe, expect, it } from 'vitest';
import type { Activity } from './activity';
import { changedBody, checkValues, createBody, mergeOnConflict, newValues, valuesOf } from './activity-form-logic';

const activity: Activity = {
  id: 7,
  type: 'call',
  subject: 'Позвонить по договору',
  description: null,
  startAt: null,
  deadlineAt: '2026-11-28T07:30:42.000Z', // 10:30 in Moscow (with seconds from the API)
  responsibleId: 3,
  entityType: 'deal',
  entityId: 1,
  status: 'planned',
  result: null,
  overdue: false,
  version: 4,
};
const TZ = 'Europe/Moscow';

describe('activity form values', () => {
  it('reads an activity in the user zone', () => {
    expect(valuesOf(activity, TZ)).toEqual({ type: 'call', subject: 'Позвонить по договору', deadlineAt: '2026-11-28T10:30', responsibleId: '3', description: '' });
    expect(valuesOf({ ...activity, deadlineAt: null, description: 'Бюджет' }, TZ)).toMatchObject({ deadlineAt: '', description: 'Бюджет' });
  });

  it('a new one is a call tomorrow at 10:00', () => {
    expect(newValues(5, new Date('2026-11-28T22:30:00.000Z'), TZ)).toEqual({ type: 'call', subject: '', deadlineAt: '2026-11-30T10:00', responsibleId: '5', description: '' });
  });

  it('checks the subject and the deadline', () => {
    const v = valuesOf(activity, TZ);
    expect(checkValues(v, TZ)).toEqual({});
    expect(checkValues({ ...v, subject: '   ' }, TZ)).toEqual({ subject: 'required' });
    expect(checkValues({ ...v, subject: 'x'.repeat(501) }, TZ)).toEqual({ subject: 'tooLong' });
    expect(checkValues({ ...v, deadlineAt: '2026-11-28' }, TZ)).toEqual({ deadlineAt: 'badDeadline' });
    expect(checkValues({ ...v, deadlineAt: '' }, TZ)).toEqual({});
  });

  it('a new activity sends every field, trimmed, the deadline in UTC', () => {
    expect(createBody({ type: 'meeting', subject: ' Встреча ', deadlineAt: '2026-12-01T15:00', responsibleId: '3', description: '  ' }, TZ)).toEqual({
      type: 'meeting',
      subject: 'Встреча',
      deadlineAt: '2026-12-01T12:00:00.000Z',
      responsibleId: 3,
      description: null,
    });
  });

  it('an edit sends only what changed (an untouched deadline keeps its seconds)', () => {
    const base = valuesOf(activity, TZ);
    expect(changedBody(base, base, TZ)).toEqual({});
    expect(changedBody({ ...base, subject: 'Позвонить по договору ' }, base, TZ)).toEqual({});
    expect(changedBody({ ...base, subject: 'Обсудить скидку' }, base, TZ)).toEqual({ subject: 'Обсудить скидку' });
    expect(changedBody({ ...base, deadlineAt: '2026-11-29T11:00', responsibleId: '8' }, base, TZ)).toEqual({ deadlineAt: '2026-11-29T08:00:00.000Z', responsibleId: 8 });
    expect(changedBody({ ...base, deadlineAt: '' }, base, TZ)).toEqual({ deadlineAt: null });
  });
});

describe('merging after a version conflict', () => {
  const base = valuesOf(activity, TZ);

  it('takes over what the other person changed where the user did not type', () => {
    const mine = { ...base, subject: 'Обсудить скидку' };
    const theirs = { ...base, deadlineAt: '2026-12-02T09:00' };
    expect(mergeOnConflict(mine, base, theirs)).toEqual({ values: { ...base, subject: 'Обсудить скидку', deadlineAt: '2026-12-02T09:00' }, taken: ['deadlineAt'], clashes: [] });
  });

  it('keeps the user value where both changed a field, and says so', () => {
    const mine = { ...base, subject: 'Обсудить скидку' };
    const theirs = { ...base, subject: 'Отправить счёт', type: 'email' as const };
    const m = mergeOnConflict(mine, base, theirs);
    expect(m.values).toEqual({ ...base, subject: 'Обсудить скидку', type: 'email' });
    expect(m.taken).toEqual(['type']);
    expect(m.clashes).toEqual(['subject']);
  });

  it('no clash when both made the same change', () => {
    const mine = { ...base, responsibleId: '9' };
    expect(mergeOnConflict(mine, base, { ...base, responsibleId: '9' })).toEqual({ values: mine, taken: [], clashes: [] });
  });
});
