// The notification bell's data: the unread count, live from GET /notifications/stream (one
// EventSource per tab, which reconnects by itself after the server's `retry` hint), the list,
// mark read, and the user's e-mail preferences.

import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Page, Schemas } from '../api/types';

export type AppNotification = Schemas['Notification'];
export type NotificationKind = AppNotification['kind'];
export type NotificationPreferences = Schemas['NotificationPreferences'];

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['robot', 'activity_overdue', 'deal_idle', 'digest'];

const LIST_KEY = ['notifications', 'list'] as const;
const PREFS_KEY = ['notifications', 'preferences'] as const;

const RECORD_PATHS = { deal: 'deals', lead: 'leads', contact: 'contacts', company: 'companies' } as const;
type RecordType = keyof typeof RECORD_PATHS;

/** Where a notification's record opens; null when it links to none. An activity's: «Мой день» (see notificationTarget). */
export function notificationHref(n: AppNotification): string | null {
  if (!n.entity) return null;
  return n.entity.type === 'activity' ? '/my-day' : `/${RECORD_PATHS[n.entity.type]}/${n.entity.id}`;
}

/** Where an activity leads: the deal, lead, contact or company it belongs to, else «Мой день». */
export function activityHref(a: { entityType: RecordType | null; entityId: number | null }): string {
  return a.entityType && a.entityId ? `/${RECORD_PATHS[a.entityType]}/${a.entityId}` : '/my-day';
}

/**
 * Where opening a notification goes. One about an activity (an overdue call) opens the record the
 * activity belongs to, read now (the activity may have been moved to another record since); an
 * activity gone or hidden meanwhile leaves «Мой день».
 */
export async function notificationTarget(n: AppNotification): Promise<string | null> {
  if (n.entity?.type !== 'activity') return notificationHref(n);
  try {
    return activityHref(await api.get<Schemas['Activity']>(`/activities/${n.entity.id}`));
  } catch {
    return '/my-day';
  }
}

/**
 * The unread count, kept by the server's event stream: the first event comes on connect, the
 * next ones only when the count changes (no polling). A change also refreshes the list.
 */
export function useUnreadCount(): number | null {
  const queryClient = useQueryClient();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/notifications/stream');
    const onUnread = (e: MessageEvent<string>) => {
      try {
        const { count: next } = JSON.parse(e.data) as { count: number };
        setCount(next);
        void queryClient.invalidateQueries({ queryKey: LIST_KEY });
      } catch {
        // a malformed event: keep the last count
      }
    };
    source.addEventListener('unread', onUnread as EventListener);
    return () => {
      source.removeEventListener('unread', onUnread as EventListener);
      source.close();
    };
  }, [queryClient]);
  return count;
}

export function useNotificationList(enabled: boolean) {
  return useQuery({
    queryKey: LIST_KEY,
    queryFn: ({ signal }) => api.get<Page<AppNotification>>('/notifications', { limit: 20 }, { signal }),
    enabled,
    staleTime: 0,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (what: { ids: number[] } | { all: true }) => api.post<Schemas['NotificationsMarkReadResult']>('/notifications/read', what),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: LIST_KEY }),
  });
}

export function useNotificationPreferences(enabled: boolean) {
  return useQuery({
    queryKey: PREFS_KEY,
    queryFn: ({ signal }) => api.get<NotificationPreferences>('/notifications/preferences', undefined, { signal }),
    enabled,
  });
}

export function useSaveNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (email: Partial<NotificationPreferences['email']>) => api.put<NotificationPreferences>('/notifications/preferences', { email }),
    onSuccess: (data) => queryClient.setQueryData(PREFS_KEY, data),
  });
}
