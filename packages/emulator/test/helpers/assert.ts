import assert from 'node:assert/strict';
import type COS from 'cos-nodejs-sdk-v5';
import { CiError } from '@node-red-tencent-ci/core';
import { errorOf, type RawResponse } from './emulator';

/**
 * The CiError a promise rejects with (fails when it resolves or rejects with something else).
 * Core's tests have their own (core/test/helpers/assert.ts): that one checks against core's
 * src CiError, while these tests get CiError from the built package, so neither can use the other.
 */
export async function rejection(promise: Promise<unknown>): Promise<CiError> {
  let caught: CiError | undefined;
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof CiError, `expected a CiError, got ${String(error)}`);
    caught = error;
    return true;
  });
  return caught as CiError;
}

/** Asserts an `<Error>` answer with this status and Code; returns its Message. */
export function assertApiError(res: RawResponse, status: number, code: string): string {
  const err = errorOf(res);
  assert.ok(err, `expected an <Error> body, got HTTP ${res.status}: ${res.body}`);
  assert.deepEqual({ status: res.status, code: err.Code }, { status, code }, `body: ${res.body}`);
  assert.equal(res.headers['content-type'], 'application/xml');
  return err.Message ?? '';
}

/** The error an official-SDK call rejects with (fails when it resolves). */
export async function sdkFailure(promise: Promise<unknown>): Promise<COS.CosSdkError> {
  try {
    await promise;
  } catch (err) {
    return err as COS.CosSdkError;
  }
  assert.fail('expected the SDK call to fail');
}
