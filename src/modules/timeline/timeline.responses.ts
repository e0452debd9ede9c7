import { z } from 'zod';
import { pageOf } from '../../server/http/responses.js';

// zod schemas of a record's timeline (GET/POST /{deals|leads|contacts|companies}/{id}/timeline).

export const timelineEntrySchema = z
  .object({
    id: z.number().int(),
    entityType: z.enum(['deal', 'lead', 'contact', 'company']),
    entityId: z.number().int(),
    kind: z.string().meta({ description: 'created, updated, stage_moved, status_changed, responsible_changed, activity_created, activity_done, converted, merged, comment, deleted, restored, …' }),
    authorId: z.number().int().nullable(),
    robot: z
      .object({ id: z.number().int(), name: z.string(), kind: z.literal('trigger').optional().meta({ description: 'present when a trigger (its id and name) moved the record' }) })
      .nullable()
      .meta({ description: 'the robot (or trigger) that wrote the entry (authorId is then the workspace’s system user)' }),
    createdAt: z.string(),
    /** what the entry is about; its fields depend on the kind */
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });

export const timelinePageSchema = pageOf(timelineEntrySchema);
