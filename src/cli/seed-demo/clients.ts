import { companyDomain, companyDraft } from './companies-data.js';
import { cityPhone, mobilePhone, personalEmail, POSITIONS, randomPerson, translit } from './names.js';
import { DAY, MINUTE, workingTime } from './schedule.js';
import { Later, type DemoCompany, type DemoUser, type SeedWorld } from './world.js';

/** Client bases build up over the year, most of it early on (returning customers, old contacts). */
function clientTime(w: SeedWorld): number {
  const span = w.now - w.start - 14 * DAY;
  return workingTime(w.start + Math.pow(w.rng.float(), 1.6) * span);
}

/**
 * Plans `companies` companies with their contact persons and `privateCount` private clients
 * (contacts without a company), each owned and created by a manager.
 */
export function planClients(w: SeedWorld, companies: number, contactsTotal: number): void {
  const { rng } = w;
  const taken = new Set<string>();
  const perCompany = Math.max(1, Math.floor((contactsTotal * 0.65) / companies));
  let contactsLeft = contactsTotal;

  for (let i = 0; i < companies; i++) {
    const manager = rng.pick(w.managers);
    const owner = randomPerson(rng);
    const draft = companyDraft(rng, owner, taken);
    const at = clientTime(w);
    const company: DemoCompany = { at, ref: new Later(), name: draft.name, contacts: [] };
    listOf(w.companies, manager.id).push(company);
    w.schedule.at(at, async () => {
      const created = await w.ctx.services.companies.create(manager.actor, {
        name: draft.name,
        website: draft.website ?? null,
        address: draft.address,
        requisites: { inn: draft.inn, ...(draft.kpp ? { kpp: draft.kpp } : {}), legalAddress: draft.address },
        phones: [{ value: cityPhone(rng, draft.city), type: 'work' }],
        responsibleId: manager.id,
      });
      company.ref.set(created.id);
    });

    const count = Math.min(contactsLeft, rng.int(Math.max(1, perCompany - 1), perCompany + 1));
    contactsLeft -= count;
    const domain = companyDomain(draft);
    for (let c = 0; c < count; c++) {
      // the owner of an ИП is its first contact; others are staff
      const person = c === 0 && draft.name.startsWith('ИП ') ? owner : randomPerson(rng);
      const ref = new Later();
      company.contacts.push(ref);
      const email = domain && rng.chance(0.7) ? `${translit(person.firstName)[0]}.${translit(person.lastName)}@${domain}` : personalEmail(rng, person);
      const position = c === 0 ? (draft.name.startsWith('ИП ') ? 'Индивидуальный предприниматель' : 'Генеральный директор') : rng.pick(POSITIONS);
      w.schedule.at(at + (c + 1) * 3 * MINUTE, async () => {
        const created = await w.ctx.services.contacts.create(manager.actor, {
          firstName: person.firstName,
          lastName: person.lastName,
          middleName: person.middleName,
          position,
          phones: [{ value: mobilePhone(rng), type: 'mobile' }],
          emails: [{ value: email, type: 'work' }],
          companyIds: [company.ref.id],
          sourceId: rng.pick(w.sourceIds),
          responsibleId: manager.id,
        });
        ref.set(created.id);
      });
    }
  }

  // The rest are private clients: people ordering a kitchen or a sofa repair for themselves.
  for (let i = 0; i < contactsLeft; i++) planPrivateContact(w, rng.pick(w.managers));
}

function planPrivateContact(w: SeedWorld, manager: DemoUser): void {
  const { rng } = w;
  const person = randomPerson(rng);
  const at = clientTime(w);
  const ref = new Later();
  listOf(w.privateContacts, manager.id).push({ at, ref });
  w.schedule.at(at, async () => {
    const created = await w.ctx.services.contacts.create(manager.actor, {
      firstName: person.firstName,
      lastName: person.lastName,
      middleName: rng.chance(0.6) ? person.middleName : null,
      phones: [{ value: mobilePhone(rng), type: 'mobile' }],
      emails: rng.chance(0.6) ? [{ value: personalEmail(rng, person), type: 'home' }] : [],
      sourceId: rng.pick(w.sourceIds),
      responsibleId: manager.id,
    });
    ref.set(created.id);
  });
}

export function listOf<T>(map: Map<number, T[]>, key: number): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
