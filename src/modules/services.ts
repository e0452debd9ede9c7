import type { AppContext } from '../server/context.js';
import { contactsModuleServices } from './contacts/index.js';
import { AuthService } from './auth/auth.service.js';
import { TimelineService } from './timeline/timeline.service.js';
import { UsersService } from './users/users.service.js';
import { DealsService } from './deals/deals.service.js';
import { CustomFieldsService } from './custom-fields/custom-fields.service.js';
import { LeadsService } from './leads/leads.service.js';
import { WorkspacesService } from './workspaces/workspaces.service.js';
import { PipelinesService } from './pipelines/pipelines.service.js';
import { ReferenceListsService } from './reference-lists/reference-lists.service.js';
import { ActivitiesService } from './activities/activities.service.js';
import { ProductsService } from './products/products.service.js';
import { RecycleBinService } from './recycle-bin/recycle-bin.service.js';
import { AuditService } from './audit/audit.service.js';
import { JobQueue } from '../jobs/index.js';
import { MessagingService } from './messaging/messaging.service.js';
import { WorkingCalendarService } from './working-calendar/working-calendar.service.js';
import { NotificationsService } from './notifications/notifications.service.js';
import { AutomationService } from './automation/automation.service.js';
import { OverdueControlService } from './overdue-control/overdue-control.service.js';
import { TriggersService } from './automation/triggers/triggers.service.js';

/**
 * One instance of each module's service per app. Modules reach each other only through
 * these services (never another module's tables).
 */
export function createServices(ctx: AppContext) {
  const core = {
    auth: new AuthService(ctx),
    ...contactsModuleServices(ctx),
    users: new UsersService(ctx),
    customFields: new CustomFieldsService(ctx),
    timeline: new TimelineService(ctx),
    leads: new LeadsService(ctx),
    workspaces: new WorkspacesService(ctx),
    deals: new DealsService(ctx),
    pipelines: new PipelinesService(ctx),
    referenceLists: new ReferenceListsService(ctx),
    activities: new ActivitiesService(ctx),
    products: new ProductsService(ctx),
    recycleBin: new RecycleBinService(ctx),
    audit: new AuditService(ctx),
    /** SMTP and SMS providers and their settings (docs/messaging.md) */
    messaging: new MessagingService(ctx),
    /** the workspace's working calendar: workingTime(exec, ws) for robots counting working time only */
    workingCalendar: new WorkingCalendarService(ctx),
    notifications: new NotificationsService(ctx),
    /** the job engine's queue (src/jobs): modules register their job kinds in `jobs.registry` and enqueue in their transactions */
    jobs: new JobQueue(ctx.db, ctx.clock),
    /** overdue control (контроль сроков) and the daily digest: its job kinds are registered below */
    overdueControl: new OverdueControlService(ctx),
  };
  core.overdueControl.registerJobKinds(core.jobs.registry);
  core.notifications.registerJobKinds(core.jobs.registry);
  const { activities, communications, contacts, companies, customFields, deals, leads, messaging, notifications, pipelines, referenceLists, timeline, users, workingCalendar, workspaces, jobs } = core;
  const network = { allowPrivateWebhooks: ctx.allowPrivateWebhooks === true };
  const robotDeps = { activities, communications, contacts, companies, customFields, deals, leads, messaging, notifications, pipelines, referenceLists, timeline, users, workingCalendar, workspaces, jobs, network };
  return {
    ...core,
    /** robots of the stages, the engine that runs them and the automation log (docs/automation.md); given only the services robots use */
    automation: new AutomationService(ctx, robotDeps),
    /** triggers of the stages: the `triggers` outbox consumer, the idle sweep, inbound webhooks (docs/automation.md § Triggers) */
    triggers: new TriggersService(ctx, robotDeps),
  };
}

export type Services = ReturnType<typeof createServices>;
