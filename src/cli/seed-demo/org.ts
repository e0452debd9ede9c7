import type { AppContext } from '../../server/context.js';
import type { Actor } from '../../modules/permissions/actor.js';
import { resolveRoleIds } from '../commands/create-user.js';
import { randomPerson, translit, mobilePhone, type Person } from './names.js';
import type { Random } from './random.js';
import type { DemoUser } from './world.js';

export const DEMO_DEPARTMENTS = [
  { name: 'Отдел продаж Москва', city: 'msk' as const },
  { name: 'Отдел продаж Санкт-Петербург', city: 'spb' as const },
];
const MANAGERS_PER_DEPARTMENT = 5;

/** The demo departments already in the workspace (a second run would double the company). */
export async function existingDemoDepartments(ctx: AppContext, admin: Actor): Promise<string[]> {
  const names = new Set(DEMO_DEPARTMENTS.map((d) => d.name));
  return (await ctx.services.users.departments.list(admin)).filter((d) => names.has(d.name)).map((d) => d.name);
}

/**
 * E-mails are unique across all workspaces: the first of demo.voronka.local, demo-2.voronka.local, …
 * that no user has yet (a second demo workspace, or a forced second run, gets the next one).
 */
async function freeDemoDomain(ctx: AppContext): Promise<string> {
  for (let n = 1; ; n++) {
    const domain = n === 1 ? 'demo.voronka.local' : `demo-${n}.voronka.local`;
    const taken = await ctx.db.kysely.selectFrom('users').select('id').where('email', 'like', `%@${domain}`).executeTakeFirst();
    if (!taken) return domain;
  }
}

function uniquePerson(rng: Random, usedEmails: Set<string>, domain: string): { person: Person; email: string } {
  for (;;) {
    const person = randomPerson(rng);
    const email = `${translit(person.firstName)[0]}.${translit(person.lastName)}@${domain}`;
    if (!usedEmails.has(email)) {
      usedEmails.add(email);
      return { person, email };
    }
  }
}

/** Two sales departments, each with a head (head_of_sales) and managers, all with one password. */
export async function createOrganisation(ctx: AppContext, admin: Actor, rng: Random, password: string): Promise<{ heads: DemoUser[]; managers: DemoUser[] }> {
  const [headRole, managerRole] = await resolveRoleIds(ctx, admin, ['head_of_sales', 'manager']);
  const domain = await freeDemoDomain(ctx);
  const usedEmails = new Set<string>();
  const created: Array<Omit<DemoUser, 'actor'>> = [];

  for (const dept of DEMO_DEPARTMENTS) {
    const department = await ctx.services.users.departments.create(admin, { name: dept.name });
    const addUser = async (isHead: boolean) => {
      const { person, email } = uniquePerson(rng, usedEmails, domain);
      const user = await ctx.services.users.create(admin, {
        email,
        name: `${person.firstName} ${person.lastName}`,
        password,
        phone: mobilePhone(rng),
        position: isHead ? 'Руководитель отдела продаж' : rng.pick(['Менеджер по продажам', 'Старший менеджер по продажам', 'Менеджер по работе с клиентами']),
        departmentId: department.id,
        roleIds: [isHead ? headRole! : managerRole!],
        timeZone: 'Europe/Moscow',
      });
      created.push({ id: user.id, person, email, city: dept.city, isHead });
      return user;
    };
    const head = await addUser(true);
    await ctx.services.users.departments.update(admin, department.id, { headId: head.id }, department.version);
    for (let i = 0; i < MANAGERS_PER_DEPARTMENT; i++) await addUser(false);
  }

  // Actors are loaded once everyone is placed, so department scopes see the whole department.
  const users: DemoUser[] = [];
  for (const u of created) {
    const actor = await ctx.services.users.loadActor(admin.workspaceId, u.id);
    if (!actor) throw new Error(`demo user ${u.email} could not be loaded`);
    users.push({ ...u, actor });
  }
  return { heads: users.filter((u) => u.isHead), managers: users.filter((u) => !u.isHead) };
}
