import { describe, expect, it } from 'vitest';
import { activityHref, notificationHref, type AppNotification } from './notifications';

const note = (entity: AppNotification['entity']) => ({ id: 1, kind: 'activity_overdue', title: 't', body: null, entity, readAt: null, createdAt: '2026-01-01T00:00:00.000Z' }) as AppNotification;

describe('where a notification opens', () => {
  it('a record: its card; an activity: «Мой день» until its record is read; none: nowhere', () => {
    expect(notificationHref(note({ type: 'deal', id: 5 }))).toBe('/deals/5');
    expect(notificationHref(note({ type: 'company', id: 7 }))).toBe('/companies/7');
    expect(notificationHref(note({ type: 'activity', id: 9 }))).toBe('/my-day');
    expect(notificationHref(note(null))).toBeNull();
  });
  it('an activity: the record it belongs to, else «Мой день»', () => {
    expect(activityHref({ entityType: 'deal', entityId: 3 })).toBe('/deals/3');
    expect(activityHref({ entityType: 'lead', entityId: 4 })).toBe('/leads/4');
    expect(activityHref({ entityType: null, entityId: null })).toBe('/my-day');
  });
});
