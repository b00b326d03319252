/** The emulator's record of one job, and its JobsDetail as the service reports it (docs/api/results.md#jobsdetail). */
import type { JobRequest, JobTag } from '@node-red-tencent-ci/core';
import { formatCiTime } from './time';

export type State = 'Submitted' | 'Running' | 'Success' | 'Failed' | 'Cancel';

export interface CallbackTarget {
  url?: string;
  format: 'XML' | 'JSON';
  type: 'Url' | 'TDMQ';
  mq?: { MqMode?: string; MqRegion?: string; MqName?: string };
}

export interface Job {
  JobId: string;
  Tag: JobTag;
  State: State;
  Code: string;
  Message: string;
  Progress?: number;
  QueueId: string;
  QueueType?: string;
  bucket: string;
  region: string;
  /** The validated request (strings only). */
  request: JobRequest;
  /** Parameters resolved from the request or its template (Operation.Snapshot, …). */
  params: Record<string, unknown>;
  TemplateName?: string;
  /** Result elements merged into Operation when the job ends (MediaInfo, MediaResult, …). */
  result: Record<string, unknown>;
  level: number;
  seq: number;
  createdMs: number;
  /** The queue starts it no earlier than this (a script's QueuedSeconds: a busy queue). */
  notBeforeMs?: number;
  startedMs?: number;
  endedMs?: number;
  callback?: CallbackTarget;
  /** The callback was delivered, or given up after its retries: a restart does not send it again. */
  callbackSettled?: boolean;
}

/** The JobsDetail element, fields in the order the service's examples use. */
export function jobsDetail(job: Job, options: { echoInput?: boolean } = {}): Record<string, unknown> {
  const op = (job.request.Operation ?? {}) as Record<string, unknown>;
  const operation: Record<string, unknown> = {};
  if (op.TemplateId !== undefined) operation.TemplateId = op.TemplateId;
  if (job.TemplateName !== undefined) operation.TemplateName = job.TemplateName;
  for (const [key, value] of Object.entries(op)) {
    if (key !== 'TemplateId' && key !== 'UserData' && key !== 'JobLevel') operation[key] = value;
  }
  if (op.UserData !== undefined) operation.UserData = op.UserData;
  operation.JobLevel = op.JobLevel ?? '0';
  Object.assign(operation, job.result);

  const detail: Record<string, unknown> = {
    Code: job.Code,
    Message: job.Message,
    JobId: job.JobId,
    State: job.State,
  };
  if (job.Progress !== undefined) detail.Progress = String(job.Progress);
  detail.CreationTime = formatCiTime(job.createdMs);
  detail.StartTime = job.startedMs === undefined ? '-' : formatCiTime(job.startedMs);
  detail.EndTime = job.endedMs === undefined ? '-' : formatCiTime(job.endedMs);
  detail.QueueId = job.QueueId;
  if (job.QueueType) detail.QueueType = job.QueueType;
  detail.Tag = job.Tag;
  if (options.echoInput !== false) {
    const input = job.request.Input as Record<string, unknown>;
    detail.Input = input.Object !== undefined ? { BucketId: job.bucket, Object: input.Object, Region: job.region } : { Url: input.Url };
  }
  detail.Operation = operation;
  return detail;
}
