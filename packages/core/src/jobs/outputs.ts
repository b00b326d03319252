/**
 * What a finished job wrote to a bucket, read from its JobsDetail by its descriptor's
 * `outputs` (docs/api/results.md#outputs): Snapshot's frames and sprite sheets, the frames
 * VideoTargetRec saved. Nothing here is job-specific: a job type declares its outputs in its
 * descriptor and this reads them.
 */
import { objectKeyOfUrl } from '../object-url';
import type { JobsDetail } from '../types';
import { isObject } from '../values';
import type { OutputSpec } from './descriptor';
import { getDescriptor, isJobTag } from './index';
import { getPath } from './paths';

/** An object in a bucket. */
export interface JobObjectOutput {
  /** The descriptor's kind: `snapshot`, `sprite`, `frame`. */
  kind: string;
  bucket: string;
  region: string;
  key: string;
  /** The URL the result gave for it, when it named the object by URL. */
  url?: string;
}

/** An object the result names only by a URL that is not on the COS host of the job's bucket. */
export interface JobUrlOutput {
  kind: string;
  url: string;
  bucket?: undefined;
  region?: undefined;
  key?: undefined;
}

export type JobOutput = JobObjectOutput | JobUrlOutput;

export interface JobOutputsOptions {
  /** The bucket to assume when neither the result nor the job's input names one (e.g. a config node's). */
  bucket?: string;
  /** The region to assume likewise. */
  region?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A value that is an array in normalised results, and may be a single item in a raw body. */
const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/**
 * Every object the job wrote, in the order of its descriptor's `outputs` and then of the
 * result, each once. Reads any state's JobsDetail (only a finished job has results); a Tag
 * without outputs, or an unknown one, gives none.
 */
export function jobOutputs(detail: JobsDetail, options: JobOutputsOptions = {}): JobOutput[] {
  if (!isObject(detail) || !isJobTag(detail.Tag)) return [];
  const specs: readonly OutputSpec[] = getDescriptor(detail.Tag).outputs ?? [];
  const operation = detail.Operation;
  if (specs.length === 0 || !isObject(operation)) return [];
  const input = isObject(detail.Input) ? detail.Input : {};
  const job = { bucket: text(input.BucketId) ?? text(input.Bucket) ?? text(options.bucket), region: text(input.Region) ?? text(options.region) };
  const output = { bucket: text(getPath(operation, 'Output.Bucket')) ?? job.bucket, region: text(getPath(operation, 'Output.Region')) ?? job.region };

  const out: JobOutput[] = [];
  const seen = new Set<string>();
  const add = (entry: JobOutput) => {
    const id = entry.key !== undefined ? `${entry.bucket}\n${entry.key}` : `\n\n${entry.url}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(entry);
  };

  for (const spec of specs) {
    const found = getPath(operation, spec.path);
    if (spec.from === 'fileList') {
      if (!isObject(found)) continue;
      const bucket = text(found.Bucket) ?? output.bucket;
      const region = text(found.Region) ?? output.region;
      if (!bucket || !region) continue;
      const prefix = text(found.ObjectPrefix) ?? '';
      for (const name of items(found.ObjectName)) {
        if (typeof name === 'string' && name !== '') add({ kind: spec.kind, bucket, region, key: prefix + name });
      }
    } else {
      for (const item of items(found)) {
        const url = isObject(item) ? text(item[spec.field]) : undefined;
        if (!url) continue;
        const key = job.bucket && job.region ? objectKeyOfUrl(url, job.bucket, job.region) : undefined;
        add(key !== undefined ? { kind: spec.kind, bucket: job.bucket!, region: job.region!, key, url } : { kind: spec.kind, url });
      }
    }
  }
  return out;
}
