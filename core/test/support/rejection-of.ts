/**
 * The error `promise` rejects with, checked to be an instance of `type`; a promise that
 * fulfils fails the test.
 */
import { expect } from 'chai';

/** Awaits `promise` and returns its rejection, which must be a `type`. */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}`);
}
