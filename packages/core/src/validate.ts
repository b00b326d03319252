/**
 * Validation and normalisation of job parameters against a descriptor. The result is
 * the request exactly as it will be sent: fields in documented order, every scalar a
 * string (`true`/`false` for booleans), empty values left out.
 *
 * Each job type's descriptor is compiled into a validator on first use (compile-validator.ts),
 * once per unknown-fields mode, and reused for every later request.
 */
import { compileRequestValidator, type RequestValidator, type UnknownFields } from './compile-validator';
import { getDescriptor } from './jobs';
import type { JobTag } from './types';

export { describeAllowed, type AllowedLang, type DescribeAllowedOptions } from './describe-allowed';
export { requestSpec } from './compile-validator';

/** What a caller passes for one job: the `Request` minus its `Tag`. */
export interface JobRequestParams {
  Input: { Object?: string; Url?: string; [key: string]: unknown };
  Operation?: Record<string, unknown>;
  QueueId?: string;
  CallBackFormat?: 'XML' | 'JSON';
  CallBackType?: 'Url' | 'TDMQ';
  CallBack?: string;
  CallBackMqConfig?: { MqMode?: 'Queue' | 'Topic'; MqRegion?: string; MqName?: string };
  [key: string]: unknown;
}

/** The request after validation: `Tag` first, strings only. */
export type JobRequest = { Tag: JobTag } & Record<string, unknown>;

export interface ValidateOptions {
  /** `error` (default) rejects fields the descriptor does not know; `ignore` drops them (the emulator, like the service, ignores them). */
  unknownFields?: 'error' | 'ignore';
}

/** Compiled validators by job type, one map per unknown-fields mode. */
const validators: Readonly<Record<UnknownFields, Map<JobTag, RequestValidator<JobTag>>>> = { error: new Map(), ignore: new Map() };

/** The compiled validator of `tag` in `mode`, compiled on first use; a TypeError for an unknown tag. */
function validatorFor(tag: JobTag, mode: UnknownFields): RequestValidator<JobTag> {
  const cache = validators[mode];
  let validator = cache.get(tag);
  if (validator === undefined) {
    validator = compileRequestValidator(getDescriptor(tag), mode);
    cache.set(tag, validator);
  }
  return validator;
}

/**
 * Checks `params` against the job type's descriptor and returns the request to send.
 * Throws a CiValidationError listing every problem (field path, value, what is allowed).
 */
export function validateJobRequest(tag: JobTag, params: unknown, options: ValidateOptions = {}): JobRequest {
  // Any mode but `error` drops unknown fields.
  return validatorFor(tag, (options.unknownFields ?? 'error') === 'error' ? 'error' : 'ignore')(params);
}
