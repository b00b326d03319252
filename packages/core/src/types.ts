/**
 * Structures of the CI job API, named as the service names them (docs/api/results.md, docs/api/job-types.md).
 * Values are kept as the API sends them: scalars are strings, `-` times stay `-`.
 * Elements the service sends empty are omitted (as its own JSON callbacks do), and the
 * elements listed in docs/api/results.md#array-paths are always arrays.
 */

import type { JobTag } from './jobs';

export type { JobTag };

export type JobState = 'Submitted' | 'Running' | 'Success' | 'Failed' | 'Pause' | 'Cancel';

/** States after which a job never changes again. */
export const TERMINAL_STATES: readonly JobState[] = ['Success', 'Failed', 'Cancel'];

/**
 * Most job ids in one `GET /jobs/<id1>,<id2>,…` request. Tencent documents no limit; 100 is
 * the largest page the list API returns (`size` at most 100).
 */
export const MAX_DESCRIBE_BATCH = 100;

export function isTerminalState(state: unknown): state is 'Success' | 'Failed' | 'Cancel' {
  return state === 'Success' || state === 'Failed' || state === 'Cancel';
}

export interface CosHeader {
  Key?: string;
  Value?: string;
}

export interface JobInput {
  BucketId?: string;
  Bucket?: string;
  Object?: string;
  Url?: string;
  Region?: string;
  CosHeaders?: CosHeader[];
}

export interface WorkflowInfo {
  Name?: string;
  RunId?: string;
  WorkflowId?: string;
  WorkflowName?: string;
}

/** The job as the service reports it (submit, query, list and callback bodies). */
export interface JobsDetail<Operation = JobOperation> {
  Code?: string;
  Message?: string;
  JobId: string;
  Tag: JobTag | string;
  SubTag?: string;
  State: JobState | string;
  Progress?: string;
  CreationTime?: string;
  StartTime?: string;
  EndTime?: string;
  QueueId?: string;
  QueueType?: string;
  Input?: JobInput;
  Operation?: Operation;
  Workflow?: WorkflowInfo[];
  [key: string]: unknown;
}

/** The Operation echo: the request's fields plus the job's results. */
export interface JobOperation {
  TemplateId?: string;
  TemplateName?: string;
  UserData?: string;
  JobLevel?: string;
  [key: string]: unknown;
}

/** `parseResponse` result for submit, query and list bodies. */
export interface CiResponse {
  JobsDetail: JobsDetail[];
  /** Ids asked for that the service does not know (query only). */
  NonExistJobIds?: string[];
  /** Paging token of a list response. */
  NextToken?: string;
  /** `TaskFinish` in callback bodies. */
  EventName?: string;
  [key: string]: unknown;
}

/** `parseCallback` result: always carries an EventName (`TaskFinish` for jobs). */
export interface CiCallback extends CiResponse {
  EventName: string;
}
