/** The registry of job descriptors and what is derived from all of them together. */
import type { JobTag } from '../types';
import type { JobDescriptor } from './descriptor';
import { jobsDetailArrayPaths, mediaInfoArrayPaths } from './common';
import { MediaInfoJob } from './media-info';
import { QualityEstimateJob } from './quality-estimate';
import { SnapshotJob } from './snapshot';
import { VideoTagJob } from './video-tag';
import { VideoTargetRecJob } from './video-target-rec';

export const JOB_DESCRIPTORS: Readonly<Record<JobTag, JobDescriptor>> = {
  MediaInfo: MediaInfoJob,
  Snapshot: SnapshotJob,
  QualityEstimate: QualityEstimateJob,
  VideoTag: VideoTagJob,
  VideoTargetRec: VideoTargetRecJob,
};

export const JOB_TAGS = Object.keys(JOB_DESCRIPTORS) as JobTag[];

export function isJobTag(tag: unknown): tag is JobTag {
  return typeof tag === 'string' && Object.prototype.hasOwnProperty.call(JOB_DESCRIPTORS, tag);
}

export function getDescriptor(tag: JobTag): JobDescriptor {
  if (!isJobTag(tag)) throw new TypeError(`Unknown job Tag ${JSON.stringify(tag)}; known: ${JOB_TAGS.join(', ')}`);
  return JOB_DESCRIPTORS[tag];
}

/**
 * Every path (relative to the body root, i.e. under `Response`) that is an array in
 * submit, query, list and callback bodies: ci-api.md §9, from all descriptors at once,
 * since a body is parsed before its Tag is known.
 */
export const RESPONSE_ARRAY_PATHS: ReadonlySet<string> = new Set([
  'JobsDetail',
  'NonExistJobIds',
  ...jobsDetailArrayPaths.map((p) => `JobsDetail.${p}`),
  ...JOB_TAGS.flatMap((tag) => JOB_DESCRIPTORS[tag].resultArrayPaths.map((p) => `JobsDetail.Operation.${p}`)),
  // The synchronous media-info answer (`GET /<key>?ci-process=videoinfo`) has MediaInfo at the root.
  ...mediaInfoArrayPaths,
  'WorkflowExecution.Tasks',
  'WorkflowExecution.Tasks.ResultInfo.ObjectInfo',
  'WorkflowExecution.Tasks.ResultInfo.SpriteObjectInfo',
]);

export type { FieldKind, FieldSpec, FieldRule, FieldCondition, JobDescriptor } from './descriptor';
export { MediaInfoJob, QualityEstimateJob, SnapshotJob, VideoTagJob, VideoTargetRecJob };
