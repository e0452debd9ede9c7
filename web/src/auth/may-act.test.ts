import { describe, expect, it } from 'vitest';
import { mayAct } from './may-act';

const me = (level: string, isAdmin = false) => ({
  user: { id: 7 } as never,
  permissions: { isAdmin, entities: { deal: { delete: level } }, dealPipelines: {} } as never,
});

describe('mayAct: which controls a role gets', () => {
  it('follows the level of the entity and action', () => {
    expect(mayAct(me('all'), 'deal', 'delete', 1)).toBe(true);
    expect(mayAct(me('none'), 'deal', 'delete', 7)).toBe(false);
    expect([7, 8].map((id) => mayAct(me('own'), 'deal', 'delete', id))).toEqual([true, false]);
    // departments are the server's to check; the control is shown and a refusal is explained
    expect(mayAct(me('department'), 'deal', 'delete', 8)).toBe(true);
    expect(mayAct(me('department_tree'), 'deal', 'delete', 8)).toBe(true);
  });

  it('an administrator gets every control; an action the role does not mention gets none', () => {
    expect(mayAct(me('none', true), 'deal', 'delete', 8)).toBe(true);
    expect(mayAct(me('all'), 'deal', 'export', 7)).toBe(false);
    expect(mayAct(me('all'), 'invoice', 'delete', 7)).toBe(false);
  });
});
