/**
 * A record a store cannot keep as it is (not JSON-serialisable, an unparseable time):
 * writing it again would fail again, so the usage pipeline drops such a record (logged,
 * counted) and stores the rest of its batch. Any other write error is a failure of the
 * store or a bug, and the records are kept for a retry.
 */

/** Thrown by a store that refuses a record for what the record holds. */
export class RecordRefusedError extends Error {
  override readonly name = 'RecordRefusedError';
}
