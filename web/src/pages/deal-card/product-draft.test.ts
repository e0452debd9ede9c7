import { describe, expect, it } from 'vitest';
import { applyProduct, emptyRow, fromServer, serverSignature, signature, toInput } from './product-draft';
import type { ProductRow } from './types';

const server: ProductRow = {
  id: 7,
  productId: 3,
  name: 'Стол',
  price: 100000,
  quantity: '1.5',
  unitCode: '796',
  unitName: 'шт',
  discount: { type: 'amount', value: '5000' },
  vatRate: '22',
  vatIncluded: false,
  subtotal: 150000,
  discountAmount: 5000,
  net: 145000,
  vatAmount: 31900,
  total: 176900,
};

describe('product row drafts', () => {
  it('shows server rows as typed text in the locale', () => {
    const d = fromServer(server, 'RUB', 'ru');
    expect(d).toMatchObject({ price: '1000,00', quantity: '1,5', discountType: 'amount', discount: '50,00', unitName: 'шт' });
    expect(fromServer(server, 'RUB', 'en')).toMatchObject({ price: '1000.00', quantity: '1.5' });
  });

  it('turns typed text into the API row: roubles → kopecks, comma decimals', () => {
    const d = { ...emptyRow(), name: ' Кресло ', price: '1 234,5', quantity: '2,25', discountType: 'percent' as const, discount: '12,5' };
    expect(toInput(d, 'RUB')).toEqual({
      row: { productId: null, name: 'Кресло', price: 123450, quantity: '2.25', unitCode: null, unitName: null, discount: { type: 'percent', value: '12.5' }, vatRate: '22', vatIncluded: true },
      errors: null,
    });
  });

  it('says which fields cannot be read', () => {
    expect(toInput({ ...emptyRow(), name: '', price: 'abc', quantity: '0', discountType: 'percent', discount: '150' }, 'RUB').errors).toEqual({
      name: 'name',
      price: 'price',
      quantity: 'quantity',
      discount: 'percent',
    });
    expect(toInput({ ...emptyRow(), name: 'x', price: '1,234', quantity: '1.2345' }, 'RUB').errors).toEqual({ price: 'price', quantity: 'quantity' });
  });

  it('a round trip keeps the signature, so the server total stays shown', () => {
    expect(signature(fromServer(server, 'RUB', 'ru'), 'RUB')).toBe(serverSignature(server));
    const changed = { ...fromServer(server, 'RUB', 'ru'), quantity: '2' };
    expect(signature(changed, 'RUB')).not.toBe(serverSignature(server));
  });

  it('a catalog product fills the row', () => {
    const row = applyProduct(emptyRow(), { id: 5, name: 'Шкаф', sku: null, unitCode: '796', unitName: 'шт', price: 250000, currency: 'RUB', vatRate: '10', vatIncluded: false, active: true }, 'RUB', 'ru');
    expect(row).toMatchObject({ productId: 5, name: 'Шкаф', price: '2500,00', vatRate: '10', vatIncluded: false, unitName: 'шт' });
  });
});
