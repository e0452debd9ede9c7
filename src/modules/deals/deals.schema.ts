import { z } from 'zod';
import { boolParam, idParam, limitSchema, repeatable, withTotalSchema } from '../../server/http/list-query.js';
import { dateOnly, dateOrTime } from '../../server/http/dates.js';
import { moneyAmount } from '../../server/http/money.js';
import { MONEY_MAX, MONEY_MAX_MESSAGE } from '../../shared/money.js';
import { KOPECKS_PATTERN, PERCENT_PATTERN, QUANTITY_PATTERN, VAT_RATES } from '../../shared/product-rows.js';

// zod schemas of the deals API (request side); reused for OpenAPI.

const id = z.number().int().positive().max(2 ** 31 - 1);
/** Kopecks, 0 … MONEY_MAX. */
const money = moneyAmount;
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of 3 capital letters');
const tag = z.string().trim().min(1).max(50);
const custom = z.record(z.string().max(64), z.unknown());

/** Fields a deal shares between create and update. */
const dealFields = {
  title: z.string().trim().min(1).max(500),
  amount: money,
  currency,
  responsibleId: id,
  observerIds: z.array(id).max(50),
  contactIds: z.array(id).max(50),
  primaryContactId: id.nullable(),
  companyId: id.nullable(),
  sourceId: id.nullable(),
  closeDate: dateOnly.nullable(),
  probability: z.number().int().min(0).max(100).nullable(),
  tags: z.array(tag).max(20),
  comment: z.string().max(20_000).nullable(),
  custom,
};

export const dealCreateBody = z.strictObject({
  title: dealFields.title,
  amount: money.optional(),
  currency: currency.optional(),
  responsibleId: id.optional(),
  observerIds: dealFields.observerIds.optional(),
  contactIds: dealFields.contactIds.optional(),
  primaryContactId: dealFields.primaryContactId.optional(),
  companyId: dealFields.companyId.optional(),
  sourceId: dealFields.sourceId.optional(),
  closeDate: dealFields.closeDate.optional(),
  probability: dealFields.probability.optional(),
  tags: dealFields.tags.optional(),
  comment: dealFields.comment.optional(),
  custom: custom.optional(),
  pipelineId: id.optional(),
  stageId: id.optional(),
  /** needed when the deal is created right in a failure stage that requires a loss reason */
  lossReasonId: id.nullable().optional(),
});
/**
 * What deals.create takes: the body, plus `leadId`, which only the leads module sets on
 * conversion (POST /leads/{id}/convert checks the lead); the public body has no such field, so a
 * client cannot link a deal to a lead it may not read or of another workspace.
 */
export type DealCreateInput = z.infer<typeof dealCreateBody> & { leadId?: number | null };

/** PATCH: stage and pipeline change only through POST /deals/{id}/move. */
export const dealPatchBody = z.strictObject({
  title: dealFields.title.optional(),
  amount: money.optional(),
  currency: currency.optional(),
  responsibleId: id.optional(),
  observerIds: dealFields.observerIds.optional(),
  contactIds: dealFields.contactIds.optional(),
  primaryContactId: dealFields.primaryContactId.optional(),
  companyId: dealFields.companyId.optional(),
  sourceId: dealFields.sourceId.optional(),
  closeDate: dealFields.closeDate.optional(),
  probability: dealFields.probability.optional(),
  tags: dealFields.tags.optional(),
  comment: dealFields.comment.optional(),
  custom: custom.optional(),
  version: z.number().int().min(1).optional(),
});
export type DealPatchInput = z.infer<typeof dealPatchBody>;

export const dealMoveBody = z.strictObject({
  stageId: id,
  /** the card the deal lands below; null/absent = top of the column (unless beforeId is given) */
  afterId: id.nullable().optional(),
  /** the card the deal lands above */
  beforeId: id.nullable().optional(),
  lossReasonId: id.nullable().optional(),
  version: z.number().int().min(1).optional(),
});
export type DealMoveInput = z.infer<typeof dealMoveBody>;

