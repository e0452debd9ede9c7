import { mayAct } from './may-act';
import { useCurrentUser } from './session';

/** mayAct for the signed-in user (kept apart: the session module needs a browser, mayAct does not). */
export function useMayAct(entity: string, action: string, responsibleId: number): boolean {
  return mayAct(useCurrentUser(), entity, action, responsibleId);
}
