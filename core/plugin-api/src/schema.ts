import { z } from 'zod';

export { z };

/** Metadata key under which a schema field is marked secret. */
export const SECRET_META = 'x-switchyard-secret';

/**
 * Marks a credential field as secret: it is encrypted at rest, write-only in the admin
 * API (never returned), rendered as a masked input in admin forms, and redacted from
 * logs and errors.
 *
 * @example
 * credentials: z.object({ baseUrl: z.string().url().optional(), apiKey: secret(z.string().min(1)) })
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ [SECRET_META]: true }) as T;
}

/** True when a schema field was marked with {@link secret}. */
export function isSecretSchema(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  while (current) {
    const meta = current.meta();
    if (meta && meta[SECRET_META] === true) return true;
    const wrapper: { _zod?: { def?: { innerType?: z.ZodType } } } = current as never;
    current = wrapper._zod?.def?.innerType;
  }
  return false;
}

/** Names of the secret fields of an object schema (top level). */
export function secretFields(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecretSchema(field as z.ZodType))
    .map(([name]) => name);
}
