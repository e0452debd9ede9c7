import { mayAct } from './may-act';
import { useCurrentUser } from './session';

/** mayAct for the signed-in user (kept apart: the session module needs a browser, mayAct does not). */
export function useMayAct(entity: string, action: string, responsibleId: number): boolean {
  return mayAct(useCurrentUser(), entity, action, responsibleId);
}

/** Whether the signed-in user may create `entity` records for themselves (the «Новая …» buttons). */
export function useMayCreate(entity: string): boolean {
  const me = useCurrentUser();
  return mayAct(me, entity, 'create', me.user.id);
}
