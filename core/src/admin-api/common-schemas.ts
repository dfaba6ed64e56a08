/**
 * Schemas shared by several admin routes. They are the source of both request
 * validation and the OpenAPI document.
 */
import { z } from 'zod';

/** `{ ok: true }`. */
export const okSchema = z.object({ ok: z.literal(true) });

/** The JSON error body of every failed admin request. */
export const errorSchema = z.object({
  error: z.object({
    type: z.string(),
    message: z.string(),
    problems: z.array(z.string()).optional(),
  }),
});

/** An ISO 8601 timestamp with offset. */
export const isoDate = z.iso.datetime({ offset: true });

/** An id chosen by the operator: letters, digits, dot, dash, underscore. */
export const recordId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore; at most 64');

/** Where a record came from. */
export const sourceSchema = z.enum(['config', 'admin', 'cli']);

/** A JSON object of any shape. */
export const jsonObject = z.record(z.string(), z.unknown());

/** A JSON Schema document (as produced by `z.toJSONSchema`). */
export const jsonSchemaObject = z.record(z.string(), z.unknown()).describe('A JSON Schema (draft 2020-12)');
