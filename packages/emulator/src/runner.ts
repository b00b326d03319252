/**
 * Runs one job to its end, as its descriptor's `emulation` says: for real with ffprobe/ffmpeg
 * on the input object (a named runner), or from a script (docs/emulator.md).
 * A job never throws: whatever goes wrong becomes State Failed with a documented Code.
 */
import { getDescriptor } from '@node-red-tencent-ci/core';
import type { Buckets } from './buckets';
import type { Job } from './job';
import { MediaJobError } from './media/errors';
import { ffprobeJson, mapMediaInfo, probeMediaInfo } from './media/media-info';
import { estimateQuality } from './media/quality';
import { runSnapshot } from './media/snapshot';
import type { MediaTools } from './media/tools';
import type { Scenario } from './scenario';
import { scriptedOutcome } from './scripted';

export interface RunContext {
  buckets: Buckets;
  tools: MediaTools;
  scenario: Scenario;
}

export interface Outcome {
  state: 'Success' | 'Failed';
  code: string;
  message: string;
  result: Record<string, unknown>;
}

const ok = (result: Record<string, unknown>, message = ''): Outcome => ({ state: 'Success', code: 'Success', message, result });

async function inputFile(job: Job, ctx: RunContext): Promise<string> {
  const key = (job.request.Input as { Object?: string }).Object;
  if (key === undefined) throw new MediaJobError('ResourceNotSupported', 'The emulator can only process input objects, not Input.Url.');
  if (!(await ctx.buckets.exists(job.bucket, key))) throw new MediaJobError('ResourceNotFound', `The input object ${key} does not exist.`);
  return ctx.buckets.file(job.bucket, key);
}

type Runner = (job: Job, ctx: RunContext) => Promise<Outcome>;

/** The real runners, by the name a descriptor's `emulation.runner` gives (docs/emulator.md). */
export const RUNNERS: Readonly<Record<string, Runner>> = {
  'media-info': async (job, ctx) => ok({ MediaInfo: await probeMediaInfo(ctx.tools, await inputFile(job, ctx)) }),
  'quality-estimate': async (job, ctx) => {
    const file = await inputFile(job, ctx);
    const config = (job.params.QualityEstimateConfig ?? {}) as { Mode?: 'general' | 'vqaPlus'; Rotate?: string };
    const probe = await ffprobeJson(ctx.tools, file);
    const quality = await estimateQuality(ctx.tools, file, config, { probe });
    return ok({ QualityEstimate: quality, MediaInfo: mapMediaInfo(probe), MediaResult: { OutputFile: '' } });
  },
  snapshot: async (job, ctx) => {
    const file = await inputFile(job, ctx);
    const output = (job.request.Operation as Record<string, Record<string, string>>).Output!;
    await ctx.buckets.ensureBucket(output.Bucket!);
    const { OutputFile } = await runSnapshot(ctx.tools, {
      inputFile: file,
      params: (job.params.Snapshot ?? {}) as Record<string, unknown>,
      objectPattern: output.Object,
      spritePattern: output.SpriteObject,
      jobId: job.JobId,
      writeObject: async (key: string, data: Buffer) => {
        await ctx.buckets.put(output.Bucket!, key, data);
      },
    });
    const withLocation = (f: Record<string, unknown> | undefined) => (f ? { Bucket: output.Bucket, Region: output.Region, ...f } : undefined);
    const out: Record<string, unknown> = withLocation(OutputFile as Record<string, unknown>)!;
    if (out.SpriteOutputFile) out.SpriteOutputFile = withLocation(out.SpriteOutputFile as Record<string, unknown>);
    return ok({ MediaResult: { OutputFile: out } });
  },
};

/** A scripted job's result: from the script beside its input object, or the scenario's script for its Url. */
async function scripted(job: Job, ctx: RunContext): Promise<Outcome> {
  const { Object: key, Url: url } = job.request.Input as { Object?: string; Url?: string };
  if (key === undefined) {
    // No download here: an Input.Url job needs a script in the scenario, keyed by its URL.
    if (url === undefined || !ctx.scenario.results || !Object.prototype.hasOwnProperty.call(ctx.scenario.results, url)) {
      throw new MediaJobError(
        'ResourceNotSupported',
        'The emulator cannot download Input.Url; script a result for this URL in the scenario file\'s "results", or use an input object.',
      );
    }
    return scriptedOutcome(job.Tag, url, undefined, ctx.scenario);
  }
  if (!(await ctx.buckets.exists(job.bucket, key))) throw new MediaJobError('ResourceNotFound', `The input object ${key} does not exist.`);
  return scriptedOutcome(job.Tag, key, ctx.buckets.file(job.bucket, `${key}.ci-result.json`), ctx.scenario);
}

async function execute(job: Job, ctx: RunContext): Promise<Outcome> {
  const { emulation } = getDescriptor(job.Tag);
  if ('scripted' in emulation) return scripted(job, ctx);
  const runner = RUNNERS[emulation.runner];
  if (!runner)
    return { state: 'Failed', code: 'InternalError', message: `The emulator has no runner named ${emulation.runner} for ${job.Tag} jobs.`, result: {} };
  return runner(job, ctx);
}

export async function runJob(job: Job, ctx: RunContext): Promise<Outcome> {
  try {
    return await execute(job, ctx);
  } catch (err) {
    if (err instanceof MediaJobError) return { state: 'Failed', code: err.code, message: err.message, result: {} };
    return { state: 'Failed', code: 'InternalError', message: `Emulator error: ${(err as Error).message}`, result: {} };
  }
}
