import type { ActivitiesService } from '../activities/activities.service.js';
import type { CommunicationsService } from '../contacts/communications.service.js';
import type { ContactsService } from '../contacts/contacts.service.js';
import type { CompaniesService } from '../contacts/companies.service.js';
import type { CustomFieldsService } from '../custom-fields/custom-fields.service.js';
import type { DealsService } from '../deals/deals.service.js';
import type { LeadsService } from '../leads/leads.service.js';
import type { MessagingService } from '../messaging/messaging.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { PipelinesService } from '../pipelines/pipelines.service.js';
import type { ReferenceListsService } from '../reference-lists/reference-lists.service.js';
import type { TimelineService } from '../timeline/timeline.service.js';
import type { UsersService } from '../users/users.service.js';
import type { WorkingCalendarService } from '../working-calendar/working-calendar.service.js';
import type { WorkspacesService } from '../workspaces/workspaces.service.js';
import type { JobQueue } from '../../jobs/index.js';

/**
 * The services the automation engine and its robot types use, named one by one: the engine is
 * given these (services.ts), not the whole collection, so what a robot can touch is visible here.
 */
export interface RobotDeps {
  activities: ActivitiesService;
  communications: CommunicationsService;
  contacts: ContactsService;
  companies: CompaniesService;
  customFields: CustomFieldsService;
  deals: DealsService;
  leads: LeadsService;
  messaging: MessagingService;
  notifications: NotificationsService;
  pipelines: PipelinesService;
  referenceLists: ReferenceListsService;
  timeline: TimelineService;
  users: UsersService;
  workingCalendar: WorkingCalendarService;
  workspaces: WorkspacesService;
  jobs: JobQueue;
  /** the server's policy for calls out (AppOptions.allowPrivateWebhooks) */
  network: { allowPrivateWebhooks: boolean };
}
