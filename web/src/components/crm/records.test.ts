import { describe, expect, it } from 'vitest';
import { cleanComms, formToBody } from './records';

describe('record form → API body', () => {
  it('sends what every record form has in the API’s shape', () => {
    const body = formToBody({
      lastName: ' Иванов ',
      middleName: '',
      typeId: '3',
      sourceId: null,
      responsibleId: '5',
      statusId: null,
      companyIds: [1, 2],
      phones: [
        { value: ' +7 900 000-00-00 ', type: 'mobile' },
        { value: ' ', type: 'work' },
      ],
    });
    expect(body).toEqual({ lastName: 'Иванов', middleName: null, typeId: 3, sourceId: null, responsibleId: 5, companyIds: [1, 2], phones: [{ value: '+7 900 000-00-00', type: 'mobile' }] });
  });

  it('lets the entity take its own fields', () => {
    const body = formToBody({ name: ' ООО Ромашка ', website: '' }, (k, v, out) => (k === 'name' ? ((out.title = (v as string).trim()), true) : false));
    expect(body).toEqual({ title: 'ООО Ромашка', website: null });
    expect(cleanComms([{ value: 'a@b.ru', type: '' }])).toEqual([{ value: 'a@b.ru', type: 'work' }]);
  });
});
