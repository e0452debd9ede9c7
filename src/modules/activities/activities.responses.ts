import { pageOf } from '../../server/http/responses.js';
import { activityOut } from './activities.schema.js';

// zod schemas of the activities API (response side), named for the OpenAPI document.

export const activitySchema = activityOut.meta({ id: 'Activity' });
export const activityPageSchema = pageOf(activitySchema);
