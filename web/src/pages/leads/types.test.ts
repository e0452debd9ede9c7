import { describe, expect, it } from 'vitest';
import { emptyLeadForm, leadBody } from './types';

describe('lead form → API body', () => {
  it('creates without an amount: no currency, no status, the title left to the server', () => {
    const { body, invalid } = leadBody({ ...emptyLeadForm(4, 'RUB'), lastName: 'Складов' }, 'RUB');
    expect(invalid).toEqual([]);
    expect(body).toMatchObject({ lastName: 'Складов', responsibleId: 4, amount: 0 });
    expect(body).not.toHaveProperty('currency');
    expect(body).not.toHaveProperty('statusId');
    expect(body).not.toHaveProperty('title');
  });

  it('sends the amount in minor units with its currency, and flags one that does not parse', () => {
    expect(leadBody({ amount: '250 000', currency: 'RUB' }, 'RUB')).toEqual({ body: { amount: 25000000, currency: 'RUB' }, invalid: [] });
    expect(leadBody({ amount: 'много' }, 'RUB').invalid).toEqual(['amount']);
  });
});
