import type { Level, Me } from '../api/types';

/**
 * Whether the user's role lets them `action` a record of `responsibleId`, as far as the client can
 * tell: it decides which controls to show, the server decides what is allowed (a department level
 * is shown as allowed; the server checks the department, and its refusal is shown to the user).
 */
export function mayAct(me: Pick<Me, 'user' | 'permissions'>, entity: string, action: string, responsibleId: number): boolean {
  // looked up by name: an entity or action this client does not know is 'none'
  const entities: Partial<Record<string, Partial<Record<string, Level>>>> = me.permissions.entities;
  const level = entities[entity]?.[action] ?? 'none';
  if (me.permissions.isAdmin || level === 'all' || level === 'department' || level === 'department_tree') return true;
  return level === 'own' && responsibleId === me.user.id;
}
