import { useRef } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken } from '../api/client';
import type { Me, User } from '../api/types';
import { applyLanguage, isLanguage, type Language } from '../i18n';
import { clearAllDrafts } from '../lib/use-draft';
import { forgetSignedIn, mayBeSignedIn } from './signed-in';

export const meKey = ['me'] as const;

/** Why the user is on the log-in page: set when a call answered 401 while logged in. */
let expired = false;
export const sessionExpired = () => expired;
export function markSessionExpired(queryClient: QueryClient): void {
  if (queryClient.getQueryData(meKey)) expired = true;
  queryClient.setQueryData(meKey, null);
}

async function fetchMe(): Promise<Me | null> {
  if (!mayBeSignedIn()) return null;
  try {
    const me = await api.get<Me>('/auth/me', undefined, { allow401: true });
    setCsrfToken(me.csrfToken);
    if (isLanguage(me.user.locale)) await applyLanguage(me.user.locale);
    return me;
  } catch (e) {
    if (isApiError(e) && e.status === 401) {
      forgetSignedIn();
      return null;
    }
    throw e;
  }
}

/** Who is logged in: `data` is the user, permissions and CSRF token; null when nobody is. */
export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: Infinity, retry: 1 });
}

/**
 * The logged-in user, inside the authenticated part of the app (RequireAuth guarantees it). On log-out
 * or an expired session a mounted screen may render once more before RequireAuth takes it away: it
 * keeps the user it had then instead of failing.
 */
export function useCurrentUser(): Me {
  const { data } = useMe();
  const last = useRef(data);
  if (data) last.current = data;
  if (!last.current) throw new Error('useCurrentUser() outside of RequireAuth');
  return last.current;
}

/** May the user edit robots and triggers and read the workspace's automation log (administrators, or a role granted automation.manage)? */
export function useMayManageAutomation(): boolean {
  const p = useMe().data?.permissions;
  return !!p && (p.isAdmin || p.capabilities.includes('automation.manage'));
}

/** Is the user an administrator (settings, users, roles)? */
export function useIsAdmin(): boolean {
  return useMe().data?.permissions.isAdmin ?? false;
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: { email: string; password: string }) => {
      const res = await api.post<{ user: User; csrfToken: string }>('/auth/login', input, { allow401: true });
      setCsrfToken(res.csrfToken);
      return res;
    },
    onSuccess: async (res) => {
      const previous = qc.getQueryData<Me | null>(meKey);
      // another user's cached lists must not show for a moment
      if (previous && previous.user.id !== res.user.id) qc.clear();
      expired = false;
      await qc.fetchQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 0 });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout', {}, { allow401: true }),
    onSettled: () => {
      setCsrfToken(null);
      clearAllDrafts();
      expired = false;
      qc.clear();
      qc.setQueryData(meKey, null);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<void>('/auth/password', input),
  });
}

/**
 * Switches the interface language now and saves it in the user's profile
 * (PATCH /users/{me} {locale, version}; on a version conflict retries once with the current version).
 */
export function useSetLanguage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (lng: Language) => {
      await applyLanguage(lng);
      const me = qc.getQueryData<Me | null>(meKey);
      if (!me) return null;
      const save = (version: number) => api.patch<User>(`/users/${me.user.id}`, { locale: lng, version });
      try {
        return await save(me.user.version);
      } catch (e) {
        const current = isApiError(e) && e.code === 'version_conflict' ? (e.current as User | undefined) : undefined;
        if (current?.version) return save(current.version);
        throw e;
      }
    },
    onSuccess: (user) => {
      if (user) qc.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, user } : me));
    },
  });
}
