import { z } from 'zod';
import type { LeadConvertInput } from '../../leads/leads.schema.js';
import { defineRobotType, RobotSkip } from '../robot-type.js';

/**
 * «Сконвертировать лид»: the lead becomes a deal (in a chosen stage, or the default pipeline's first)
 * and/or a contact and a company — an existing contact or company is reused when one matches the
 * lead's phone or e-mail (or, for a company, its name), otherwise it is created. This is how "robots
 * convert leads when conditions hold" works, and the lead-less CRM mode's built-in rule.
 */
export const convertLead = defineRobotType({
  type: 'convert_lead',
  title: { ru: 'Сконвертировать лид', en: 'Convert the lead' },
  description: {
    ru: 'Создаёт из лида сделку, контакт и компанию; существующие контакт и компания с тем же телефоном или e-mail используются повторно',
    en: 'Makes a deal, a contact and a company of the lead, reusing an existing contact and company with the same phone or e-mail',
  },
  entities: ['lead'],
  effect: 'internal',
  needsClient: true,
  params: z.strictObject({
    deal: z.boolean().default(true),
    /** the new deal's stage; the default pipeline's first stage when absent */
    stageId: z.int().positive().nullable().default(null),
    contact: z.boolean().default(true),
    company: z.boolean().default(true),
  }),
  async check(exec, ws, p, deps) {
    if (p.stageId !== null && !(await deps.pipelines.getStage(exec, ws, p.stageId))) return [{ path: 'params.stageId', message: `stage ${p.stageId} does not exist` }];
    if (!p.deal && !p.contact && !p.company) return [{ path: 'params.deal', message: 'convert to at least one of deal, contact, company' }];
    return [];
  },
  async run(ctx) {
    const { exec, record, params: p, deps } = ctx;
    const lead = record.raw as {
      convertedAt: string | null; firstName: string | null; lastName: string | null; companyName: string | null;
      phones: Array<{ value: string }>; emails: Array<{ value: string }>; version: number;
    };
    if (lead.convertedAt) throw new RobotSkip('the lead is converted already');
    const matches = await deps.communications.findDuplicates(exec, ctx.actor, {
      phones: lead.phones.map((x) => x.value),
      emails: lead.emails.map((x) => x.value),
      name: null,
      companyName: p.company ? lead.companyName : null,
      excludeType: 'lead',
    });
    const contactId = matches.find((m) => m.entity === 'contact')?.id;
    const companyId = matches.find((m) => m.entity === 'company')?.id;
    const hasPerson = !!(lead.firstName || lead.lastName);
    const input: LeadConvertInput = { version: lead.version };
    const parts: string[] = [];
    if (p.deal) {
      input.deal = { create: p.stageId !== null ? { stageId: p.stageId } : {} };
      parts.push('a deal');
    }
    if (p.contact && (contactId || hasPerson)) {
      input.contact = contactId ? { id: contactId } : { create: {} };
      parts.push(contactId ? `contact ${contactId} (found)` : 'a contact');
    }
    if (p.company && (companyId || lead.companyName)) {
      input.company = companyId ? { id: companyId } : { create: {} };
      parts.push(companyId ? `company ${companyId} (found)` : 'a company');
    }
    if (parts.length === 0) throw new RobotSkip('nothing to convert the lead to (no name for a contact, no company name)');
    if (ctx.dryRun) return { summary: `would convert the lead to ${parts.join(', ')}`, details: { input } };
    const done = await deps.leads.convert(ctx.actor, record.id, input, exec);
    const links = [
      done.deal && { entityType: 'deal' as const, id: done.deal.id, label: done.deal.title },
      done.contact && { entityType: 'contact' as const, id: done.contact.id },
      done.company && { entityType: 'company' as const, id: done.company.id },
    ].filter((x): x is NonNullable<typeof x> => !!x);
    return { summary: `converted the lead to ${parts.join(', ')}`, links, details: { input } };
  },
});
