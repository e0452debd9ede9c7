// Shapes of API answers the shell uses. Screens add their own types next to their pages
// (or here when several screens share them). Field names follow API.md (camelCase).

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

export interface User {
  id: number;
  email: string;
  name: string;
  phone: string | null;
  position: string | null;
  active: boolean;
  locale: 'ru' | 'en' | string;
  timeZone: string;
  departmentId: number | null;
  roleIds?: number[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A permission level: what part of the records the user may touch. */
export type Level = 'none' | 'own' | 'department' | 'all' | string;

export interface Permissions {
  isAdmin: boolean;
  /** entities.deal.read === 'all' etc. */
  entities: Record<string, Record<string, Level>>;
  /** per pipeline id: the deal permissions where a role sets them per pipeline */
  dealPipelines: Record<string, unknown>;
}

export interface Me {
  user: User;
  csrfToken: string | null;
  permissions: Permissions;
}

export interface Money {
  amount: number;
  currency: string;
}
