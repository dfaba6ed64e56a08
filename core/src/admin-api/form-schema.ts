/**
 * The JSON Schema the web admin builds a form from, for account credentials, settings
 * and an auth flow's input.
 */
import { z } from 'zod';

/** JSON Schema of a zod object for a form (input side: defaults are optional). */
export function formSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json['$schema'];
  return json;
}
