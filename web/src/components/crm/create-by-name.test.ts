import { describe, expect, it } from 'vitest';
import { bodyFromTyped, offerCreate } from './create-by-name';

describe('creating a contact or company from what was typed in a picker', () => {
  it('reads a contact name in «Фамилия Имя Отчество» order, or a phone or e-mail', () => {
    expect(bodyFromTyped('contacts', '  Новиков   Пётр ')).toEqual({ lastName: 'Новиков', firstName: 'Пётр' });
    expect(bodyFromTyped('contacts', 'Новиков Пётр Ильич')).toEqual({ lastName: 'Новиков', firstName: 'Пётр', middleName: 'Ильич' });
    expect(bodyFromTyped('contacts', 'Анна')).toEqual({ firstName: 'Анна' });
    expect(bodyFromTyped('contacts', 'anna@example.ru')).toEqual({ emails: [{ value: 'anna@example.ru', type: 'work' }] });
    expect(bodyFromTyped('contacts', '+7 (912) 345-67-89')).toEqual({ phones: [{ value: '+7 (912) 345-67-89', type: 'work' }] });
    expect(bodyFromTyped('companies', ' ООО  «Ромашка» ')).toEqual({ name: 'ООО «Ромашка»' });
  });

  it('offers «Создать» once the search has answered, unless a hit has exactly that name', () => {
    expect(offerCreate('Р', false, [])).toBe(false);
    expect(offerCreate('Ромашка', true, [])).toBe(false);
    expect(offerCreate('Ромашка', false, [])).toBe(true);
    expect(offerCreate('ромашка ', false, ['Ромашка'])).toBe(false);
    expect(offerCreate('Ромашка', false, ['Ромашка-2'])).toBe(true);
  });
});
