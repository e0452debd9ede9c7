import { z } from 'zod';
import { pageOf } from '../../server/http/responses.js';
import { AUDIT_ENTITIES } from './audit.service.js';

// zod schema of GET /audit-log (response side), named for the OpenAPI document.

export const auditRecordSchema = z
  .object({
    id: z.number().int(),
    /** who made the change; null for the system */
    actorId: z.number().int().nullable(),
    entityType: z.enum(AUDIT_ENTITIES),
    entityId: z.number().int(),
    /** created | updated | deleted | archived | … */
    action: z.string(),
    /** field → { old, new } */
    changes: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditRecord' });
export const auditPageSchema = pageOf(auditRecordSchema);
