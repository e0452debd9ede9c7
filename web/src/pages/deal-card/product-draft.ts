import { minorToDecimalString, currencyDigits, parseMoney } from '../../lib/format';
import { computeRow, computeTotals, type DocumentTotals, type RowTotals } from '../../../../src/shared/product-rows';
import type { CatalogProduct, ProductRow, ProductRowInput, VatRate } from './types';

// The product rows editor keeps what the person typed (text) per row; this turns it into the
// API's row input and back. While rows are edited, their totals are computed as they are typed
// with the server's own arithmetic (src/shared/product-rows.ts: one code, so the live
// figures are the ones the server will store); once saved, the server's answer is shown.

export interface DraftRow {
  key: string;
  productId: number | null;
  name: string;
  /** price per unit as typed, in roubles: "1 000,50" */
  price: string;
  /** as typed: "3", "1,5" */
  quantity: string;
  unitCode: string | null;
  unitName: string;
  discountType: 'none' | 'percent' | 'amount';
  /** percent ("12,5") or roubles ("100") as typed */
  discount: string;
  vatRate: VatRate;
  vatIncluded: boolean;
}

let seq = 0;
export const newKey = () => `r${Date.now().toString(36)}${(seq++).toString(36)}`;

/** kopecks → "1000,50" (ru) / "1000.50" (en); no grouping, so it parses back as typed. */
export function moneyToText(minor: number, currency: string, locale: string): string {
  const s = minorToDecimalString(minor, currencyDigits(currency));
  return locale.startsWith('ru') ? s.replace('.', ',') : s;
}

const decimalText = (s: string, locale: string) => (locale.startsWith('ru') ? s.replace('.', ',') : s);

export function emptyRow(defaultVat: VatRate = '22'): DraftRow {
  return { key: newKey(), productId: null, name: '', price: '', quantity: '1', unitCode: null, unitName: '', discountType: 'none', discount: '', vatRate: defaultVat, vatIncluded: true };
}

export function fromServer(row: ProductRow, currency: string, locale: string): DraftRow {
  return {
    key: `s${row.id}`,
    productId: row.productId,
    name: row.name,
    price: moneyToText(row.price, currency, locale),
    quantity: decimalText(row.quantity, locale),
    unitCode: row.unitCode,
    unitName: row.unitName ?? '',
    discountType: row.discount?.type ?? 'none',
    discount: !row.discount ? '' : row.discount.type === 'percent' ? decimalText(row.discount.value, locale) : moneyToText(Number(row.discount.value), currency, locale),
    vatRate: row.vatRate,
    vatIncluded: row.vatIncluded,
  };
}

/** A catalog product picked for a row: name, price, unit and VAT come from the catalog. */
export function applyProduct(row: DraftRow, p: CatalogProduct, currency: string, locale: string): DraftRow {
  return {
    ...row,
    productId: p.id,
    name: p.name,
    price: moneyToText(p.price, currency, locale),
    unitCode: p.unitCode,
    unitName: p.unitName ?? row.unitName,
    vatRate: p.vatRate,
    vatIncluded: p.vatIncluded,
  };
}

const normDecimal = (s: string) => s.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
const QUANTITY = /^(?!0(?:\.0{1,3})?$)(?:0|[1-9]\d*)(?:\.\d{1,3})?$/;
const PERCENT = /^(?:100(?:\.0{1,2})?|[1-9]?\d(?:\.\d{1,2})?)$/;

export type RowErrors = Partial<Record<'name' | 'price' | 'quantity' | 'discount', string>>;

/** The API row, or which fields cannot be read (error keys are i18n keys under dealCard.products.errors). */
export function toInput(row: DraftRow, currency: string): { row: ProductRowInput; errors: null } | { row: null; errors: RowErrors } {
  const errors: RowErrors = {};
  const name = row.name.trim();
  if (!name) errors.name = 'name';
  const price = parseMoney(row.price.trim() || '0', currency);
  if (price === null || price < 0) errors.price = 'price';
  const quantity = normDecimal(row.quantity).replace(/^0+(?=\d)/, '');
  if (!QUANTITY.test(quantity)) errors.quantity = 'quantity';
  let discount: ProductRowInput['discount'] = null;
  if (row.discountType !== 'none' && row.discount.trim() !== '') {
    if (row.discountType === 'percent') {
      const v = normDecimal(row.discount);
      if (!PERCENT.test(v)) errors.discount = 'percent';
      else discount = { type: 'percent', value: v };
    } else {
      const v = parseMoney(row.discount, currency);
      if (v === null || v < 0) errors.discount = 'amount';
      else discount = { type: 'amount', value: String(v) };
    }
  }
  if (Object.keys(errors).length) return { row: null, errors };
  return {
    row: {
      productId: row.productId,
      name,
      price: price!,
      quantity,
      unitCode: row.unitCode,
      unitName: row.unitName.trim() || null,
      discount,
      vatRate: row.vatRate,
      vatIncluded: row.vatIncluded,
    },
    errors: null,
  };
}

/** A stable text of a row's input, to tell whether it is still what the server computed. */
export function signature(row: DraftRow, currency: string): string | null {
  const r = toInput(row, currency);
  return r.row ? JSON.stringify(r.row) : null;
}

export function serverSignature(row: ProductRow): string {
  const input: ProductRowInput = {
    productId: row.productId,
    name: row.name,
    price: row.price,
    quantity: row.quantity,
    unitCode: row.unitCode,
    unitName: row.unitName,
    discount: row.discount,
    vatRate: row.vatRate,
    vatIncluded: row.vatIncluded,
  };
  return JSON.stringify(input);
}

/** A row's totals as typed (the name aside), or null while its figures are not valid yet. */
export function liveRowTotals(row: DraftRow, currency: string): RowTotals | null {
  const r = toInput({ ...row, name: row.name.trim() || '-' }, currency);
  if (!r.row) return null;
  try {
    return computeRow(r.row);
  } catch {
    return null; // beyond the supported amount, or a discount above the row: the server says why on save
  }
}

/** The deal's totals as typed: null while any row's figures are not valid yet. */
export function liveTotals(rows: readonly DraftRow[], currency: string): DocumentTotals | null {
  const all = rows.map((r) => liveRowTotals(r, currency));
  if (all.some((r) => r === null)) return null;
  try {
    return computeTotals(all as RowTotals[]);
  } catch {
    return null;
  }
}
