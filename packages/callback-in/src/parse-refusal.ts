/** Why parseCallback refused a body, as the node reports it (the parser throws only CiErrors). */
import { ErrorCodes } from '@node-red-tencent-ci/core';

export type ParseRefusal = 'tooLarge' | 'tooDeep' | 'tooManyJobs' | 'malformed';

export function parseRefusal(err: unknown): ParseRefusal {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === ErrorCodes.BodyTooLarge) return 'tooLarge';
  if (code === ErrorCodes.BodyTooDeep) return 'tooDeep';
  if (code === ErrorCodes.TooManyJobs) return 'tooManyJobs';
  return 'malformed';
}
