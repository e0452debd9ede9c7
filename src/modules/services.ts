import type { AppContext } from '../server/context.js';
import { AuthService } from './auth/auth.service.js';
import { TimelineService } from './timeline/timeline.service.js';
import { UsersService } from './users/users.service.js';
import { CustomFieldsService } from './custom-fields/custom-fields.service.js';

/**
 * One instance of each module's service per app. Modules reach each other only through
 * these services (never another module's tables).
 */
export function createServices(ctx: AppContext) {
  return {
    auth: new AuthService(ctx),
    users: new UsersService(ctx),
    customFields: new CustomFieldsService(ctx),
    timeline: new TimelineService(ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
