/** Fields and result paths shared by every job type (docs/api/requests.md#submit, docs/api/callbacks.md#tdmq, docs/api/results.md#array-paths). */
import type { FieldRule, FieldSpec } from './descriptor';

/** Bucket name with APPID, e.g. `examplebucket-1250000000`. */
export const BUCKET_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-\d+$/;
export const BUCKET_DOC = 'BucketName-APPID, e.g. examplebucket-1250000000';
/** Region id, e.g. `ap-guangzhou`, `ap-shanghai-fsi`, `na-siliconvalley`. */
export const REGION_PATTERN = /^[a-z]+(?:-[a-z0-9]+)+$/;
export const REGION_DOC = 'a region id such as ap-guangzhou';
/** Printable ASCII: space to tilde. */
export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export const userData: FieldSpec = {
  kind: 'string',
  doc: 'Passed through to the result and the callback unchanged.',
  maxLength: 1024,
  pattern: PRINTABLE_ASCII,
  patternDoc: 'printable ASCII (space to ~)',
};

export const jobLevel: FieldSpec = {
  kind: 'integer',
  doc: 'Priority in the queue: higher runs first.',
  min: 0,
  max: 2,
  default: '0',
};

export const templateId: FieldSpec = {
  kind: 'string',
  doc: 'A template created in the CI console; it takes priority over the inline parameters.',
  pattern: /^\S+$/,
  patternDoc: 'a template id without spaces, e.g. t1460606b9752148c4ab182f55163ba7cd',
};

export const inputObject: FieldSpec = {
  kind: 'string',
  doc: 'Key of the input object in the bound bucket, e.g. input/demo.mp4.',
  required: true,
};

export const output: FieldSpec = {
  kind: 'container',
  doc: 'Where result files are written.',
  fields: {
    Region: {
      kind: 'string',
      doc: "Region of the output bucket (a job node left blank uses its config node's).",
      required: true,
      fromConfig: 'region',
      pattern: REGION_PATTERN,
      patternDoc: REGION_DOC,
    },
    Bucket: {
      kind: 'string',
      doc: "Output bucket (a job node left blank uses its config node's).",
      required: true,
      fromConfig: 'bucket',
      pattern: BUCKET_PATTERN,
      patternDoc: BUCKET_DOC,
    },
    Object: { kind: 'string', doc: 'Key of the result file; wildcards ${number}, ${time}, ${jobid}, ${ext}.' },
  },
};

/** Request-level fields every job accepts besides Tag, Input and Operation. */
export const requestFields: Readonly<Record<string, FieldSpec>> = {
  QueueId: { kind: 'string', doc: 'The queue to run in; the default queue when left out.', pattern: /^\S+$/, patternDoc: 'a queue id without spaces' },
  CallBackFormat: { kind: 'enum', doc: 'Body format of the callback.', values: ['XML', 'JSON'], default: 'XML' },
  CallBackType: { kind: 'enum', doc: 'Url: HTTP POST; TDMQ: a message queue.', values: ['Url', 'TDMQ'], default: 'Url' },
  CallBack: {
    kind: 'string',
    doc: "CI posts the result here when the job ends (e.g. a job callback node's URL), instead of to the queue's callback; \"no\" turns off the queue's callback.",
    pattern: /^(?:no|https?:\/\/[^\s/?#]+[^\s]*)$/,
    patternDoc: 'an http:// or https:// URL, or "no"',
  },
  CallBackMqConfig: {
    kind: 'container',
    doc: 'TDMQ settings, required when CallBackType is TDMQ.',
    fields: {
      MqMode: { kind: 'enum', doc: 'Queue service or topic subscription.', values: ['Queue', 'Topic'], required: true },
      MqRegion: { kind: 'enum', doc: 'Region of the TDMQ instance.', values: ['sh', 'bj', 'gz', 'cd', 'hk'], required: true },
      MqName: { kind: 'string', doc: 'Name of the TDMQ queue or topic.', required: true },
    },
  },
};

/**
 * Rules between the request-level fields, checked for every job after its own rules (core
 * validation) and shown by the editors: TDMQ callbacks need their queue settings
 * (docs/api/requests.md#submit, docs/api/callbacks.md#tdmq).
 */
export const requestRules: readonly FieldRule[] = [
  {
    kind: 'requiredWhen',
    path: 'CallBackMqConfig',
    when: { path: 'CallBackType', in: ['TDMQ'] },
    doc: 'CallBackType TDMQ needs CallBackMqConfig.',
  },
];

/** Result paths that are arrays in every job's JobsDetail (relative to JobsDetail). */
export const jobsDetailArrayPaths: readonly string[] = [
  'Input.CosHeaders',
  'Workflow',
  'Operation.WatermarkTemplateId',
  'Operation.Watermark',
  'Operation.Output.StreamExtract',
];

/** MediaInfo appears in MediaInfo, QualityEstimate and Snapshot results. */
export const mediaInfoArrayPaths: readonly string[] = ['MediaInfo.Stream.Video', 'MediaInfo.Stream.Audio', 'MediaInfo.Stream.Subtitle'];

/** MediaResult appears in Snapshot and QualityEstimate results (and transcodes). */
export const mediaResultArrayPaths: readonly string[] = [
  'MediaResult.OutputFile.ObjectName',
  'MediaResult.OutputFile.Md5Info',
  'MediaResult.OutputFile.SpriteOutputFile.ObjectName',
  'MediaResult.OutputFile.SpriteOutputFile.Md5Info',
];
