/**
 * @node-red-tencent-ci/core — Tencent Cloud Infinite (CI) media jobs without Node-RED:
 * request signing, one descriptor per job type, the XML/JSON codec, CiClient and JobWatcher.
 */
export { sign, parseAuthorization, signatureFor, uriEncode, canonicalPairs, parseKeyTime } from './sign';
export type { SignOptions, ParsedAuthorization } from './sign';
export { CiError, CiValidationError, CiOutcomeUnknownError, ErrorCodes, formatIssue, describeValue } from './errors';
export type { CiErrorInit, ValidationIssue } from './errors';
export { buildJobRequest } from './build';
export { validateJobRequest, describeAllowed, requestSpec } from './validate';
export type { JobRequestParams, JobRequest, ValidateOptions, AllowedLang, DescribeAllowedOptions } from './validate';
export { parseResponse, parseCallback, parseErrorBody, errorFromFields, isRetryable, DEFAULT_MAX_CALLBACK_JOBS } from './parse';
export { DEFAULT_MAX_DEPTH } from './depth';
export type { ParseOptions } from './parse';
export { parseXml, buildXml, DEFAULT_MAX_BODY_BYTES } from './xml';
export { normaliseTree } from './normalise';
export { seededRandom } from './random';
export {
  JOB_DESCRIPTORS,
  JOB_TAGS,
  RESPONSE_ARRAY_PATHS,
  getDescriptor,
  isJobTag,
  kebabTag,
  nodeTypeOf,
  packageOf,
  defineJob,
  MediaInfoJob,
  SnapshotJob,
  QualityEstimateJob,
  VideoTagJob,
  VideoTargetRecJob,
} from './jobs';
export type { FieldKind, FieldSpec, FieldRule, FieldCondition, JobDescriptor, Emulation, OperationOf, OutputSpec, InstantSpec } from './jobs';
export { BUCKET_PATTERN, REGION_PATTERN, PRINTABLE_ASCII, requestFields, requestRules } from './jobs/common';
export { getPath } from './jobs/paths';
export { CiClient } from './client';
export { listObjectsQuery, parseListObjects, MAX_LIST_KEYS } from './list-objects';
export { imageInfo, isJpeg, isPng } from './image-size';
export type { ImageInfo } from './image-size';
export { instantSpec, instantQuery, parseInstantMediaInfo, INSTANT_TAGS } from './instant';
export type { InstantTag, InstantSnapshot, InstantMediaInfo } from './instant';
export type { ListObjectsOptions, ListObjectsResult, ListedObject } from './list-objects';
export {
  describeBucketsQuery,
  describeQueuesQuery,
  describeTemplatesQuery,
  parseDescribeBuckets,
  parseDescribeQueues,
  parseDescribeTemplates,
  MAX_DESCRIBE_PAGE_SIZE,
  MAX_QUEUE_IDS,
  QUEUE_STATES,
  QUEUE_CATEGORIES,
  TEMPLATE_CATEGORIES,
  TEMPLATE_TAGS,
} from './describe-service';
export type {
  DescribeBucketsOptions,
  DescribeBucketsResult,
  DescribeQueuesOptions,
  DescribeAiQueuesOptions,
  DescribeQueuesResult,
  DescribeTemplatesOptions,
  DescribeTemplatesResult,
  ProcessBucket,
  ProcessQueue,
  QueueNotifyConfig,
  CiTemplate,
  QueueState,
  QueueCategory,
  TemplateCategory,
  TemplateTag,
  ListOption,
} from './describe-service';
export { isObject, isJobId, JOB_ID_PATTERN, numberSetting, wholeNumberSetting } from './values';
export { readBody } from './read-body';
export type { BodyResult, BodyStream } from './read-body';
export type { CiClientOptions, SubmitResult, DescribeResult, ListQuery, ListResult, GetObjectOptions, ObjectBody, SignedUrlOptions } from './client';
export { objectUrl, objectKeyOfUrl, cosOrigin, encodeObjectKey, DEFAULT_URL_EXPIRES_IN } from './object-url';
export type { ObjectUrlOptions } from './object-url';
export { jobOutputs } from './jobs/outputs';
export type { JobOutput, JobObjectOutput, JobUrlOutput, JobOutputsOptions } from './jobs/outputs';
export type { RetryOptions } from './retry';
export { JobWatcher } from './watcher';
export type { JobDescriber, DescriberAnswer, JobWatcherOptions, WaitOptions, WatchOptions, WatchOutcome } from './watcher';
export { TERMINAL_STATES, MAX_DESCRIBE_BATCH, isTerminalState } from './types';
export type { JobTag, JobState, JobsDetail, JobInput, JobOperation, CiResponse, CiCallback, CosHeader, WorkflowInfo } from './types';
export type { MediaInfoResult, MediaInfoStream, MediaInfoVideoStream, MediaInfoAudioStream, MediaInfoOperation } from './jobs/media-info';
export type { SnapshotOutputFile, SnapshotOperation } from './jobs/snapshot';
export type { QualityEstimateResult, QualityEstimateOperation, QualityFindingType } from './jobs/quality-estimate';
export type { VideoTagResult, VideoTagOperation, VideoTagTag, VideoTagDetection, VideoTagBBox } from './jobs/video-tag';
export type { VideoTargetRecResult, VideoTargetRecOperation, TargetRecognition, TargetInfo } from './jobs/video-target-rec';
