/**
 * Prints the admin API's OpenAPI document (no gateway needed), for the web admin's
 * client generation: `node --import tsx --conditions switchyard-src core/src/admin-api/print-openapi.ts`.
 */
import { buildOpenApiDocument } from './openapi.js';

process.stdout.write(`${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
