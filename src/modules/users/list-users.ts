import type { Executor } from '../../server/context.js';
import { afterCursor } from '../../db/keyset.js';
import { decodeCursor, lookupLimit, parseSort, toPage, type Page, type SortFields } from '../../server/http/list-query.js';
import type { Actor } from '../permissions/actor.js';
import { userToApi } from './users.mapper.js';
import { roleIdsOf, USER_COLUMNS, type UserRow } from './users.repo.js';
import type { ListUsersQuery } from './users.schema.js';

const SORTABLE: SortFields = { name: { column: 'users.name', type: 'text' }, id: { column: 'users.id', type: 'id' } };
const sortValue = (field: string) => (u: UserRow) => (field === 'name' ? u.name : u.id);

/**
 * The user directory: every user of the workspace may read it. `ids` looks users up by id, the
 * deactivated ones too unless `active` says otherwise (a deal may still name a former employee
 * as its responsible). `q` matches names and e-mails
 * case-insensitively. SQLite's lower() folds ASCII only, so the text match runs in JS over the
 * workspace's (already filtered, ordered and keyset-limited) users — a directory holds
 * hundreds to a few thousand rows, not millions.
 */
export async function listUsers(exec: Executor, actor: Actor, query: ListUsersQuery): Promise<Page<ReturnType<typeof userToApi>>> {
  const sort = parseSort(query.sort, SORTABLE, 'name');
  const cursor = decodeCursor(query.cursor, sort);
  const limit = lookupLimit(query);
  let q = exec.selectFrom('users').select(USER_COLUMNS).where('users.workspace_id', '=', actor.workspaceId);
  if (query.ids) q = q.where('users.id', 'in', query.ids);
  // the robots' system user is named when looked up by id (a timeline entry's author), never listed
  else q = q.where('users.kind', '=', 'person');
  if (query.active !== undefined || !query.ids) q = q.where('users.active', '=', query.active === false ? 0 : 1);
  if (query.departmentId) q = q.where('users.department_id', 'in', query.departmentId);

  const needle = query.q?.toLowerCase();
  const matches = (u: UserRow) => !needle || u.name.toLowerCase().includes(needle) || u.email.includes(needle);

  let total: number | undefined;
  if (query.withTotal) total = (await q.execute()).filter(matches).length;

  if (cursor) q = q.where(afterCursor(sort, cursor, 'users.id'));
  q = q.orderBy(sort.column as 'users.name', sort.dir).orderBy('users.id', sort.dir);
  const rows = needle ? (await q.execute()).filter(matches).slice(0, limit + 1) : await q.limit(limit + 1).execute();

  const roles = actor.isAdmin ? await roleIdsOf(exec, actor.workspaceId, rows.map((r) => r.id)) : null;
  const page = toPage(rows, limit, sortValue(sort.field), (u) => userToApi(u, roles?.get(u.id)));
  return total === undefined ? page : { ...page, total };
}
