/**
 * Stable ids of imported records, derived from the reference's ids, so a second import
 * finds what the first created.
 */

/** `crs_<id>` with characters outside `[A-Za-z0-9._-]` replaced, at most 64 characters. */
export function crsTargetId(sourceId: string): string {
  return `crs_${sourceId.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 64);
}