const discount = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('percent'), value: z.string().regex(PERCENT_PATTERN, 'must be a percent 0–100 with up to 2 decimals') }),
  z.strictObject({ type: z.literal('amount'), value: z.string().max(16).regex(KOPECKS_PATTERN, 'must be an integer number of kopecks').refine((v) => Number(v) <= MONEY_MAX, MONEY_MAX_MESSAGE) }),
]);

export const productRowInput = z.strictObject({
  productId: id.nullable().optional(),
  name: z.string().trim().min(1).max(500),
  price: money,
  quantity: z.string().max(20).regex(QUANTITY_PATTERN, 'must be a positive decimal with up to 3 fractional digits'),
  unitCode: z.string().trim().max(20).nullable().optional(),
  unitName: z.string().trim().max(50).nullable().optional(),
  discount: discount.nullable().optional(),
  vatRate: z.enum(VAT_RATES),
  vatIncluded: z.boolean(),
});
export type ProductRowInput = z.infer<typeof productRowInput>;

export const productRowsBody = z.strictObject({
  rows: z.array(productRowInput).max(500),
  version: z.number().int().min(1).optional(),
});

export const commentBody = z.strictObject({ text: z.string().trim().min(1).max(20_000) });

// --- list filters (GET /deals, the board and its columns) ---

/** `2026-11-28` or a full ISO time; `To` bounds are exclusive for times and take in the whole day for dates. */
const timeBound = dateOrTime;
const amountParam = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const dealFilterShape = {
  pipelineId: repeatable(idParam),
  stageId: repeatable(idParam),
  responsibleId: repeatable(z.union([z.literal('me'), idParam])),
  companyId: repeatable(idParam),
  contactId: repeatable(idParam),
  sourceId: repeatable(idParam),
  tag: repeatable(tag),
  currency: repeatable(currency),
  closed: boolParam.optional(),
  overdue: boolParam.optional(),
  noNextStep: boolParam.optional(),
  createdFrom: timeBound.optional(),
  createdTo: timeBound.optional(),
  updatedFrom: timeBound.optional(),
  updatedTo: timeBound.optional(),
  closedFrom: timeBound.optional(),
  closedTo: timeBound.optional(),
  closeDateFrom: dateOnly.optional(),
  closeDateTo: dateOnly.optional(),
  amountFrom: amountParam.optional(),
  amountTo: amountParam.optional(),
  q: z.string().trim().min(1).max(200).optional(),
};

const CUSTOM_PARAM = /^custom\.[A-Za-z0-9_]{1,64}$/;

/**
 * A strict query object that still lets `custom.<code>` parameters through: the known
 * parameters are validated by `shape`, any other name is a 400 unless it is a custom filter.
 */
export function withCustomFilters<S extends z.ZodRawShape>(shape: S) {
  return z
    .object(shape)
    .catchall(z.union([z.string().max(500), z.array(z.string().max(500)).max(50)]))
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key) && !CUSTOM_PARAM.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'is not a known parameter' });
      }
    });
}

export const dealListQuery = withCustomFilters({
  ...dealFilterShape,
  limit: limitSchema,
  cursor: z.string().max(1000).optional(),
  sort: z.string().max(50).optional(),
  withTotal: withTotalSchema,
});
export type DealListQuery = z.infer<typeof dealListQuery>;

export const boardQuery = withCustomFilters({
  ...dealFilterShape,
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const boardColumnQuery = withCustomFilters({
  ...dealFilterShape,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(1000).optional(),
});

/** The filter part of any of the queries above. */
export type DealFilters = { [K in keyof typeof dealFilterShape]?: z.infer<(typeof dealFilterShape)[K]> } & Record<string, unknown>;

export const idParams = z.object({ id: idParam });
export const boardParams = z.object({ id: idParam });
export const boardColumnParams = z.object({ id: idParam, stageId: idParam });
