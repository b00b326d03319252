/**
 * The registry of job descriptors and what is derived from all of them together. A new job
 * type is one descriptor file and one line in JOBS (docs/adding-a-job-type.md).
 */
import type { JobDescriptor } from './descriptor';
import { jobsDetailArrayPaths, mediaInfoArrayPaths } from './common';
import { MediaInfoJob } from './media-info';
import { QualityEstimateJob } from './quality-estimate';
import { SnapshotJob } from './snapshot';
import { VideoTagJob } from './video-tag';
import { VideoTargetRecJob } from './video-target-rec';

/** Every job type, in the order the palette, docs and tests list them. */
const JOBS = [MediaInfoJob, SnapshotJob, QualityEstimateJob, VideoTagJob, VideoTargetRecJob] as const;

type AnyJob = (typeof JOBS)[number];
/** The Tag of every job type the project supports. */
export type JobTag = AnyJob['tag'];
/** The TypeScript type of `JobsDetail.Operation` in a `tag` job's results. */
export type OperationOf<T extends JobTag> = NonNullable<Extract<AnyJob, { tag: T }>['operationType']>;

export const JOB_DESCRIPTORS = Object.freeze(Object.fromEntries(JOBS.map((d) => [d.tag, d]))) as Readonly<Record<JobTag, JobDescriptor<JobTag>>>;

export const JOB_TAGS: readonly JobTag[] = JOBS.map((d) => d.tag);

/** `media-info` for MediaInfo, `video-target-rec` for VideoTargetRec: the job's package folder and node type suffix. */
export function kebabTag(tag: string): string {
  return tag.replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase();
}

/** The Node-RED node type of a job type: `tencent-ci-snapshot`. */
export function nodeTypeOf(tag: string): string {
  return `tencent-ci-${kebabTag(tag)}`;
}

/** The npm package of a job type's node: `@node-red-tencent-ci/snapshot`. */
export function packageOf(tag: string): string {
  return `@node-red-tencent-ci/${kebabTag(tag)}`;
}

export function isJobTag(tag: unknown): tag is JobTag {
  return typeof tag === 'string' && Object.prototype.hasOwnProperty.call(JOB_DESCRIPTORS, tag);
}

export function getDescriptor(tag: JobTag): JobDescriptor<JobTag> {
  if (!isJobTag(tag)) throw new TypeError(`Unknown job Tag ${JSON.stringify(tag)}; known: ${JOB_TAGS.join(', ')}`);
  return JOB_DESCRIPTORS[tag];
}

/**
 * Every path (relative to the body root, i.e. under `Response`) that is an array in
 * submit, query, list and callback bodies (docs/api/results.md), from all descriptors at once,
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

export type { FieldKind, FieldSpec, FieldRule, FieldCondition, JobDescriptor, Emulation, OutputSpec, InstantSpec } from './descriptor';
export { defineJob } from './descriptor';
export { MediaInfoJob, QualityEstimateJob, SnapshotJob, VideoTagJob, VideoTargetRecJob };
