import { z } from 'zod';
import { itemsOf, pageOf } from '../../server/http/responses.js';
import { VAT_RATES } from '../../shared/product-rows.js';
import { stageSemantic } from '../pipelines/pipelines.schema.js';
import { pipelineSchema, stageSchema } from '../pipelines/pipelines.responses.js';

// zod schemas of the deals API (response side): the OpenAPI document and the web's generated types.

const int = z.number().int();
const kopecks = z.number().int().meta({ description: 'minor units (kopecks)' });

/** A deal: the same for single reads, list items and board cards. */
export const dealSchema = z
  .object({
    id: int,
    title: z.string(),
    pipelineId: int,
    stageId: int,
    stageSemantic,
    /** the card's place in its column (a fractional index; sorts as text) */
    position: z.string(),
    amount: kopecks,
    currency: z.string(),
    responsibleId: int,
    createdById: int,
    observerIds: z.array(int),
    /** every linked contact, the primary one first */
    contactIds: z.array(int),
    /** the primary contact */
    contactId: int.nullable(),
    companyId: int.nullable(),
    sourceId: int.nullable(),
    lossReasonId: int.nullable(),
    leadId: int.nullable(),
    closeDate: z.string().nullable(),
    probability: int.nullable(),
    tags: z.array(z.string()),
    comment: z.string().nullable(),
    closed: z.boolean(),
    closedAt: z.string().nullable(),
    stageChangedAt: z.string(),
    nextActivity: z.object({ id: int, deadline: z.string().nullable() }).nullable(),
    /** the earliest planned activity's deadline has passed */
    overdue: z.boolean(),
    /** an in-progress deal with no planned activity */
    noNextStep: z.boolean(),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: int,
  })
  .meta({ id: 'Deal' });

export const dealPageSchema = pageOf(dealSchema);

const vatRate = z.enum(VAT_RATES);
const rowDiscount = z.discriminatedUnion('type', [
  z.object({ type: z.literal('percent'), value: z.string() }),
  z.object({ type: z.literal('amount'), value: z.string() }),
]);

export const productRowSchema = z
  .object({
    id: int,
    productId: int.nullable(),
    name: z.string(),
    price: kopecks,
    quantity: z.string(),
    unitCode: z.string().nullable(),
    unitName: z.string().nullable(),
    discount: rowDiscount.nullable(),
    vatRate,
    vatIncluded: z.boolean(),
    subtotal: kopecks,
    discountAmount: kopecks,
    net: kopecks,
    vatAmount: kopecks,
    total: kopecks,
  })
  .meta({ id: 'DealProductRow' });

export const documentTotalsSchema = z
  .object({
    total: kopecks,
    vatAmount: kopecks,
    net: kopecks,
    discount: kopecks,
    /** one entry per rate present in the rows */
    vatByRate: z.array(z.object({ vatRate, total: kopecks, vatAmount: kopecks, net: kopecks })),
  })
  .meta({ id: 'DocumentTotals' });

export const dealProductsSchema = z
  .object({ dealId: int, version: int, currency: z.string(), rows: z.array(productRowSchema), totals: documentTotalsSchema })
  .meta({ id: 'DealProducts' });

export const stageHistoryEntrySchema = z
  .object({
    id: int,
    pipelineId: int,
    stageId: int,
    /** null only if the stage is gone for good */
    stageName: z.string().nullable(),
    stageSemantic,
    responsibleId: int.nullable(),
    amount: kopecks,
    currency: z.string(),
    enteredAt: z.string(),
    enteredById: int.nullable(),
    exitedAt: z.string().nullable(),
    exitedById: int.nullable(),
  })
  .meta({ id: 'StageHistoryEntry' });

export const stageHistorySchema = itemsOf(stageHistoryEntrySchema);

export const boardColumnSchema = z
  .object({
    stage: stageSchema,
    count: int,
    sums: z.array(z.object({ currency: z.string(), amount: kopecks })),
    items: z.array(dealSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'BoardColumn' });

export const boardSchema = z.object({ pipeline: pipelineSchema, columns: z.array(boardColumnSchema) }).meta({ id: 'Board' });
export const boardColumnPageSchema = z.object({ items: z.array(dealSchema), nextCursor: z.string().nullable() });
