import type { FastifyInstance } from 'fastify';

/**
 * A request without a body is an empty JSON object. `POST /auth/logout`, `POST
 * /activities/{id}/cancel` and other writes whose fields are all optional then work when a client
 * (curl -X POST, fetch without a body, a proxy that drops `Content-Length: 0` bodies) sends
 * nothing at all, with or without `Content-Type: application/json`; a route with required fields
 * answers its usual 400 naming them instead of "expected object, received null".
 */
export function installEmptyBodyAsObject(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined);
    json(req, body as string, done);
  });
  app.addHook('preValidation', async (req) => {
    if ((req.body === undefined || req.body === null) && req.routeOptions.schema?.body) req.body = {};
  });
}
