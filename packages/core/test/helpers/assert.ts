import assert from 'node:assert/strict';
import { CiError } from '../../src/errors';

/** The CiError a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<CiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CiError, `expected a CiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the promise to reject');
}
