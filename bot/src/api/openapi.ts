import { z } from 'zod';
import type { ApiRoute } from './api-routes';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'correlationId'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' }, correlationId: { type: 'string' } },
    },
  },
};

/** The OpenAPI 3.1 document of the API, generated from the same route table the server mounts. */
export function openApiDocument(routes: ApiRoute[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api/v1${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const params = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const query = route.query ? (z.toJSONSchema(route.query, { io: 'input' }) as { properties?: Record<string, unknown> }) : undefined;
    const queryParams = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
    const headerParams = route.method === 'post' && route.body ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }] : [];
    const body = route.body ?? route.documentedBody;
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      security: [{ bearer: [] }],
      parameters: [...params, ...queryParams, ...headerParams],
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(body, { io: 'input' }) } } } } : {}),
      responses: {
        [String(route.status)]: { description: 'Success' },
        ...(route.status === 201 ? { '200': { description: 'The same credit, already given within the last 10 minutes (a retry or a resend)' } } : {}),
        '400': { description: 'Invalid input', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        '401': { description: 'Missing or invalid token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        '403': { description: 'Not allowed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        '404': { description: 'Not found, or not on this board', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ...Object.fromEntries(Object.entries(route.refusals ?? {}).map(([status, description]) => [status, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }])),
        ...(route.write ? { '429': { description: 'Too many writes; see Retry-After' } } : {}),
        '503': {
          description: 'store_unavailable: the store could not be reached within the request’s 5 s deadline. Nothing was lost; retry after Retry-After (a credit sent again is returned, not given twice).',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Noticed API', version: '1.0.0', description: 'Give and read credit for behind-the-scenes work.' },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An Entra access token for the access_as_user scope.' } },
      schemas: { Error: errorSchema },
    },
  };
}
