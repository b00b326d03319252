import assert from 'node:assert/strict';
import { CiError } from '@node-red-tencent-ci/core';
import { errorOf, type RawResponse } from './emulator';

/** The CiError a promise rejects with (fails when it resolves or rejects with something else). */
export async function rejection(promise: Promise<unknown>): Promise<CiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CiError, `expected a CiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the promise to reject');
}

/** Asserts an `<Error>` answer with this status and Code; returns its Message. */
export function assertApiError(res: RawResponse, status: number, code: string): string {
  const err = errorOf(res);
  assert.ok(err, `expected an <Error> body, got HTTP ${res.status}: ${res.body}`);
  assert.deepEqual({ status: res.status, code: err.Code }, { status, code }, `body: ${res.body}`);
  assert.equal(res.headers['content-type'], 'application/xml');
  return err.Message ?? '';
}
