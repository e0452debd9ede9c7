// Shapes of the deal card's API answers (GET /deals/{id}, GET/PUT /deals/{id}/products); see API.md.

export type { Deal } from '../../api/deals';
import type { Deal } from '../../api/deals';

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

export type VatRate = '22' | '20' | '10' | '7' | '5' | '0' | 'none';
export type RowDiscount = { type: 'percent'; value: string } | { type: 'amount'; value: string };

export interface ProductRowInput {
  productId: number | null;
  name: string;
  price: number;
  quantity: string;
  unitCode: string | null;
  unitName: string | null;
  discount: RowDiscount | null;
  vatRate: VatRate;
  vatIncluded: boolean;
}

export interface ProductRow extends ProductRowInput {
  id: number;
  subtotal: number;
  discountAmount: number;
  net: number;
  vatAmount: number;
  total: number;
}

export interface ProductTotals {
  total: number;
  vatAmount: number;
  net: number;
  discount: number;
  vatByRate: Array<{ vatRate: VatRate; total: number; vatAmount: number; net: number }>;
}

export interface DealProducts {
  dealId: number;
  version: number;
  currency: string;
  rows: ProductRow[];
  totals: ProductTotals;
}

export interface CatalogProduct {
  id: number;
  name: string;
  sku: string | null;
  unitCode: string | null;
  unitName: string | null;
  price: number;
  currency: string;
  vatRate: VatRate;
  vatIncluded: boolean;
  active: boolean;
}
