/**
 * Which jobs a message asks to wait for. A value may hold a JobId, a JobsDetail (the output
 * of a job node), a `{ JobsDetail: [...] }` response, or a list of any of these.
 */
import type { JobsDetail } from '@node-red-tencent-ci/core';
import { isObject, JOB_ID_PATTERN } from '@node-red-tencent-ci/core';

export interface JobRef {
  jobId: string;
  /** The JobsDetail the id came from, when it came from one. */
  detail?: JobsDetail;
}

export type JobRefs =
  | { kind: 'jobs'; jobs: JobRef[] }
  | { kind: 'empty' }
  /** `value`: the part that is not a JobId (for the error message). */
  | { kind: 'invalid'; value: unknown };

function collect(value: unknown, out: JobRef[]): { invalid: unknown } | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const id = value.trim();
    if (!id) return undefined;
    if (!JOB_ID_PATTERN.test(id)) return { invalid: value };
    out.push({ jobId: id });
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const bad = collect(item, out);
      if (bad) return bad;
    }
    return undefined;
  }
  if (isObject(value)) {
    if ('JobsDetail' in value) return collect(value.JobsDetail, out);
    if (typeof value.JobId === 'string' && JOB_ID_PATTERN.test(value.JobId.trim())) {
      out.push({ jobId: value.JobId.trim(), detail: value as unknown as JobsDetail });
      return undefined;
    }
    return { invalid: 'JobId' in value ? value.JobId : value };
  }
  return { invalid: value };
}

/**
 * The jobs a value names, each once, in order: a JobId string, a JobsDetail (`{ JobId }`),
 * `{ JobsDetail: detail | detail[] }`, or an array of these.
 */
export function jobRefs(value: unknown): JobRefs {
  const found: JobRef[] = [];
  const bad = collect(value, found);
  if (bad) return { kind: 'invalid', value: bad.invalid };
  const seen = new Set<string>();
  const jobs = found.filter((ref) => (seen.has(ref.jobId) ? false : (seen.add(ref.jobId), true)));
  return jobs.length > 0 ? { kind: 'jobs', jobs } : { kind: 'empty' };
}

/**
 * The jobs of a message: the configured property first; when that is empty,
 * `msg.jobId`, then `msg.payload.JobId` / `msg.payload.JobsDetail`.
 */
export function jobRefsOf(configured: unknown, msg: Record<string, unknown>): JobRefs {
  const first = jobRefs(configured);
  if (first.kind !== 'empty') return first;
  const fromJobId = jobRefs(msg.jobId);
  if (fromJobId.kind !== 'empty') return fromJobId;
  const payload = msg.payload;
  if (isObject(payload) && ('JobId' in payload || 'JobsDetail' in payload)) return jobRefs(payload);
  return { kind: 'empty' };
}
