import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { expectedVersion } from '../../server/http/version.js';
import {
  assignableOut,
  assignableQuery,
  createDepartmentBody,
  createRoleBody,
  createUserBody,
  listUsersQuery,
  updateDepartmentBody,
  updateRoleBody,
  updateUserBody,
} from './users.schema.js';
import { departmentListSchema, departmentSchema, roleListSchema, roleSchema, userPageSchema, userSchema } from './users.responses.js';
import { noContent } from '../../server/http/responses.js';

const idParams = z.object({ id: idParam });

/** /users, /departments and /roles: the users module's routes. */
export const usersModuleRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const users = ctx.services.users;

  app.get('/users', { schema: { tags: ['users'], querystring: listUsersQuery, response: { 200: userPageSchema } } }, async (req) => users.list(actorOf(req), req.query));
  app.get('/users/assignable', { schema: { tags: ['users'], querystring: assignableQuery, response: { 200: assignableOut } } }, async (req) => users.assignable(actorOf(req), req.query));
  app.get('/users/:id', { schema: { tags: ['users'], params: idParams, response: { 200: userSchema } } }, async (req) => users.get(actorOf(req), req.params.id));
  app.post('/users', { schema: { tags: ['users'], body: createUserBody, response: { 201: userSchema } } }, async (req, reply) => {
    return reply.status(201).send(await users.create(actorOf(req), req.body));
  });
  app.patch('/users/:id', { schema: { tags: ['users'], params: idParams, body: updateUserBody, response: { 200: userSchema } } }, async (req) => {
    const actor = actorOf(req);
    return users.update(actor, req.params.id, req.body, expectedVersion(req, req.body.version));
  });

  app.get('/departments', { schema: { tags: ['departments'], response: { 200: departmentListSchema } } }, async (req) => ({ items: await users.departments.list(actorOf(req)) }));
  app.get('/departments/:id', { schema: { tags: ['departments'], params: idParams, response: { 200: departmentSchema } } }, async (req) => users.departments.get(actorOf(req), req.params.id));
  app.post('/departments', { schema: { tags: ['departments'], body: createDepartmentBody, response: { 201: departmentSchema } } }, async (req, reply) => {
    return reply.status(201).send(await users.departments.create(actorOf(req), req.body));
  });
  app.patch('/departments/:id', { schema: { tags: ['departments'], params: idParams, body: updateDepartmentBody, response: { 200: departmentSchema } } }, async (req) => {
    const actor = actorOf(req);
    return users.departments.update(actor, req.params.id, req.body, expectedVersion(req, req.body.version));
  });
  app.delete('/departments/:id', { schema: { tags: ['departments'], params: idParams, response: { 204: noContent } } }, async (req, reply) => {
    await users.departments.delete(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  app.get('/roles', { schema: { tags: ['roles'], response: { 200: roleListSchema } } }, async (req) => ({ items: await users.roles.list(actorOf(req)) }));
  app.get('/roles/:id', { schema: { tags: ['roles'], params: idParams, response: { 200: roleSchema } } }, async (req) => users.roles.get(actorOf(req), req.params.id));
  app.post('/roles', { schema: { tags: ['roles'], body: createRoleBody, response: { 201: roleSchema } } }, async (req, reply) => {
    return reply.status(201).send(await users.roles.create(actorOf(req), req.body));
  });
  app.patch('/roles/:id', { schema: { tags: ['roles'], params: idParams, body: updateRoleBody, response: { 200: roleSchema } } }, async (req) => {
    const actor = actorOf(req);
    return users.roles.update(actor, req.params.id, req.body, expectedVersion(req, req.body.version));
  });
  app.delete('/roles/:id', { schema: { tags: ['roles'], params: idParams, response: { 204: noContent } } }, async (req, reply) => {
    await users.roles.delete(actorOf(req), req.params.id);
    return reply.status(204).send();
  });
};
