/** Building the XML body of `POST /jobs` from validated parameters. */
import { validateJobRequest, type JobRequestParams, type ValidateOptions } from './validate';
import type { JobTag } from './types';
import { buildXml } from './xml';

/**
 * Validates `params` for the job type `tag` and returns the `<Request>` XML body.
 * Throws a CiValidationError naming each bad field, its value and what is allowed,
 * before anything is sent.
 */
export function buildJobRequest(tag: JobTag, params: JobRequestParams | Record<string, unknown>, options?: ValidateOptions): string {
  return buildXml('Request', validateJobRequest(tag, params, options));
}
