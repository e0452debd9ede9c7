import type { Random } from './random.js';
import { shortName, translit, type Person } from './names.js';

// Company names as Russian customers of a furniture maker look: ООО/АО with a brand in
// «ёлочках», ИП with the owner's name.

const ROOTS = ['Альфа', 'Вектор', 'Гранит', 'Север', 'Техно', 'Строй', 'Мебель', 'Уют', 'Комфорт', 'Интер', 'Проф', 'Лидер', 'Сфера', 'Дом', 'Торг', 'Сервис', 'Невский', 'Столица', 'Офис', 'Эко', 'Гарант', 'Регион', 'Меридиан', 'Атлант', 'Орион', 'Вертикаль', 'Статус', 'Пром', 'Бизнес', 'Ресурс'];
const ENDINGS = ['', 'Групп', 'Плюс', 'Центр', 'Трейд', 'Инвест', 'Снаб', 'Девелопмент', 'Консалт', 'Логистик'];
const WHOLE = ['Ромашка', 'Берёзка', 'Светлячок', 'Кедр', 'Добрый дом', 'Новый интерьер', 'Белые ночи', 'Зелёная улица', 'Магистраль', 'Континент', 'Пятый элемент', 'Русский лес'];

export interface CompanyDraft {
  name: string;
  city: 'msk' | 'spb';
  inn: string;
  kpp?: string;
  website?: string;
  address: string;
}

/** ИНН with correct check digits: 10 for an organisation, 12 for an individual entrepreneur. */
export function inn(rng: Random, individual: boolean): string {
  const checksum = (digits: number[], weights: number[]) => (weights.reduce((s, w, i) => s + w * digits[i]!, 0) % 11) % 10;
  const region = rng.pick(['77', '78', '50', '47']);
  if (!individual) {
    const d = [...region, ...rng.digits(7)].map(Number);
    d.push(checksum(d, [2, 4, 10, 3, 5, 9, 4, 6, 8]));
    return d.join('');
  }
  const d = [...region, ...rng.digits(8)].map(Number);
  d.push(checksum(d, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  d.push(checksum(d, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  return d.join('');
}

const STREETS = { msk: ['ул. Тверская', 'Ленинский пр-т', 'ул. Профсоюзная', 'Варшавское ш.', 'ул. Новый Арбат', 'Каширское ш.', 'ул. Бауманская'], spb: ['Невский пр-т', 'Московский пр-т', 'ул. Садовая', 'Лиговский пр-т', 'пр-т Просвещения', 'ул. Савушкина', 'Заневский пр-т'] };

export function companyDraft(rng: Random, owner: Person, taken: Set<string>): CompanyDraft {
  const city = rng.chance(0.6) ? 'msk' : 'spb';
  const kind = rng.weighted([['ООО', 70], ['АО', 8], ['ИП', 22]] as const);
  let brand = '';
  let name = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    brand = rng.chance(0.2) ? rng.pick(WHOLE) : rng.pick(ROOTS) + rng.pick(ENDINGS).toLowerCase();
    name = kind === 'ИП' ? `ИП ${shortName(owner)}` : `${kind} «${brand}»`;
    if (!taken.has(name)) break;
    name = `${name} ${city === 'msk' ? 'Москва' : 'СПб'}`;
    if (!taken.has(name)) break;
  }
  taken.add(name);
  const street = `${city === 'msk' ? 'г. Москва' : 'г. Санкт-Петербург'}, ${rng.pick(STREETS[city])}, д. ${rng.int(1, 150)}`;
  return {
    name,
    city,
    inn: inn(rng, kind === 'ИП'),
    kpp: kind === 'ИП' ? undefined : `${city === 'msk' ? '77' : '78'}${rng.digits(2)}01001`,
    website: kind !== 'ИП' && rng.chance(0.5) ? `https://${translit(brand).replace(/[^a-z0-9]/g, '') || 'company'}.ru` : undefined,
    address: street,
  };
}

export const companyDomain = (c: CompanyDraft) => (c.website ? new URL(c.website).host : null);
