import { z } from 'zod';
import type { Executor } from '../../../server/context.js';
import type { FieldError } from '../../../server/errors.js';
import type { RobotDeps } from '../robot-deps.js';
import { RobotSkip } from '../robot-type.js';

// Whom a robot acts for or tells: the record's responsible, named users, or the head of the
// responsible's department (walking up the department tree when the responsible is the head).

const userId = z.int().positive();

export const personSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('responsible') }),
  z.strictObject({ kind: z.literal('user'), userId }),
  z.strictObject({ kind: z.literal('head') }),
]);
export type Person = z.output<typeof personSchema>;

export const peopleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('responsible') }),
  z.strictObject({ kind: z.literal('users'), userIds: z.array(userId).min(1).max(50) }),
  z.strictObject({ kind: z.literal('head') }),
]);
export type People = z.output<typeof peopleSchema>;

/** The named users that are gone or deactivated, as problems at `path`. */
export async function checkUsers(exec: Executor, ws: number, ids: number[], deps: RobotDeps, path: string): Promise<FieldError[]> {
  const active = new Set(await deps.users.activeUserIds(exec, ws, ids));
  return ids.filter((id) => !active.has(id)).map((id) => ({ path, message: `user ${id} is not an active user of this workspace` }));
}

/** The one person: the responsible, the named user, or the first head above the responsible. */
export async function resolvePerson(exec: Executor, ws: number, p: Person, responsibleId: number, deps: RobotDeps): Promise<number> {
  if (p.kind === 'responsible') return responsibleId;
  if (p.kind === 'user') return p.userId;
  const heads = await deps.users.departmentHeadsFor(exec, ws, responsibleId);
  if (heads.length === 0) throw new RobotSkip('the responsible has no head of department above them');
  return heads[0]!;
}

/** The active users of a people choice (inactive ones are left out; none left is a skip). */
export async function resolvePeople(exec: Executor, ws: number, p: People, responsibleId: number, deps: RobotDeps): Promise<number[]> {
  const ids = p.kind === 'responsible' ? [responsibleId] : p.kind === 'users' ? p.userIds : await deps.users.departmentHeadsFor(exec, ws, responsibleId);
  const active = await deps.users.activeUserIds(exec, ws, ids);
  if (active.length === 0) throw new RobotSkip(p.kind === 'head' ? 'the responsible has no head of department above them' : 'none of its users is active');
  return active;
}
