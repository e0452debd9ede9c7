import { describe, expect, it } from 'vitest';
import { afterConvertPath, buildConvertBody, companyQueries, exactDuplicate, initialConvertState } from './convert-logic';
import type { Lead } from './types';

const lead = {
  id: 7,
  title: 'Заявка с сайта',
  firstName: 'Иван',
  lastName: 'Петров',
  middleName: null,
  companyName: 'ООО Ромашка',
  position: null,
  phones: [{ value: '+79161234567', type: 'mobile' }],
  emails: [],
  amount: 1500000,
  currency: 'RUB',
  version: 3,
} as unknown as Lead;

describe('convert dialog body', () => {
  it('prefills all three from the lead and builds create bodies', () => {
    const s = initialConvertState(lead);
    expect(s.deal.amount).toBe('15000');
    expect(s.contact.enabled && s.company.enabled).toBe(true);
    const { body, errors } = buildConvertBody(s, lead);
    expect(errors).toEqual({});
    expect(body).toEqual({
      version: 3,
      deal: { create: { title: 'Заявка с сайта', amount: 1500000 } },
      contact: { create: { lastName: 'Петров', firstName: 'Иван', middleName: null, position: null } },
      company: { create: { name: 'ООО Ромашка' } },
    });
  });

  it('links existing records and asks for a pick when none is chosen', () => {
    const s = initialConvertState(lead);
    s.deal.enabled = false;
    s.contact = { ...s.contact, mode: 'existing', existingId: 12 };
    s.company = { ...s.company, mode: 'existing', existingId: null };
    const { body, errors } = buildConvertBody(s, lead);
    expect(body.contact).toEqual({ id: 12 });
    expect(errors).toEqual({ 'company.id': 'required' });
  });

  it('needs at least one part and a company name', () => {
    const s = initialConvertState(lead);
    s.company.name = ' ';
    expect(buildConvertBody(s, lead).errors).toEqual({ 'company.create.name': 'required' });
    s.deal.enabled = s.contact.enabled = s.company.enabled = false;
    expect(buildConvertBody(s, lead).errors).toHaveProperty('deal');
  });

  it('opens the deal, else the contact, else the company', () => {
    expect(afterConvertPath({ deal: { id: 1 }, contact: { id: 2 } }, 7)).toBe('/deals/1');
    expect(afterConvertPath({ contact: { id: 2 }, company: { id: 3 } }, 7)).toBe('/contacts/2');
    expect(afterConvertPath({}, 7)).toBe('/leads/7');
  });
});

describe('an exact duplicate is linked by default', () => {
  it('takes a company of exactly the lead’s company name (case, spaces and quotes aside)', () => {
    expect(exactDuplicate('company', lead, [{ id: 1, name: 'ООО Ромашка-2' }, { id: 2, name: ' ооо  «Ромашка» ' }])?.id).toBe(2);
    expect(exactDuplicate('company', lead, [{ id: 1, name: 'ООО Ромашка-2' }])).toBeNull();
    expect(exactDuplicate('company', { ...lead, companyName: null } as Lead, [{ id: 1, name: '' }])).toBeNull();
  });

  it('takes a contact of the same name only when it shares a phone or e-mail with the lead', () => {
    const same = { id: 3, fullName: 'Петров Иван', phones: [{ value: '8 916 123-45-67', normalized: '+79161234567' }] };
    const namesake = { id: 4, fullName: 'Петров Иван', phones: [{ value: '+7 900 000-00-00' }] };
    expect(exactDuplicate('contact', lead, [namesake, same])?.id).toBe(3);
    expect(exactDuplicate('contact', lead, [namesake])).toBeNull();
    // a lead with no phone or e-mail: the name alone
    expect(exactDuplicate('contact', { ...lead, phones: [] } as Lead, [namesake])?.id).toBe(4);
    expect(exactDuplicate('contact', { ...lead, firstName: null, lastName: null } as Lead, [same])).toBeNull();
  });
});

describe('searching for the lead’s company', () => {
  it('asks by the name and by the name without quotes and legal form', () => {
    expect(companyQueries('ооо дубль')).toEqual(['ооо дубль', 'дубль']);
    expect(companyQueries('ООО «Ромашка»')).toEqual(['ООО «Ромашка»', 'Ромашка']);
    expect(companyQueries('Ромашка')).toEqual(['Ромашка']);
    expect(companyQueries(null)).toEqual([]);
  });
});
