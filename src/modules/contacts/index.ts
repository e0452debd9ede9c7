import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { CommunicationsService } from './communications.service.js';
import { ContactsService } from './contacts.service.js';
import { CompaniesService } from './companies.service.js';
import { contactsRoutes } from './contacts.routes.js';
import { companiesRoutes } from './companies.routes.js';

/** The three services of the contacts module, spread into createServices(). */
export const contactsModuleServices = (ctx: AppContext) => ({
  communications: new CommunicationsService(ctx),
  contacts: new ContactsService(ctx),
  companies: new CompaniesService(ctx),
});

/** Contacts and companies routes, one entry in moduleRoutes. */
export const contactsModuleRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  await app.register(contactsRoutes(ctx));
  await app.register(companiesRoutes(ctx));
};
