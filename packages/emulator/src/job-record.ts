/**
 * A job as the emulator keeps it on disk: one JSON document per job, `{ format, job }`, with
 * every field of the in-memory Job (job.ts). Reading checks every field, so a file that is
 * not a job the emulator wrote is refused with a message naming what is wrong.
 */
import { isJobId, isJobTag } from '@node-red-tencent-ci/core';
import type { Job, State } from './job';

const FORMAT = 'tencent-ci-emulator job 1';
const STATES: readonly State[] = ['Submitted', 'Running', 'Success', 'Failed', 'Cancel'];

export function jobRecord(job: Job): string {
  return `${JSON.stringify({ format: FORMAT, job }, null, 2)}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

type Check = [field: string, ok: (v: unknown) => boolean, what: string];

const optional =
  (ok: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === undefined || ok(v);
const string = (v: unknown) => typeof v === 'string';

const CHECKS: readonly Check[] = [
  ['JobId', isJobId, 'a JobId'],
  ['Tag', isJobTag, 'a job Tag the emulator runs'],
  ['State', (v) => STATES.includes(v as State), `one of ${STATES.join(', ')}`],
  ['Code', string, 'a string'],
  ['Message', string, 'a string'],
  ['Progress', optional(isTime), 'a number'],
  ['QueueId', string, 'a string'],
  ['QueueType', optional(string), 'a string'],
  ['bucket', string, 'a string'],
  ['region', string, 'a string'],
  ['request', (v) => isObject(v) && isObject(v.Input), 'a request with an Input'],
  ['params', isObject, 'an object'],
  ['TemplateName', optional(string), 'a string'],
  ['result', isObject, 'an object'],
  ['level', Number.isInteger, 'an integer'],
  ['seq', (v) => Number.isInteger(v) && (v as number) > 0, 'a positive integer'],
  ['createdMs', isTime, 'a time in ms'],
  ['notBeforeMs', optional(isTime), 'a time in ms'],
  ['startedMs', optional(isTime), 'a time in ms'],
  ['endedMs', optional(isTime), 'a time in ms'],
  ['callback', optional((v) => isObject(v) && (v.type === 'Url' || v.type === 'TDMQ') && (v.format === 'XML' || v.format === 'JSON')), 'a callback target'],
  ['callbackSettled', optional((v) => typeof v === 'boolean'), 'true or false'],
];

/** The job in a record; throws an Error saying what is wrong (not JSON, another format, a bad field, another JobId than `jobId`). */
export function parseJobRecord(text: string, jobId: string): Job {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message}); a write was cut short, or the file was changed by hand`, { cause: err });
  }
  if (!isObject(doc) || doc.format !== FORMAT) throw new Error(`not a job record (its "format" is not ${JSON.stringify(FORMAT)})`);
  const job = doc.job;
  if (!isObject(job)) throw new Error('its "job" is not an object');
  for (const [field, ok, what] of CHECKS) {
    if (!ok(job[field])) throw new Error(`its job's ${field} is not ${what}: ${JSON.stringify(job[field]) ?? 'missing'}`);
  }
  if (job.JobId !== jobId) throw new Error(`it holds job ${String(job.JobId)}, not ${jobId}`);
  return job as unknown as Job;
}
