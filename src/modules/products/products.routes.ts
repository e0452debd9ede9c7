import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { expectedVersion } from '../../server/http/version.js';
import { createProductBody, productListQuery, updateProductBody } from './products.schema.js';
import { productPageSchema, productSchema } from './products.responses.js';
import { noContent } from '../../server/http/responses.js';

const params = z.object({ id: idParam });
const tags = ['products'];

export const productsRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const products = ctx.services.products;

  app.get('/products', { schema: { tags, querystring: productListQuery, response: { 200: productPageSchema } } }, async (req) => products.list(actorOf(req), req.query));

  app.post('/products', { schema: { tags, body: createProductBody, response: { 201: productSchema } } }, async (req, reply) => reply.status(201).send(await products.create(actorOf(req), req.body)));

  app.get('/products/:id', { schema: { tags, params, response: { 200: productSchema } } }, async (req) => products.read(actorOf(req), req.params.id));

  app.patch('/products/:id', { schema: { tags, params, body: updateProductBody, response: { 200: productSchema } } }, async (req) =>
    products.update(actorOf(req), req.params.id, req.body, expectedVersion(req, req.body.version)),
  );

  app.delete('/products/:id', { schema: { tags, params, description: 'Deactivates the product (active=false); deal rows keep their link.', response: { 204: noContent } } }, async (req, reply) => {
    await products.deactivate(actorOf(req), req.params.id);
    return reply.status(204).send();
  });
};
