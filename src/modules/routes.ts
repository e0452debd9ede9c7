import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../server/context.js';
import { authRoutes } from './auth/auth.routes.js';
import { contactsModuleRoutes } from './contacts/index.js';
import { customFieldsRoutes } from './custom-fields/custom-fields.routes.js';
import { usersModuleRoutes } from './users/users.routes.js';
import { leadsRoutes } from './leads/leads.routes.js';
import { workspacesRoutes } from './workspaces/workspaces.routes.js';
import { dealsRoutes } from './deals/deals.routes.js';
import { pipelinesRoutes } from './pipelines/pipelines.routes.js';
import { referenceListsRoutes } from './reference-lists/reference-lists.routes.js';
import { activitiesRoutes } from './activities/activities.routes.js';
import { productsRoutes } from './products/products.routes.js';
import { recycleBinRoutes } from './recycle-bin/recycle-bin.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { queueRoutes } from './queue/queue.routes.js';
import { messagingRoutes } from './messaging/messaging.routes.js';
import { workingCalendarRoutes } from './working-calendar/working-calendar.routes.js';
import { notificationsRoutes } from './notifications/notifications.routes.js';
import { automationRoutes } from './automation/automation.routes.js';
import { overdueControlRoutes } from './overdue-control/overdue-control.routes.js';
import { triggersRoutes } from './automation/triggers/triggers.routes.js';

/** Every module's HTTP routes, mounted under /api/v1. */
export const moduleRoutes: Array<(ctx: AppContext) => FastifyPluginAsyncZod> = [authRoutes, contactsModuleRoutes, customFieldsRoutes, usersModuleRoutes, leadsRoutes, workspacesRoutes, dealsRoutes, pipelinesRoutes, referenceListsRoutes, activitiesRoutes, productsRoutes, recycleBinRoutes, auditRoutes, queueRoutes, messagingRoutes, workingCalendarRoutes, notificationsRoutes, automationRoutes, overdueControlRoutes, triggersRoutes];
