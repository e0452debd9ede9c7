import { inTransaction } from '../../server/context.js';
import { lockRows } from '../../db/locks.js';
import type { AppContext } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, forbidden, notFound, versionConflict } from '../../server/errors.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import { diffFields } from '../timeline/timeline.service.js';
import type { Company } from './companies.schema.js';
import * as repo from './companies.repo.js';
import { moveCompanyLinks } from './contacts.repo.js';
import { companySearchText, requisitesJson } from './companies.service.js';
import { nameKey } from '../../shared/communications.js';
import { fillEmpty, fillEmptyCustom } from './merge-fill.js';

const FIELDS = ['type_id', 'industry_id', 'website', 'address', 'comment'] as const;
const TRACKED = ['typeId', 'industryId', 'website', 'address', 'requisites', 'comment', 'phones', 'emails', 'custom'];

/**
 * Merges the source company into the survivor: empty fields (and requisites) are filled from
 * the source, phones and e-mails united, contact links, deals, activities and the timeline
 * moved over; the source is deleted and a `merged` event recorded on the survivor.
 */
export async function mergeCompanies(ctx: AppContext, actor: Actor, survivorId: number, sourceId: number): Promise<Company> {
  if (survivorId === sourceId) throw fieldInvalid('sourceId', 'must be another company than the one merged into');
  const ws = actor.workspaceId;
  const s = ctx.services;
  return inTransaction(ctx.db.kysely, async (trx) => {
    // both rows locked in id order: A←B and B←A at once queue up instead of deadlocking; the
    // second then finds its source gone (404)
    await lockRows(trx, ctx.db.dialect, 'companies', ws, [survivorId, sourceId]);
    const survivorRow = await repo.findCompany(trx, actor, survivorId);
    if (!survivorRow) throw notFound('Company');
    const sourceRow = await repo.findCompany(trx, actor, sourceId);
    if (!sourceRow) throw notFound('Company');
    if (!mayActOn(actor, 'company', 'update', survivorRow.responsible_id) || !mayActOn(actor, 'company', 'update', sourceRow.responsible_id)) {
      throw forbidden('Merging needs the right to change both companies');
    }
    if (!mayActOn(actor, 'company', 'delete', sourceRow.responsible_id)) throw forbidden('Merging needs the right to delete the merged company');
    const [survivor, source] = await s.companies.hydrate(trx, ws, [survivorRow, sourceRow]);

    const filled = fillEmpty(survivorRow, sourceRow, FIELDS);
    const requisites = { ...source!.requisites, ...Object.fromEntries(Object.entries(survivor!.requisites).filter(([, v]) => v)) };
    const custom = await s.customFields.carryOver(trx, ws, 'company', fillEmptyCustom(survivor!.custom, source!.custom), survivor!.custom);
    const comms = s.communications.prepare([...survivor!.phones, ...source!.phones], [...survivor!.emails, ...source!.emails]);

    const updated = await repo.updateCompany(trx, ws, survivorId, survivorRow.version, {
      ...filled,
      requisites: requisitesJson(requisites),
      custom: JSON.stringify(custom),
      search_text: companySearchText(survivorRow.name, comms),
      name_key: nameKey([survivorRow.name]),
      updated_at: nowIso(ctx.clock),
    });
    if (!updated) throw versionConflict(survivor);
    await s.communications.replace(trx, ws, 'company', survivorId, comms.phones, comms.emails);

    await moveCompanyLinks(trx, ws, sourceId, survivorId);
    await s.deals.relinkCompany(trx, ws, sourceId, survivorId);
    await s.activities.relinkOwner(trx, ws, 'company', sourceId, survivorId);
    await s.timeline.reassign(trx, ws, 'company', sourceId, survivorId);
    await s.communications.removeAll(trx, ws, 'company', sourceId);
    await repo.deleteCompany(trx, ws, sourceId);

    const after = (await s.companies.hydrate(trx, ws, [updated]))[0]!;
    await s.timeline.record(trx, ws, actor, {
      entityType: 'company',
      entityId: survivorId,
      kind: 'merged',
      data: { sourceId, sourceName: sourceRow.name, changes: diffFields(survivor!, after, TRACKED) },
    });
    return after;
  });
}
