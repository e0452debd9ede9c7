import { describe, expect, it } from 'vitest';
import { builtInRoleGrants, type PermissionGrant } from './levels.js';
import { resolveRoleGrants } from './resolve-role-grants.js';

const g = (entity: PermissionGrant['entity'], action: PermissionGrant['action'], level: PermissionGrant['level'], pipelineId: number | null = null): PermissionGrant => ({
  entity,
  action,
  level,
  pipelineId,
});

describe('resolveRoleGrants (several roles)', () => {
  it('lets the widest grant of any role win', () => {
    const manager = builtInRoleGrants('manager');
    const head = builtInRoleGrants('head_of_sales');
    const { levels, dealPipelines } = resolveRoleGrants([manager, head]);
    expect(levels.deal.read).toBe('department_tree');
    expect(levels.contact.delete).toBe('department_tree');
    expect(dealPipelines.size).toBe(0);
    expect(resolveRoleGrants([manager]).levels.deal.delete).toBe('none');
    expect(resolveRoleGrants([manager]).levels.contact.read).toBe('department');
  });

  it('narrows deals to one pipeline: all in pipeline 2, none elsewhere', () => {
    const { levels, dealPipelines } = resolveRoleGrants([[g('deal', 'read', 'all', 2), g('contact', 'read', 'own')]]);
    expect(levels.deal.read).toBe('none');
    expect(dealPipelines.get(2)).toEqual({ read: 'all', create: 'none', update: 'none', delete: 'none', export: 'none' });
    expect(levels.contact.read).toBe('own');
  });

  it('narrows only the actions a pipeline grant lists, inside its role', () => {
    const role = [g('deal', 'read', 'all'), g('deal', 'create', 'own'), g('deal', 'read', 'none', 3)];
    const { levels, dealPipelines } = resolveRoleGrants([role]);
    expect(levels.deal.read).toBe('all');
    expect(dealPipelines.get(3)?.read).toBe('none');
    expect(dealPipelines.get(3)?.create).toBe('own');
  });

  it('does not let one role\'s pipeline narrowing take away what another role grants everywhere', () => {
    const everywhere = [g('deal', 'read', 'own'), g('deal', 'update', 'own')];
    const pipelineTwo = [g('deal', 'read', 'all', 2)];
    const { levels, dealPipelines } = resolveRoleGrants([everywhere, pipelineTwo]);
    expect(levels.deal.read).toBe('own');
    expect(dealPipelines.get(2)).toMatchObject({ read: 'all', update: 'own', create: 'none' });
  });

  it('gives nothing without roles', () => {
    const { levels, dealPipelines } = resolveRoleGrants([]);
    expect(levels.deal.read).toBe('none');
    expect(dealPipelines.size).toBe(0);
  });
});
