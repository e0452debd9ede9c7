import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { notFound, versionConflict } from '../../server/errors.js';
import { decodeCursor, parseSort, toPage, type Page } from '../../server/http/list-query.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { productNameKey, productSearchText, toProduct, type ProductRow } from './products.mapper.js';
import * as repo from './products.repo.js';
import { PRODUCT_SORTS, type CreateProductInput, type Product, type ProductListQuery, type UpdateProductInput } from './products.schema.js';

// The product catalog: every user reads it (to pick rows for deals), administrators write it.
// Products are never deleted, only deactivated, because deal rows and invoices point at them.

export class ProductsService {
  constructor(private readonly ctx: AppContext) {}

  private get db() {
    return this.ctx.db.kysely;
  }

  // --- contract for other modules ---

  /** A product of the workspace (active or not), or null. */
  async get(exec: Executor, workspaceId: number, id: number): Promise<Product | null> {
    const row = await repo.findProduct(exec, workspaceId, id);
    return row ? toProduct(row) : null;
  }

  // --- use cases behind the REST API ---

  async read(actor: Actor, id: number): Promise<Product> {
    const product = await this.get(this.db, actor.workspaceId, id);
    if (!product) throw notFound('Product');
    return product;
  }

  async list(actor: Actor, query: ProductListQuery): Promise<Page<Product>> {
    const sort = parseSort(query.sort, PRODUCT_SORTS, 'name');
    const cursor = decodeCursor(query.cursor, sort);
    const filter: repo.ProductListFilter = { active: query.active, q: query.q?.toLowerCase() };
    const rows = await repo.listProducts(this.db, actor.workspaceId, filter, sort, cursor, query.limit);
    const column = sort.column.replace('products.', '') as keyof ProductRow;
    const page = toPage(rows, query.limit, (r) => r[column] as string | number, toProduct);
    if (query.withTotal) page.total = await repo.countProducts(this.db, actor.workspaceId, filter);
    return page;
  }

  async create(actor: Actor, input: CreateProductInput, exec: Executor = this.db): Promise<Product> {
    requireAdmin(actor);
    const now = nowIso(this.ctx.clock);
    const sku = input.sku || null;
    const row = await repo.insertProduct(exec, {
      workspace_id: actor.workspaceId,
      name: input.name,
      sku,
      unit_code: input.unitCode ?? null,
      unit_name: input.unitName || null,
      price: input.price ?? 0,
      currency: input.currency ?? (await this.ctx.services.workspaces.getSettings(exec, actor.workspaceId)).currency,
      vat_rate: input.vatRate ?? 'none',
      vat_included: input.vatIncluded === false ? 0 : 1,
      active: input.active === false ? 0 : 1,
      name_key: productNameKey(input.name),
      search_text: productSearchText(input.name, sku),
      created_at: now,
      updated_at: now,
    });
    return toProduct(row);
  }

  async update(actor: Actor, id: number, input: UpdateProductInput, expectedVersion: number, exec: Executor = this.db): Promise<Product> {
    requireAdmin(actor);
    const ws = actor.workspaceId;
    const row = await repo.findProduct(exec, ws, id);
    if (!row) throw notFound('Product');
    if (row.version !== expectedVersion) throw versionConflict(toProduct(row));
    const text = (v: string | null | undefined, current: string | null) => (v === undefined ? current : v || null);
    const name = input.name ?? row.name;
    const sku = text(input.sku, row.sku);
    const updated = await repo.updateProduct(exec, ws, id, expectedVersion, {
      name,
      sku,
      unit_code: input.unitCode !== undefined ? input.unitCode : row.unit_code,
      unit_name: text(input.unitName, row.unit_name),
      price: input.price ?? row.price,
      currency: input.currency ?? row.currency,
      vat_rate: input.vatRate ?? row.vat_rate,
      vat_included: input.vatIncluded === undefined ? row.vat_included : input.vatIncluded ? 1 : 0,
      active: input.active === undefined ? row.active : input.active ? 1 : 0,
      name_key: productNameKey(name),
      search_text: productSearchText(name, sku),
      updated_at: nowIso(this.ctx.clock),
    });
    if (!updated) throw versionConflict(toProduct((await repo.findProduct(exec, ws, id))!));
    return toProduct(updated);
  }

  /** DELETE deactivates: the product leaves the pickers but old deal rows keep their link. */
  async deactivate(actor: Actor, id: number, exec: Executor = this.db): Promise<void> {
    requireAdmin(actor);
    const row = await repo.findProduct(exec, actor.workspaceId, id);
    if (!row) throw notFound('Product');
    // idempotent, so no version check: deactivating twice or after an edit leaves it inactive either way
    await repo.deactivateProduct(exec, actor.workspaceId, id, nowIso(this.ctx.clock));
  }
}
