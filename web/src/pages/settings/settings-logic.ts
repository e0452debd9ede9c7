// Pure logic of the settings screens: stage order (the same rules the server checks, to explain
// a refused drag before asking), the department tree, the role permission matrix and list choices.

import type { Department, StageSemantic } from '../../api/lookups';
import { type Action, ACTIONS, ENTITIES, type Entity, type Grant, type Level, LEVELS } from './api';

/** Moves the item at `from` to `to` (array order), returning a new array. */
export function moveItem<T>(items: T[], from: number, to: number): T[] {
  const out = items.slice();
  const [it] = out.splice(from, 1);
  out.splice(to, 0, it as T);
  return out;
}

const RANK: Record<StageSemantic, number> = { in_progress: 0, success: 1, failure: 2 };

/**
 * Why an order of stages breaks the pipeline rules (in-progress stages, one success stage,
 * failure stages, in that order), as an i18n key; null when it is fine.
 */
export function stageOrderProblem(semantics: StageSemantic[]): string | null {
  if (!semantics.includes('in_progress')) return 'errors.rules.stage_needs_in_progress';
  const successes = semantics.filter((s) => s === 'success').length;
  if (successes !== 1) return 'errors.rules.stage_one_success';
  if (!semantics.includes('failure')) return 'errors.rules.stage_needs_failure';
  for (let i = 1; i < semantics.length; i++) if (RANK[semantics[i]!] < RANK[semantics[i - 1]!]) return 'errors.rules.stage_order';
  return null;
}

/**
 * The stages a new pipeline starts with — the server's basic set (in progress ×2, won, lost) —
 * named in the administrator's language: without them the server would name them in Russian.
 */
export function basicStages(t: (key: string) => string): Array<{ name: string; color: string; semantic: StageSemantic }> {
  const stages: Array<[string, string, StageSemantic]> = [
    ['new', '#39a8ef', 'in_progress'],
    ['inProgress', '#2fc6f6', 'in_progress'],
    ['won', '#7bd500', 'success'],
    ['lost', '#ff5752', 'failure'],
  ];
  return stages.map(([key, color, semantic]) => ({ name: t(`settings.pipelines.basicStages.${key}`), color, semantic }));
}

export interface TreeNode<T> {
  item: T;
  depth: number;
}

/** Departments in tree order (parents before children, siblings by name) with their depth. */
export function departmentTree<T extends Pick<Department, 'id' | 'name' | 'parentId'>>(items: T[]): Array<TreeNode<T>> {
  const ids = new Set(items.map((d) => d.id));
  const children = new Map<number | null, T[]>();
  for (const d of items) {
    const parent = d.parentId !== null && ids.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const out: Array<TreeNode<T>> = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    for (const d of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      out.push({ item: d, depth });
      walk(d.id, depth + 1);
    }
  };
  walk(null, 0);
  // a cycle the server should never allow: still show everything
  for (const d of items) if (!seen.has(d.id)) out.push({ item: d, depth: 0 });
  return out;
}

/** Departments for a select, in tree order, indented by depth: «— Отдел продаж Юг». */
export function departmentOptions(items: Array<Pick<Department, 'id' | 'name' | 'parentId'>>): Array<{ value: string; label: string }> {
  return departmentTree(items).map((n) => ({ value: String(n.item.id), label: `${'— '.repeat(n.depth)}${n.item.name}` }));
}

/** What an edit dialog is open for: a record, a new one, or nothing (closed). */
export type Editing<T> = T | 'new' | null;

/** The record an edit dialog changes; null when it creates one (or is closed). */
export const existingOf = <T>(editing: Editing<T>): T | null => (editing === 'new' ? null : editing);

/** The department and everything under it (a department cannot move under these). */
export function descendantsOf(items: Array<Pick<Department, 'id' | 'parentId'>>, id: number): Set<number> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of items) if (d.parentId !== null && out.has(d.parentId) && !out.has(d.id)) {
      out.add(d.id);
      grew = true;
    }
  }
  return out;
}

export type Matrix = Record<Entity, Record<Action, Level>>;

/** A role's grants without a pipeline as a full entity × action table ('none' where not granted). */
export function grantsToMatrix(grants: Grant[]): Matrix {
  const m = {} as Matrix;
  for (const e of ENTITIES) {
    m[e] = {} as Record<Action, Level>;
    for (const a of ACTIONS) m[e][a] = 'none';
  }
  for (const g of grants) if (g.pipelineId === null && m[g.entity] && (LEVELS as readonly string[]).includes(g.level)) m[g.entity][g.action] = g.level;
  return m;
}

/** Per-pipeline deal grants: pipeline id → action → level. */
export function pipelineGrants(grants: Grant[]): Map<number, Record<Action, Level>> {
  const out = new Map<number, Record<Action, Level>>();
  for (const g of grants) {
    if (g.pipelineId === null || g.entity !== 'deal') continue;
    const row = out.get(g.pipelineId) ?? (Object.fromEntries(ACTIONS.map((a) => [a, 'none'])) as Record<Action, Level>);
    row[g.action] = g.level;
    out.set(g.pipelineId, row);
  }
  return out;
}

/** Back to the API's list: every cell of the matrix (explicit 'none' too) plus the pipeline rows. */
export function matrixToGrants(m: Matrix, pipelines: Map<number, Record<Action, Level>>): Grant[] {
  const out: Grant[] = [];
  for (const e of ENTITIES) for (const a of ACTIONS) out.push({ entity: e, action: a, level: m[e][a], pipelineId: null });
  for (const [pipelineId, row] of pipelines) for (const a of ACTIONS) out.push({ entity: 'deal', action: a, level: row[a], pipelineId });
  return out;
}

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** A machine name from a label: «Размер партии» → "razmer_partii" (for field codes and choice ids). */
export function slugify(label: string, max = 40): string {
  const latin = [...label.toLowerCase()].map((c) => TRANSLIT[c] ?? c).join('');
  return latin
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max)
    .replace(/_+$/g, '');
}

/** A field code the server accepts: starts with a letter, lower-case letters, digits and _. */
export function fieldCodeFrom(label: string): string {
  const s = slugify(label, 40);
  return /^[a-z]/.test(s) ? s : `f_${s}`.slice(0, 40).replace(/_+$/g, '');
}

/** Choice ids for list fields: unique, stable for existing choices, derived from the label for new ones. */
export function withChoiceIds(choices: Array<{ id?: string; label: string }>): Array<{ id: string; label: string }> {
  const used = new Set(choices.map((c) => c.id).filter((id): id is string => !!id));
  return choices
    .filter((c) => c.label.trim())
    .map((c) => {
      if (c.id) return { id: c.id, label: c.label.trim() };
      const base = slugify(c.label, 56) || 'choice';
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
      used.add(id);
      return { id, label: c.label.trim() };
    });
}
