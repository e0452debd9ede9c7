import { z } from 'zod';
import { boolParam, limitSchema, withTotalSchema, type SortFields } from '../../server/http/list-query.js';
import { moneyAmount } from '../../server/http/money.js';
import { VAT_RATES } from '../../shared/product-rows.js';

// zod schemas of the product catalog API; reused for OpenAPI.

/** Kopecks, 0 … MONEY_MAX. */
const price = moneyAmount;
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of 3 capital letters');
/** ОКЕИ (the Russian classifier of units): a 3-digit code, e.g. 796 шт, 166 кг, 006 м. */
const unitCode = z.string().regex(/^\d{3}$/, 'must be a 3-digit ОКЕИ code, e.g. "796"');
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

const productFields = {
  sku: optionalText(100),
  unitCode: unitCode.nullable().optional(),
  unitName: optionalText(50),
  price: price.optional(),
  currency: currency.optional(),
  vatRate: z.enum(VAT_RATES).optional(),
  vatIncluded: z.boolean().optional(),
  active: z.boolean().optional(),
};
const productName = z.string().trim().min(1).max(500);

export const createProductBody = z.strictObject({ name: productName, ...productFields });
export const updateProductBody = z.strictObject({ name: productName.optional(), ...productFields, version: z.number().int().positive().optional() });
export type CreateProductInput = z.input<typeof createProductBody>;
export type UpdateProductInput = z.input<typeof updateProductBody>;

export const productListQuery = z.strictObject({
  limit: limitSchema,
  cursor: z.string().max(500).optional(),
  sort: z.string().max(50).optional(),
  withTotal: withTotalSchema,
  q: z.string().trim().min(1).max(200).optional(),
  active: boolParam.optional(),
});
export type ProductListQuery = z.output<typeof productListQuery>;

export const PRODUCT_SORTS: SortFields = {
  id: { column: 'products.id', type: 'id' },
  name: { column: 'products.name_key', type: 'text' },
  createdAt: { column: 'products.created_at', type: 'time' },
};

export const productOut = z.object({
  id: z.number(),
  name: z.string(),
  sku: z.string().nullable(),
  unitCode: z.string().nullable(),
  unitName: z.string().nullable(),
  price: z.number(),
  currency: z.string(),
  vatRate: z.enum(VAT_RATES),
  vatIncluded: z.boolean(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Product = z.infer<typeof productOut>;
