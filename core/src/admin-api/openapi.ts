/**
 * The OpenAPI 3.1 document of the admin API, built from the route descriptions and
 * their zod schemas (`z.toJSONSchema`). Served at `/admin/api/openapi.json`; the web
 * admin's typed client is generated from it (admin/scripts/generate-api.mjs).
 */
import { z } from 'zod';
import type { AdminRoute } from './admin-route.js';
import { ADMIN_API_PREFIX, adminApiRoutes } from './admin-routes.js';
import { errorSchema } from './common-schemas.js';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete json['$schema'];
  return json;
}

/** `/accounts/:id` as OpenAPI writes it: `/accounts/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function operation(route: AdminRoute): Json {
  const parameters: Json[] = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    const query = schemaOf(route.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  const error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const op: Json = {
    operationId: route.id,
    summary: route.summary,
    tags: [route.tag],
    responses: {
      [String(route.status ?? 200)]: {
        description: 'Success',
        content: {
          'application/json': { schema: schemaOf(route.response, 'output') },
          ...(route.csv
            ? {
                'text/csv': {
                  schema: { type: 'string', description: `Sent for Accept: text/csv (streamed, as ${route.csv.filename})` },
                },
              }
            : {}),
        },
      },
      '400': { description: 'Invalid request', ...error },
      ...(route.public ? {} : { '401': { description: 'Not signed in', ...error } }),
      ...(route.method === 'get'
        ? {}
        : {
            '403': { description: 'Cross-site request refused: no JSON body or X-Requested-With, or another origin', ...error },
          }),
      ...(route.path.includes(':') ? { '404': { description: 'Not found', ...error } } : {}),
    },
  };
  if (route.public) op['security'] = [];
  if (parameters.length > 0) op['parameters'] = parameters;
  if (route.body)
    op['requestBody'] = { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
  return op;
}

/** Paths are relative to `/admin` (the server URL), so one client reaches both mounts. */
export function buildOpenApiDocument(version = '0.0.0'): Json {
  const paths: Record<string, Json> = {};
  const add = (prefix: string, routes: readonly AdminRoute[]) => {
    for (const route of routes) {
      const path = `${prefix.slice('/admin'.length)}${openApiPath(route.path)}`;
      paths[path] = { ...paths[path], [route.method]: operation(route) };
    }
  };
  add(ADMIN_API_PREFIX, adminApiRoutes);
  paths['/api/openapi.json'] = {
    get: {
      operationId: 'getOpenApi',
      summary: 'This document',
      tags: ['meta'],
      security: [],
      responses: { '200': { description: 'OpenAPI document' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Switchyard admin API', version, description: 'Everything the web admin does. Sign in with POST /api/login.' },
    servers: [{ url: '/admin' }],
    security: [{ session: [] }, { bearer: [] }],
    paths,
    components: {
      schemas: { Error: schemaOf(errorSchema, 'output') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'switchyard_admin' },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
}
