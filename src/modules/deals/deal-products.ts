import type { Selectable } from 'kysely';
import type { DealProductsTable } from '../../db/schema.js';
import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, notFound, versionConflict } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import { computeRow, computeTotals, type RowDiscount, type RowTotals, type VatRate } from '../../shared/product-rows.js';
import type { ProductRowInput } from './deals.schema.js';
import * as repo from './deals.repo.js';
import { dealScope } from './deal-filters.js';
import { currentDeal, loadForUpdate } from './update-deal.js';

// The product rows of a deal, replaced as a whole. Totals come from src/shared/product-rows.ts
// (exact integer maths); the deal's amount follows the rows whenever it has any.

type ProductRow = Selectable<DealProductsTable>;

function toApiRow(r: ProductRow) {
  const discount: RowDiscount | null = r.discount_type ? ({ type: r.discount_type, value: r.discount_value } as RowDiscount) : null;
  const calc = computeRow({ price: Number(r.price), quantity: r.quantity, discount, vatRate: r.vat_rate as VatRate, vatIncluded: r.vat_included === 1 });
  return {
    api: {
      id: r.id,
      productId: r.product_id,
      name: r.name,
      price: Number(r.price),
      quantity: r.quantity,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      discount,
      vatRate: r.vat_rate as VatRate,
      vatIncluded: r.vat_included === 1,
      subtotal: calc.subtotal,
      discountAmount: calc.discount,
      net: calc.net,
      vatAmount: calc.vatAmount,
      total: calc.total,
    },
    calc,
  };
}

async function loadRows(exec: Executor, workspaceId: number, dealId: number): Promise<ProductRow[]> {
  return exec.selectFrom('deal_products').selectAll().where('workspace_id', '=', workspaceId).where('deal_id', '=', dealId).orderBy('sort').orderBy('id').execute();
}

function answer(dealId: number, version: number, currency: string, rows: ProductRow[]) {
  const mapped = rows.map(toApiRow);
  return { dealId, version, currency, rows: mapped.map((m) => m.api), totals: computeTotals(mapped.map((m) => m.calc)) };
}

export async function getDealProducts(ctx: AppContext, actor: Actor, dealId: number) {
  const ws = actor.workspaceId;
  const deal = await repo.findDeal(ctx.db.kysely, ws, dealId, dealScope(actor, 'read'));
  if (!deal) throw notFound('Deal');
  return answer(dealId, deal.version, deal.currency, await loadRows(ctx.db.kysely, ws, dealId));
}

export async function replaceDealProducts(ctx: AppContext, actor: Actor, dealId: number, rows: ProductRowInput[], version?: number) {
  const ws = actor.workspaceId;
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const deal = await loadForUpdate(ctx, trx, actor, dealId);
    const expectedVersion = version ?? deal.version;
    if (deal.version !== expectedVersion) throw versionConflict(await currentDeal(ctx, trx, ws, dealId));

    const computed: RowTotals[] = [];
    for (const [i, row] of rows.entries()) {
      if (row.productId != null && !(await ctx.services.products.get(trx, ws, row.productId))) {
        throw fieldInvalid(`rows[${i}].productId`, 'no such product');
      }
      try {
        computed.push(computeRow({ price: row.price, quantity: row.quantity, discount: row.discount ?? null, vatRate: row.vatRate, vatIncluded: row.vatIncluded }));
      } catch (e) {
        if (e instanceof RangeError) throw fieldInvalid(`rows[${i}]`, e.message);
        throw e;
      }
    }
    let totals;
    try {
      totals = computeTotals(computed);
    } catch (e) {
      if (e instanceof RangeError) throw fieldInvalid('rows', e.message);
      throw e;
    }
    const previousCount = (await loadRows(trx, ws, dealId)).length;
    const now = nowIso(ctx.clock);
    // With no rows left the amount stays where it was and becomes editable again.
    const amount = rows.length > 0 ? totals.total : Number(deal.amount);
    if (!(await repo.updateDealVersioned(trx, ws, dealId, expectedVersion, { amount, updated_at: now }))) {
      throw versionConflict(await currentDeal(ctx, trx, ws, dealId));
    }
    await trx.deleteFrom('deal_products').where('workspace_id', '=', ws).where('deal_id', '=', dealId).execute();
    if (rows.length > 0) {
      await trx
        .insertInto('deal_products')
        .values(
          rows.map((r, i) => ({
            workspace_id: ws,
            deal_id: dealId,
            sort: i,
            product_id: r.productId ?? null,
            name: r.name,
            price: r.price,
            quantity: r.quantity,
            unit_code: r.unitCode ?? null,
            unit_name: r.unitName ?? null,
            discount_type: r.discount?.type ?? null,
            discount_value: r.discount?.value ?? '0',
            vat_rate: r.vatRate,
            vat_included: r.vatIncluded ? 1 : 0,
            total: computed[i]!.total,
            vat_amount: computed[i]!.vatAmount,
          })),
        )
        .execute();
    }
    const changes: Record<string, { old: unknown; new: unknown }> = { productRows: { old: previousCount, new: rows.length } };
    if (amount !== Number(deal.amount)) changes.amount = { old: Number(deal.amount), new: amount };
    await ctx.services.timeline.record(trx, ws, actor, { entityType: 'deal', entityId: dealId, kind: 'updated', data: { changes } });
    return answer(dealId, expectedVersion + 1, deal.currency, await loadRows(trx, ws, dealId));
  });
}
