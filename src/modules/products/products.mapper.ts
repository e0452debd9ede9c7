import type { Selectable } from 'kysely';
import type { ProductsTable } from '../../db/schema.js';
import { buildSearchText } from '../../server/http/text.js';
import type { VatRate } from '../../shared/product-rows.js';
import type { Product } from './products.schema.js';

export type ProductRow = Selectable<ProductsTable>;

export const productNameKey = (name: string) => name.trim().toLowerCase();
export const productSearchText = (name: string, sku: string | null) => buildSearchText([name, sku]);

export function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    name: r.name,
    sku: r.sku,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    price: r.price,
    currency: r.currency,
    vatRate: r.vat_rate as VatRate,
    vatIncluded: r.vat_included === 1,
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
