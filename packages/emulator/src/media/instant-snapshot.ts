/**
 * GetSnapshot's frame (https://cloud.tencent.com/document/product/436/55671): one ffmpeg run
 * that seeks to `time` and writes one JPEG or PNG, read back from a temporary directory.
 *
 * - exactframe: `-ss` before `-i` with ffmpeg's default accurate seek: decoding starts at the
 *   key frame before `time` and frames before `time` are dropped, so the shot is the first
 *   frame at or after `time` (as the Snapshot job picks "the first frame at or after Start").
 * - keyframe: the same seek with `-noaccurate_seek`: the first frame out is the key frame the
 *   demuxer seeked to, the last one at or before `time`.
 * - rotate auto: ffmpeg's default autorotate (display matrix / `rotate` tag); off: `-noautorotate`.
 *   Width and height apply to the turned frame.
 * - width/height: both 0 keeps the video's size; one 0 is `-1` for ffmpeg's scale (keeps the
 *   aspect ratio); both given scale to exactly that size.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MediaErrorCodes, MediaJobError } from './errors';
import { checkSnapshotTime, type InstantSnapshotParams } from './instant';
import { ffprobeJson, inputArg, mediaDuration, rate, videoStreams } from './media-info';
import { QUIET_FFMPEG, requireTool, runTool, toolFailure, type MediaTools, type RunToolOptions } from './tools';

export interface InstantFrame {
  data: Buffer;
  contentType: 'image/jpeg' | 'image/png';
}

/** ffmpeg's arguments for one frame of stream `streamIndex` at `seek` seconds, written to `outFile`. */
export function frameArgs(params: InstantSnapshotParams, inputFile: string, streamIndex: number, seek: number, outFile: string): string[] {
  const scale = params.width || params.height ? ['-vf', `scale=${params.width || -1}:${params.height || -1}`] : [];
  return [
    ...QUIET_FFMPEG,
    ...(params.mode === 'keyframe' ? ['-noaccurate_seek'] : []),
    ...(params.rotate === 'off' ? ['-noautorotate'] : []),
    '-ss',
    String(Number(seek.toFixed(6))),
    '-i',
    inputArg(inputFile),
    '-map',
    `0:${streamIndex}`,
    '-an',
    '-sn',
    '-dn',
    ...scale,
    // passthrough: write the first decoded frame as it is (the default for image2 may drop a
    // frame whose timestamp is before the seek point, as a key frame's is); works on 4.x to 7.x
    '-vsync',
    'passthrough',
    '-frames:v',
    '1',
    ...(params.format === 'jpg' ? ['-q:v', '2'] : []),
    '-f',
    'image2',
    '-update',
    '1',
    '-y',
    outFile,
  ];
}

/**
 * The frame of `file` GetSnapshot answers with. ResourceNotSupported when the file is not
 * media or has no video stream (as the Snapshot job); InvalidArgument (an ApiError) when
 * `time` is past the end, checked before ffmpeg runs.
 */
export async function grabFrame(tools: MediaTools, file: string, params: InstantSnapshotParams, opts: RunToolOptions = {}): Promise<InstantFrame> {
  const probe = await ffprobeJson(tools, file, opts);
  const video = videoStreams(probe)[0];
  if (!video) throw new MediaJobError(MediaErrorCodes.ResourceNotSupported, 'The input has no video stream to capture a frame from');
  const duration = mediaDuration(probe);
  if (duration === undefined) throw new MediaJobError(MediaErrorCodes.ResourceNotSupported, 'The duration of the input video is unknown');
  checkSnapshotTime(params, duration);
  const ffmpeg = requireTool(tools, 'ffmpeg');
  // The last frame starts one frame before the end: a time after it (but within the duration)
  // shows that frame, so seek no further than its start.
  const fps = rate(video.avg_frame_rate) ?? rate(video.r_frame_rate) ?? 25;
  const seek = Math.min(params.time, Math.max(0, duration - 1 / fps));

  const dir = await mkdtemp(join(tmpdir(), 'ci-emulator-instant-'));
  try {
    const out = join(dir, `frame.${params.format}`);
    try {
      await runTool(ffmpeg, frameArgs(params, file, video.index ?? 0, seek, out), opts);
    } catch (err) {
      throw toolFailure(err, 'ffmpeg could not capture the frame', tools, 'ffmpeg');
    }
    let data: Buffer;
    try {
      data = await readFile(out);
    } catch {
      throw new MediaJobError(MediaErrorCodes.InvalidArgument, `No frame could be captured at time ${params.time} (video ${duration.toFixed(3)} s)`);
    }
    return { data, contentType: params.format === 'png' ? 'image/png' : 'image/jpeg' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
