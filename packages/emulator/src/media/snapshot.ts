/**
 * Snapshot jobs: capture shots (and sprite sheets) with ffmpeg in a temporary directory, hand
 * each file to `writeObject`, and return `Operation.MediaResult` in the documented shape.
 * How parameters become frames: snapshot-plan.ts; sheets: sprite.ts; keys: output-keys.ts.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { SnapshotOutputFile } from '@node-red-tencent-ci/core';

import { MediaErrorCodes, MediaJobError } from './errors';
import { imageInfo } from './image-size';
import { ffprobeJson } from './media-info';
import { DEFAULT_SNAPSHOT_PATTERN, DEFAULT_SPRITE_PATTERN, outputKeys } from './output-keys';
import { captureArgs, parseShowinfoTimes, planSnapshot, type SnapshotPlan } from './snapshot-plan';
import { image2Path, spriteArgs, spriteCount, spriteLayout } from './sprite';
import { requireTool, runTool, toolFailure, type MediaTools } from './tools';

export interface SnapshotJob {
  /** Local path of the input video. */
  inputFile: string;
  /** `Operation.Snapshot` as validated (scalars are strings). */
  params: Record<string, unknown>;
  /** `Output.Object`, e.g. `output/snap-${number}.jpg` (default `snapshot/${jobid}/${number}.${ext}`). */
  objectPattern?: string;
  /** `Output.SpriteObject` (default `snapshot/${jobid}/sprite-${number}.jpg`). */
  spritePattern?: string;
  jobId: string;
  /** Stores one output object in the output bucket. */
  writeObject(key: string, data: Buffer): Promise<void>;
  /** Cancels the ffmpeg runs. */
  signal?: AbortSignal;
  /** Limit per ffmpeg run (default 120 s). */
  timeoutMs?: number;
}

export interface SnapshotResult {
  OutputFile: SnapshotOutputFile;
}

type OutMode = 'OnlySnapshot' | 'OnlySprite' | 'SnapshotAndSprite';

function outMode(params: Record<string, unknown>): OutMode {
  const v = params.SnapshotOutMode;
  return v === 'OnlySprite' || v === 'SnapshotAndSprite' ? v : 'OnlySnapshot';
}

async function numberedFiles(dir: string, prefix: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((f) => f.startsWith(prefix)).sort();
  return names.map((f) => join(dir, f));
}

/** Runs the capture; returns the shot files and their capture times (seconds). */
async function capture(ffmpeg: string, plan: SnapshotPlan, job: SnapshotJob, dir: string, tools: MediaTools): Promise<{ files: string[]; times: number[] }> {
  const pattern = join(image2Path(dir), `shot-%05d.${plan.ext}`);
  const run = async (withBlackCheck: boolean) => {
    let stderr: string;
    try {
      ({ stderr } = await runTool(ffmpeg, captureArgs(plan, job.inputFile, pattern, withBlackCheck), { signal: job.signal, timeoutMs: job.timeoutMs }));
    } catch (err) {
      throw toolFailure(err, 'ffmpeg could not capture frames', tools, 'ffmpeg');
    }
    const files = await numberedFiles(dir, 'shot-');
    return { files, times: parseShowinfoTimes(stderr).slice(0, files.length) };
  };
  let shots = await run(true);
  // A video that is black throughout: capture as if IsCheckBlack were off.
  if (shots.files.length === 0 && plan.blackCheck) shots = await run(false);
  if (shots.files.length === 0) {
    throw new MediaJobError(
      MediaErrorCodes.InvalidArgument,
      `No frame could be captured (Mode ${plan.mode}, Start ${plan.start} s, video ${plan.duration.toFixed(3)} s)`,
    );
  }
  return shots;
}

async function buildSprites(
  ffmpeg: string,
  job: SnapshotJob,
  dir: string,
  shots: { files: string[] },
  ext: string,
  tools: MediaTools,
): Promise<{ sprites: string[]; perSheet: number }> {
  const first = imageInfo(await readFile(shots.files[0]));
  if (!first) throw new MediaJobError(MediaErrorCodes.InternalError, 'ffmpeg wrote a shot that is not a readable image');
  const config = (job.params.SpriteSnapshotConfig ?? {}) as Record<string, unknown>;
  const layout = spriteLayout(config, first);
  try {
    await runTool(ffmpeg, spriteArgs(layout, join(image2Path(dir), `shot-%05d.${ext}`), join(image2Path(dir), 'sprite-%05d.jpg')), {
      signal: job.signal,
      timeoutMs: job.timeoutMs,
    });
  } catch (err) {
    throw toolFailure(err, 'ffmpeg could not build the sprite sheets', tools, 'ffmpeg');
  }
  const sprites = await numberedFiles(dir, 'sprite-');
  if (sprites.length !== spriteCount(shots.files.length, layout)) {
    throw new MediaJobError(MediaErrorCodes.InternalError, `ffmpeg wrote ${sprites.length} sprite sheets, expected ${spriteCount(shots.files.length, layout)}`);
  }
  return { sprites, perSheet: layout.columns * layout.lines };
}

/** Captures the shots/sprites of a Snapshot job and stores them with `job.writeObject`. */
export async function runSnapshot(tools: MediaTools, job: SnapshotJob): Promise<SnapshotResult> {
  const ffmpeg = requireTool(tools, 'ffmpeg');
  const probe = await ffprobeJson(tools, job.inputFile, { signal: job.signal, timeoutMs: job.timeoutMs });
  const plan = planSnapshot(job.params, probe);
  const mode = outMode(job.params);
  const objectPattern = job.objectPattern || DEFAULT_SNAPSHOT_PATTERN;

  const dir = await mkdtemp(join(tmpdir(), 'ci-emulator-snapshot-'));
  try {
    const shots = await capture(ffmpeg, plan, job, dir, tools);
    const shotKeys = outputKeys(
      objectPattern,
      shots.files.map((_, i) => ({ time: shots.times[i] ?? 0, jobId: job.jobId, ext: plan.ext })),
    );
    const OutputFile: SnapshotOutputFile = { ObjectPrefix: shotKeys.ObjectPrefix, ObjectName: [] };

    if (mode !== 'OnlySprite') {
      for (const [i, file] of shots.files.entries()) await job.writeObject(shotKeys.keys[i], await readFile(file));
      OutputFile.ObjectName = shotKeys.ObjectName;
    }
    if (mode !== 'OnlySnapshot') {
      const { sprites, perSheet } = await buildSprites(ffmpeg, job, dir, shots, plan.ext, tools);
      // ${time} of a sheet = capture time of its first shot.
      const spriteKeys = outputKeys(
        job.spritePattern || DEFAULT_SPRITE_PATTERN,
        sprites.map((_, i) => ({ time: shots.times[i * perSheet] ?? 0, jobId: job.jobId, ext: 'jpg' })),
      );
      for (const [i, file] of sprites.entries()) await job.writeObject(spriteKeys.keys[i], await readFile(file));
      OutputFile.SpriteOutputFile = { ObjectPrefix: spriteKeys.ObjectPrefix, ObjectName: spriteKeys.ObjectName };
    }
    return { OutputFile };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
