import { inTransaction } from '../../server/context.js';
import { lockRows } from '../../db/locks.js';
import type { AppContext } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, forbidden, notFound, versionConflict } from '../../server/errors.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import { diffFields } from '../timeline/timeline.service.js';
import type { Contact } from './contacts.schema.js';
import { contactFullName } from './contacts.mapper.js';
import * as repo from './contacts.repo.js';
import { contactNameKey, contactSearchText } from './contacts.service.js';
import { fillEmpty, fillEmptyCustom } from './merge-fill.js';

const FIELDS = ['first_name', 'last_name', 'middle_name', 'position', 'birthday', 'type_id', 'source_id', 'comment'] as const;
const TRACKED = ['firstName', 'lastName', 'middleName', 'position', 'birthday', 'typeId', 'sourceId', 'comment', 'phones', 'emails', 'companyIds', 'custom'];

/**
 * Merges the source contact into the survivor: the survivor keeps its non-empty values and
 * takes the source's where it has none; phones, e-mails and company links are united; deals,
 * activities and the timeline move over; the source is deleted and a `merged` event recorded.
 */
export async function mergeContacts(ctx: AppContext, actor: Actor, survivorId: number, sourceId: number): Promise<Contact> {
  if (survivorId === sourceId) throw fieldInvalid('sourceId', 'must be another contact than the one merged into');
  const ws = actor.workspaceId;
  const s = ctx.services;
  return inTransaction(ctx.db.kysely, async (trx) => {
    // both rows locked in id order: A←B and B←A at once queue up instead of deadlocking; the
    // second then finds its source gone (404)
    await lockRows(trx, ctx.db.dialect, 'contacts', ws, [survivorId, sourceId]);
    const survivorRow = await repo.findContact(trx, actor, survivorId);
    if (!survivorRow) throw notFound('Contact');
    const sourceRow = await repo.findContact(trx, actor, sourceId);
    if (!sourceRow) throw notFound('Contact');
    if (!mayActOn(actor, 'contact', 'update', survivorRow.responsible_id) || !mayActOn(actor, 'contact', 'update', sourceRow.responsible_id)) {
      throw forbidden('Merging needs the right to change both contacts');
    }
    if (!mayActOn(actor, 'contact', 'delete', sourceRow.responsible_id)) throw forbidden('Merging needs the right to delete the merged contact');
    const [survivor, source] = await s.contacts.hydrate(trx, ws, [survivorRow, sourceRow]);

    const filled = fillEmpty(survivorRow, sourceRow, FIELDS);
    const custom = await s.customFields.carryOver(trx, ws, 'contact', fillEmptyCustom(survivor!.custom, source!.custom), survivor!.custom);
    // prepare() keeps the first of equal numbers, so the survivor's own entries win.
    const comms = s.communications.prepare([...survivor!.phones, ...source!.phones], [...survivor!.emails, ...source!.emails]);

    const updated = await repo.updateContact(trx, ws, survivorId, survivorRow.version, {
      ...filled,
      custom: JSON.stringify(custom),
      search_text: contactSearchText(filled, comms),
      name_key: contactNameKey(filled),
      updated_at: nowIso(ctx.clock),
    });
    if (!updated) throw versionConflict(survivor);
    await s.communications.replace(trx, ws, 'contact', survivorId, comms.phones, comms.emails);
    await repo.replaceCompanyLinks(trx, ws, survivorId, [...survivor!.companyIds, ...source!.companyIds]);

    // Everything that pointed at the source now points at the survivor, before the source goes.
    await s.deals.relinkContact(trx, ws, sourceId, survivorId);
    await s.activities.relinkOwner(trx, ws, 'contact', sourceId, survivorId);
    await s.timeline.reassign(trx, ws, 'contact', sourceId, survivorId);
    await s.communications.removeAll(trx, ws, 'contact', sourceId);
    await repo.deleteContact(trx, ws, sourceId);

    const after = (await s.contacts.hydrate(trx, ws, [updated]))[0]!;
    await s.timeline.record(trx, ws, actor, {
      entityType: 'contact',
      entityId: survivorId,
      kind: 'merged',
      data: { sourceId, sourceName: contactFullName(sourceRow), changes: diffFields(survivor!, after, TRACKED) },
    });
    return after;
  });
}
