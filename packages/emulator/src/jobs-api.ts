/** The job API: POST /jobs, GET /jobs/<ids>, GET /jobs, PUT /jobs/<id>?cancel (docs/api/requests.md). */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  CiError,
  CiValidationError,
  JOB_TAGS,
  MAX_DESCRIBE_BATCH,
  getDescriptor,
  isJobId,
  isJobTag,
  parseXml,
  validateJobRequest,
  type JobRequest,
  type JobTag,
} from '@node-red-tencent-ci/core';
import { Errors } from './api-error';
import { xmlResponse } from './bodies';
import { newJobId, queueIdFor } from './ids';
import { jobsDetail, type CallbackTarget, type Job } from './job';
import { commitJob } from './job-store';
import type { EmulatorState } from './state';
import { isScripted, scriptedQueueSeconds } from './scripted';
import { parseCiTime } from './time';

export interface ApiResult {
  status: number;
  body: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function validate(tag: JobTag, request: Record<string, unknown>): JobRequest {
  try {
    return validateJobRequest(tag, request, { unknownFields: 'ignore' });
  } catch (err) {
    if (err instanceof CiValidationError) throw Errors.invalidArgument(err.message);
    throw err;
  }
}

function callbackTarget(state: EmulatorState, request: JobRequest): CallbackTarget | undefined {
  const url = request.CallBack as string | undefined;
  if (url === 'no') return undefined;
  const type = (request.CallBackType as 'Url' | 'TDMQ' | undefined) ?? 'Url';
  const target: CallbackTarget = {
    url: url ?? state.defaultCallbackUrl,
    format: (request.CallBackFormat as 'XML' | 'JSON' | undefined) ?? 'XML',
    type,
    mq: request.CallBackMqConfig as CallbackTarget['mq'],
  };
  return type === 'TDMQ' || target.url ? target : undefined;
}

export async function submitJob(state: EmulatorState, headers: IncomingHttpHeaders, body: Buffer, bucket: string): Promise<ApiResult> {
  if (header(headers, 'content-length') === undefined) throw Errors.missingContentLength();
  if (body.length === 0) throw Errors.missingContent();
  const md5 = header(headers, 'content-md5');
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw Errors.invalidContent('The body does not match its Content-MD5.');
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(body, 1024 * 1024);
  } catch (err) {
    throw Errors.invalidContent(err instanceof CiError ? err.message : 'The body is not XML.');
  }
  const request = doc.Request;
  if (Object.keys(doc).length !== 1 || request === null || typeof request !== 'object') {
    throw Errors.invalidContent('The body must be one <Request> element.');
  }
  const tag = (request as Record<string, unknown>).Tag;
  if (!isJobTag(tag)) throw Errors.invalidArgument(`Tag ${JSON.stringify(tag ?? '')} is not supported; the emulator runs ${JOB_TAGS.join(', ')}.`);
  const descriptor = getDescriptor(tag);
  const validated = validate(tag, request as Record<string, unknown>);
  const operation = (validated.Operation ?? {}) as Record<string, unknown>;

  // TemplateId wins over inline parameters (docs/api/job-types.md, Snapshot and VideoTargetRec); templates come from the scenario file.
  const params: Record<string, unknown> = { ...operation };
  let templateName: string | undefined;
  if (typeof operation.TemplateId === 'string') {
    const template = state.scenario.templates?.[operation.TemplateId];
    if (!template || template.Tag !== tag) throw Errors.invalidArgument(`The ${tag} template ${operation.TemplateId} does not exist.`);
    templateName = template.Name ?? operation.TemplateId;
    const key = descriptor.template?.params;
    if (key) {
      const checked = validate(tag, { Input: validated.Input, Operation: { ...operation, TemplateId: undefined, [key]: template[key] } });
      params[key] = (checked.Operation as Record<string, unknown>)[key];
    }
  }

  const input = validated.Input as { Object?: string; Url?: string };
  if (input.Object !== undefined && !(await state.buckets.exists(bucket, input.Object))) throw Errors.resourceNotFound(input.Object);
  const output = operation.Output as { Bucket?: string } | undefined;
  if (output?.Bucket && output.Bucket !== bucket && !(await state.buckets.hasBucket(output.Bucket))) {
    throw Errors.invalidArgument(`The output bucket ${output.Bucket} does not exist (create the folder ${output.Bucket} under the emulator root).`);
  }

