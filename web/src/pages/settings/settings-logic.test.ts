import { describe, expect, it } from 'vitest';
import { basicStages, departmentOptions, departmentTree, descendantsOf, existingOf, fieldCodeFrom, grantsToMatrix, matrixToGrants, moveItem, pipelineGrants, slugify, stageOrderProblem, withChoiceIds } from './settings-logic';
import { createInstance } from 'i18next';
import ru from '../../i18n/ru.json';
import en from '../../i18n/en.json';

describe('stage order', () => {
  it('moves an item', () => {
    expect(moveItem([1, 2, 3, 4], 0, 2)).toEqual([2, 3, 1, 4]);
    expect(moveItem([1, 2, 3, 4], 3, 0)).toEqual([4, 1, 2, 3]);
  });

  it('explains the pipeline rules', () => {
    expect(stageOrderProblem(['in_progress', 'in_progress', 'success', 'failure'])).toBeNull();
    expect(stageOrderProblem(['in_progress', 'success', 'in_progress', 'failure'])).toBe('errors.rules.stage_order');
    expect(stageOrderProblem(['success', 'failure'])).toBe('errors.rules.stage_needs_in_progress');
    expect(stageOrderProblem(['in_progress', 'failure'])).toBe('errors.rules.stage_one_success');
    expect(stageOrderProblem(['in_progress', 'success'])).toBe('errors.rules.stage_needs_failure');
  });
});

describe('departments', () => {
  const deps = [
    { id: 3, name: 'Казань', parentId: 1 },
    { id: 1, name: 'Продажи', parentId: null },
    { id: 2, name: 'Москва', parentId: 1 },
    { id: 4, name: 'Арбат', parentId: 2 },
    { id: 5, name: 'Бухгалтерия', parentId: null },
  ];
  it('orders the tree with depths', () => {
    expect(departmentTree(deps).map((n) => `${'-'.repeat(n.depth)}${n.item.name}`)).toEqual(['Бухгалтерия', 'Продажи', '-Казань', '-Москва', '--Арбат']);
  });
  it('finds descendants', () => {
    expect([...descendantsOf(deps, 1)].sort()).toEqual([1, 2, 3, 4]);
    expect([...descendantsOf(deps, 5)]).toEqual([5]);
  });
  it('offers departments for a select, indented by depth', () => {
    expect(departmentOptions(deps)).toEqual([
      { value: '5', label: 'Бухгалтерия' },
      { value: '1', label: 'Продажи' },
      { value: '3', label: '— Казань' },
      { value: '2', label: '— Москва' },
      { value: '4', label: '— — Арбат' },
    ]);
  });
});

describe('edit dialogs', () => {
  it('tell an edited record from a new one', () => {
    expect(existingOf({ id: 1 })).toEqual({ id: 1 });
    expect(existingOf('new')).toBeNull();
    expect(existingOf(null)).toBeNull();
  });
});

describe('permission matrix', () => {
  it('round-trips grants with pipeline rows', () => {
    const m = grantsToMatrix([
      { entity: 'deal', action: 'read', level: 'department_tree', pipelineId: null },
      { entity: 'deal', action: 'update', level: 'own', pipelineId: 7 },
    ]);
    expect(m.deal.read).toBe('department_tree');
    expect(m.lead.read).toBe('none');
    const p = pipelineGrants([{ entity: 'deal', action: 'update', level: 'own', pipelineId: 7 }]);
    expect(p.get(7)).toEqual({ read: 'none', create: 'none', update: 'own', delete: 'none', export: 'none' });
    const back = matrixToGrants(m, p);
    expect(back).toHaveLength(25 + 5);
    expect(back).toContainEqual({ entity: 'deal', action: 'read', level: 'department_tree', pipelineId: null });
    expect(back).toContainEqual({ entity: 'deal', action: 'update', level: 'own', pipelineId: 7 });
  });
});

describe('codes and choices', () => {
  it('makes codes from Russian labels', () => {
    expect(slugify('Размер партии')).toBe('razmer_partii');
    expect(fieldCodeFrom('Объём, м³')).toBe('obem_m');
    expect(fieldCodeFrom('1С код')).toBe('f_1s_kod');
  });
  it('gives new choices unique ids and keeps existing ones', () => {
    expect(withChoiceIds([{ id: 'small', label: 'Малый' }, { label: 'Малый' }, { label: 'Малый' }, { label: '  ' }])).toEqual([
      { id: 'small', label: 'Малый' },
      { id: 'malyy', label: 'Малый' },
      { id: 'malyy_2', label: 'Малый' },
    ]);
  });
});

describe('the stages of a new pipeline', () => {
  it('are the server’s basic set, named in the interface language, in a valid order', async () => {
    const i = createInstance();
    await i.init({ resources: { ru: { translation: ru }, en: { translation: en } }, lng: 'en', fallbackLng: 'ru' });
    expect(basicStages(i.t).map((s) => s.name)).toEqual(['New', 'In progress', 'Won', 'Lost']);
    await i.changeLanguage('ru');
    // the names the server gives a pipeline created without stages (src/modules/pipelines/defaults.ts)
    expect(basicStages(i.t).map((s) => s.name)).toEqual(['Новая', 'В работе', 'Успешно', 'Провалена']);
    expect(stageOrderProblem(basicStages(i.t).map((s) => s.semantic))).toBeNull();
  });
});
