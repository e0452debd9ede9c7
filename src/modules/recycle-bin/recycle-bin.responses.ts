import { z } from 'zod';
import { pageOf } from '../../server/http/responses.js';
import { BIN_ENTITIES } from './recycle-bin.service.js';

// zod schema of GET /recycle-bin (response side), named for the OpenAPI document.

export const binItemSchema = z
  .object({
    id: z.number().int(),
    entityType: z.enum(BIN_ENTITIES),
    /** the deleted record's id, which it gets back on restore */
    entityId: z.number().int(),
    title: z.string(),
    responsibleId: z.number().int(),
    pipelineId: z.number().int().nullable(),
    deletedAt: z.string(),
    deletedById: z.number().int().nullable(),
    /** when it will be purged, by the workspace's current setting */
    purgeAt: z.string(),
  })
  .meta({ id: 'RecycleBinItem' });
export const binPageSchema = pageOf(binItemSchema);
