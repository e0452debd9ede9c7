// Shapes of the deal card's API answers (GET /deals/{id}, GET/PUT /deals/{id}/products); see API.md.

export type { Deal } from '../../api/deals';
import type { Deal } from '../../api/deals';
import type { Schemas } from '../../api/types';

export type DealPatch = Partial<
  Pick<Deal, 'title' | 'amount' | 'currency' | 'responsibleId' | 'observerIds' | 'contactIds' | 'companyId' | 'sourceId' | 'closeDate' | 'probability' | 'tags' | 'comment' | 'custom'>
>;

/** Fields a person sees on the card: what the conflict dialog compares. */
export const VISIBLE_FIELDS = [
  'title',
  'amount',
  'currency',
  'stageId',
  'responsibleId',
  'observerIds',
  'contactIds',
  'companyId',
  'sourceId',
  'closeDate',
  'probability',
  'tags',
  'comment',
  'lossReasonId',
  'custom',
] as const;

export type ProductRow = Schemas['DealProductRow'];
export type VatRate = ProductRow['vatRate'];
export type RowDiscount = NonNullable<ProductRow['discount']>;
/** A row as PUT /deals/{id}/products takes it: the row without its id and computed figures. */
export type ProductRowInput = Pick<ProductRow, 'productId' | 'name' | 'price' | 'quantity' | 'unitCode' | 'unitName' | 'discount' | 'vatRate' | 'vatIncluded'>;
export type ProductTotals = Schemas['DocumentTotals'];
export type DealProducts = Schemas['DealProducts'];

/** What the product picker uses of a catalog product (GET /products). */
export type CatalogProduct = Pick<Schemas['Product'], 'id' | 'name' | 'sku' | 'unitCode' | 'unitName' | 'price' | 'currency' | 'vatRate' | 'vatIncluded' | 'active'>;
