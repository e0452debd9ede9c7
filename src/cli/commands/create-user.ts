import { generatePassword } from '../../modules/auth/secrets.js';
import { createUserBody } from '../../modules/users/users.schema.js';
import type { Actor } from '../../modules/permissions/actor.js';
import type { AppContext } from '../../server/context.js';
import { adminActor, withApp } from '../open-app.js';
import { parseWorkspaceId } from './options.js';

export interface CreateUserOptions {
  email: string;
  name: string;
  password?: string;
  role?: string[];
  department?: string;
  workspace?: string;
}

/** `--role` takes a built-in role code (manager, head_of_sales, admin) or a role id. */
export async function resolveRoleIds(ctx: AppContext, admin: Actor, given: string[]): Promise<number[]> {
  const roles = await ctx.services.users.roles.list(admin);
  return given.map((r) => {
    const role = /^\d+$/.test(r) ? roles.find((x) => x.id === Number(r)) : roles.find((x) => x.code === r);
    if (!role) throw new Error(`--role ${r}: no such role in workspace ${admin.workspaceId} (known: ${roles.map((x) => x.code ?? x.id).join(', ')})`);
    return role.id;
  });
}

/** `--department` takes an id or the exact name of a department. */
export async function resolveDepartmentId(ctx: AppContext, admin: Actor, given: string): Promise<number> {
  const departments = await ctx.services.users.departments.list(admin);
  const byId = /^\d+$/.test(given) ? departments.find((d) => d.id === Number(given)) : undefined;
  const found = byId ?? departments.find((d) => d.name.toLowerCase() === given.trim().toLowerCase());
  if (!found) throw new Error(`--department ${given}: no such department in workspace ${admin.workspaceId}`);
  return found.id;
}

export async function createUserCommand(opts: CreateUserOptions): Promise<void> {
  const password = opts.password ?? generatePassword();
  await withApp(async (ctx) => {
    const admin = await adminActor(ctx, parseWorkspaceId(opts.workspace));
    const roleIds = await resolveRoleIds(ctx, admin, opts.role?.length ? opts.role : ['manager']);
    const departmentId = opts.department ? await resolveDepartmentId(ctx, admin, opts.department) : undefined;
    // The same schema as POST /users: a bad e-mail or a short password is refused the same way.
    const input = createUserBody.parse({ email: opts.email, name: opts.name, password, roleIds, ...(departmentId ? { departmentId } : {}) });
    const user = await ctx.services.users.create(admin, input);
    console.log(`user #${user.id} ${user.email} "${user.name}" created in workspace ${admin.workspaceId}`);
    if (!opts.password) console.log(`password: ${password}   (shown once)`);
  });
}