  const ai = descriptor.queueType === 'AIProcess';
  const job: Job = {
    JobId: newJobId(ai ? 'a' : 'j'),
    Tag: tag,
    State: 'Submitted',
    Code: 'Success',
    Message: '',
    QueueId: typeof validated.QueueId === 'string' ? validated.QueueId : queueIdFor(bucket, ai ? 'ai' : 'media'),
    QueueType: ai ? 'AIProcess' : undefined,
    bucket,
    region: state.region,
    request: validated,
    params,
    TemplateName: templateName,
    result: {},
    level: Number(operation.JobLevel ?? 0),
    seq: (state.seq += 1),
    createdMs: state.now(),
    callback: callbackTarget(state, validated),
  };
  if (isScripted(tag)) {
    const key = input.Object ?? input.Url;
    const scriptFile = input.Object !== undefined ? state.buckets.file(bucket, `${input.Object}.ci-result.json`) : undefined;
    try {
      const seconds = await scriptedQueueSeconds(key, scriptFile, state.scenario);
      if (seconds > 0) job.notBeforeMs = job.createdMs + seconds * 1000;
    } catch (err) {
      state.log(`ignored: ${(err as Error).message}`);
    }
  }
  // The answer shows the job as submitted, before the queue may start it.
  const answer = xmlResponse({ JobsDetail: jobsDetail(job, { echoInput: !descriptor.submitOmitsInput }) });
  // Write-through: the job is on disk before the client gets its JobId (job-store.ts).
  await state.store?.save(job).catch((err: Error) => {
    throw new Error(`Could not store job ${job.JobId}, so it was not submitted: ${err.message}`, { cause: err });
  });
  state.jobs.set(job.JobId, job);
  state.queue.enqueue(job);
  state.log(`submit ${job.Tag} ${job.JobId} (${input.Object ?? input.Url})`);
  return { status: 200, body: answer };
}

export function describeJobs(state: EmulatorState, idList: string): ApiResult {
  const ids = idList.split(',').filter((s) => s !== '');
  if (ids.length === 0 || ids.length > MAX_DESCRIBE_BATCH || ids.some((id) => !isJobId(id))) {
    throw Errors.invalidArgument(`Give 1 to ${MAX_DESCRIBE_BATCH} job ids separated by commas.`);
  }
  const found: Record<string, unknown>[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const job = state.jobs.get(id);
    if (job) found.push(jobsDetail(job));
    else missing.push(id);
  }
  const content: Record<string, unknown> = { JobsDetail: found };
  if (missing.length > 0) content.NonExistJobIds = missing;
  return { status: 200, body: xmlResponse(content) };
}

const STATES = new Set(['All', 'Submitted', 'Running', 'Success', 'Failed', 'Pause', 'Cancel']);

export function listJobs(state: EmulatorState, query: Map<string, string>): ApiResult {
  const tag = query.get('tag');
  if (!tag) throw Errors.invalidArgument('The tag parameter is required.');
  const size = query.has('size') ? Number(query.get('size')) : 10;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw Errors.invalidArgument('size must be an integer from 1 to 100.');
  const order = query.get('orderByTime') ?? 'Desc';
  if (order !== 'Desc' && order !== 'Asc') throw Errors.invalidArgument('orderByTime must be Desc or Asc.');
  const states = (query.get('states') ?? 'All').split(',').filter(Boolean);
  const bad = states.find((s) => !STATES.has(s));
  if (bad) throw Errors.invalidArgument(`states has an unknown state ${bad}.`);
  const times: Record<string, number> = {};
  for (const key of ['startCreationTime', 'endCreationTime']) {
    const v = query.get(key);
    if (v === undefined) continue;
    const t = parseCiTime(v);
    if (Number.isNaN(t)) throw Errors.invalidArgument(`${key} must look like 2022-06-27T00:00:00+0800.`);
    times[key] = t;
  }
  let offset = 0;
  const token = query.get('nextToken');
  if (token) {
    const text = Buffer.from(token, 'base64url').toString('utf8');
    if (!/^\d{1,9}$/.test(text)) throw Errors.invalidArgument('nextToken is not valid.');
    offset = Number(text);
  }
  const queueId = query.get('queueId');
  const inputObject = query.get('inputObject');
  const workflowId = query.get('workflowId');
  const jobs = [...state.jobs.values()].filter(
    (job) =>
      job.Tag === tag &&
      (states.includes('All') || states.includes(job.State)) &&
      (queueId === undefined || job.QueueId === queueId) &&
      (inputObject === undefined || (job.request.Input as { Object?: string }).Object === inputObject) &&
      workflowId === undefined && // the emulator runs no workflows
      (times.startCreationTime === undefined || job.createdMs >= times.startCreationTime) &&
      (times.endCreationTime === undefined || job.createdMs <= times.endCreationTime),
  );
  jobs.sort((a, b) => (order === 'Asc' ? a.seq - b.seq : b.seq - a.seq));
  const page = jobs.slice(offset, offset + size);
  const content: Record<string, unknown> = { JobsDetail: page.map((j) => jobsDetail(j)) };
  if (offset + size < jobs.length) content.NextToken = Buffer.from(String(offset + size)).toString('base64url');
  return { status: 200, body: xmlResponse(content) };
}

export async function cancelJob(state: EmulatorState, jobId: string, finish: (job: Job) => void): Promise<ApiResult> {
  const job = state.jobs.get(jobId);
  if (!job) throw Errors.invalidArgument(`The job ${jobId} does not exist.`);
  if (job.State !== 'Submitted' || !state.queue.remove(jobId)) {
    throw Errors.invalidArgument('The job provided can not be modified: only jobs that have not started can be cancelled.');
  }
  // On disk before the answer, so that a restart cannot run a job its client saw cancelled.
  try {
    await commitJob(state.store, job, { State: 'Cancel', endedMs: state.now() });
  } catch (err) {
    state.queue.enqueue(job);
    throw new Error(`Could not store the cancel of job ${job.JobId}, so it stays Submitted: ${(err as Error).message}`, { cause: err });
  }
  state.log(`cancel ${job.JobId}`);
  finish(job);
  return { status: 200, body: '' };
}
