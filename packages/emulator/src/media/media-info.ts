/**
 * MediaInfo: ffprobe's format and stream information mapped onto the documented
 * `Operation.MediaInfo` structure (docs/api/job-types.md#mediainfo). Every value is a string.
 *
 * Units follow the samples: times in seconds with 6 decimals (`13.654000`), bitrates in kbps
 * with 6 decimals (`834.736000`), Fps/AvgFps as decimals with 6 decimals (`25.000000`), Level
 * as ffprobe gives it. Values ffprobe does not report are left out (never empty strings);
 * Rotation is `0` when the stream has no rotation, Language `und` when untagged.
 */
import type { MediaInfoAudioStream, MediaInfoResult, MediaInfoStream, MediaInfoVideoStream } from '@node-red-tencent-ci/core';

import { MediaErrorCodes, MediaJobError } from './errors';
import { requireTool, runTool, toolFailure, ToolError, type MediaTools, type RunToolOptions } from './tools';

/** The parts of `ffprobe -print_format json -show_format -show_streams` we read. */
export interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  codec_long_name?: string;
  codec_time_base?: string;
  codec_tag_string?: string;
  codec_tag?: string;
  profile?: string;
  width?: number;
  height?: number;
  has_b_frames?: number;
  refs?: number;
  sample_aspect_ratio?: string;
  display_aspect_ratio?: string;
  pix_fmt?: string;
  field_order?: string;
  level?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  time_base?: string;
  start_time?: string;
  duration?: string;
  bit_rate?: string;
  nb_frames?: string;
  color_range?: string;
  color_transfer?: string;
  color_primaries?: string;
  sample_fmt?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
  disposition?: Record<string, number>;
}

export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: {
    nb_streams?: number;
    nb_programs?: number;
    format_name?: string;
    format_long_name?: string;
    start_time?: string;
    duration?: string;
    size?: string;
    bit_rate?: string;
  };
}

/** Formats ffmpeg recognises but that are not media (text shown as ANSI art, etc.). */
const NOT_MEDIA_FORMATS = new Set(['tty', 'srt', 'ass', 'webvtt', 'subviewer', 'microdvd', 'lrc']);

/** ffmpeg/ffprobe input argument: the `file:` protocol so a path is never read as a URL or an option. */
export function inputArg(file: string): string {
  return `file:${file}`;
}

/** Runs ffprobe on `file`; ResourceNotSupported when it cannot read the file as media. */
export async function ffprobeJson(tools: MediaTools, file: string, opts: RunToolOptions = {}): Promise<FfprobeOutput> {
  const ffprobe = requireTool(tools, 'ffprobe');
  let stdout: string;
  try {
    ({ stdout } = await runTool(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', inputArg(file)], opts));
  } catch (err) {
    if (err instanceof ToolError && !err.code && !err.timedOut) {
      throw new MediaJobError(MediaErrorCodes.ResourceNotSupported, `The input is not a media file ffprobe can read: ${err.message}`);
    }
    throw toolFailure(err, 'ffprobe failed', tools, 'ffprobe');
  }
  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(stdout) as FfprobeOutput;
  } catch {
    throw new MediaJobError(MediaErrorCodes.ResourceNotSupported, 'The input is not a media file: ffprobe gave no readable description');
  }
  const streams = (parsed.streams ?? []).filter((s) => s.codec_type === 'video' || s.codec_type === 'audio' || s.codec_type === 'subtitle');
  const formatName = parsed.format?.format_name ?? '';
  if (!parsed.format || streams.length === 0 || formatName.split(',').some((f) => NOT_MEDIA_FORMATS.has(f))) {
    throw new MediaJobError(
      MediaErrorCodes.ResourceNotSupported,
      `The input is not a media file (format ${formatName || 'unknown'}, ${streams.length} media streams)`,
    );
  }
  return parsed;
}

/** Real video streams (cover art / attached pictures are not video). */
export function videoStreams(probe: FfprobeOutput): FfprobeStream[] {
  return (probe.streams ?? []).filter((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
}

export function audioStreams(probe: FfprobeOutput): FfprobeStream[] {
  return (probe.streams ?? []).filter((s) => s.codec_type === 'audio');
}

function finite(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || value === 'N/A') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** `25/1` → 25; `0/0` → undefined. */
export function rate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const [num, den] = value.split('/').map(Number);
  if (den === undefined) return finite(num);
  return Number.isFinite(num) && Number.isFinite(den) && den > 0 && num > 0 ? num / den : undefined;
}

/** Media duration in seconds: the first video stream's, else the container's. */
export function mediaDuration(probe: FfprobeOutput): number | undefined {
  const video = videoStreams(probe)[0];
  return finite(video?.duration) ?? finite(probe.format?.duration);
}

const fixed6 = (n: number | undefined) => (n === undefined ? undefined : n.toFixed(6));
const seconds = (v: unknown) => fixed6(finite(v));
const kbps = (v: unknown) => {
  const n = finite(v);
  return n === undefined ? undefined : (n / 1000).toFixed(6);
};
const int = (v: unknown) => {
  const n = finite(v);
  return n === undefined ? undefined : String(Math.trunc(n));
};
const text = (v: unknown) => (typeof v === 'string' && v !== '' && v !== 'N/A' ? v : undefined);
const language = (s: FfprobeStream) => text(s.tags?.language) ?? 'und';

/** Clockwise rotation in degrees (0, 90, 180, 270), from the display matrix or the legacy `rotate` tag. */
function rotation(s: FfprobeStream): string {
  const matrix = s.side_data_list?.find((d) => typeof d.rotation === 'number');
  let degrees = 0;
  if (matrix?.rotation !== undefined)
    degrees = -matrix.rotation; // display matrix: counter-clockwise
  else if (finite(s.tags?.rotate) !== undefined) degrees = Number(s.tags?.rotate);
  return String(((Math.round(degrees) % 360) + 360) % 360);
}

/** Drops undefined values so no key is present without a value. */
function compact<T extends object>(obj: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The mapper of a video or audio stream's MediaInfo: the fields both kinds share
 * (docs/api/job-types.md#mediainfo) and those `own` reads for the kind, without undefined values.
 */
function streamInfo<T extends MediaInfoStream>(own: (s: FfprobeStream) => Omit<T, keyof MediaInfoStream>): (s: FfprobeStream) => T {
  return (s) => {
    const shared: { [K in keyof MediaInfoStream]: MediaInfoStream[K] | undefined } = {
      Index: int(s.index),
      CodecName: text(s.codec_name),
      CodecLongName: text(s.codec_long_name),
      CodecTimeBase: text(s.codec_time_base) === '0/1' ? undefined : text(s.codec_time_base),
      CodecTagString: text(s.codec_tag_string),
      CodecTag: text(s.codec_tag),
      Timebase: text(s.time_base),
      StartTime: seconds(s.start_time),
      Duration: seconds(s.duration),
      Bitrate: kbps(s.bit_rate),
      Language: language(s),
      CreationTime: text(s.tags?.creation_time),
    };
    return compact<T>({ ...shared, ...own(s) } as T);
  };
}

const mapVideo = streamInfo<MediaInfoVideoStream>((s) => ({
  Profile: text(s.profile),
  Height: int(s.height),
  Width: int(s.width),
  HasBFrame: int(s.has_b_frames),
  RefFrames: int(s.refs),
  Sar: text(s.sample_aspect_ratio),
  Dar: text(s.display_aspect_ratio),
  PixFormat: text(s.pix_fmt),
  FieldOrder: text(s.field_order),
  Level: s.level === -99 ? undefined : int(s.level), // -99 = ffprobe's "unknown"
  Fps: fixed6(rate(s.r_frame_rate)),
  AvgFps: fixed6(rate(s.avg_frame_rate)),
  NumFrames: int(s.nb_frames),
  Rotation: rotation(s),
  ColorRange: text(s.color_range),
  ColorTransfer: text(s.color_transfer),
  ColorPrimaries: text(s.color_primaries),
}));

const mapAudio = streamInfo<MediaInfoAudioStream>((s) => ({
  SampleFmt: text(s.sample_fmt),
  SampleRate: int(s.sample_rate),
  Channel: int(s.channels),
  ChannelLayout: text(s.channel_layout),
}));

/** Maps ffprobe's JSON onto `Operation.MediaInfo`. */
export function mapMediaInfo(probe: FfprobeOutput): MediaInfoResult {
  const f = probe.format ?? {};
  const streams = probe.streams ?? [];
  return {
    Format: compact<NonNullable<MediaInfoResult['Format']>>({
      NumStream: int(f.nb_streams),
      NumProgram: int(f.nb_programs),
      FormatName: text(f.format_name),
      FormatLongName: text(f.format_long_name),
      StartTime: seconds(f.start_time),
      Duration: seconds(f.duration),
      Bitrate: kbps(f.bit_rate),
      Size: int(f.size),
    }),
    Stream: {
      Video: videoStreams(probe).map(mapVideo),
      Audio: audioStreams(probe).map(mapAudio),
      Subtitle: streams.filter((s) => s.codec_type === 'subtitle').map((s) => ({ Index: String(s.index ?? 0), Language: language(s) })),
    },
  };
}

/** Probes `file` and returns its MediaInfo; ResourceNotSupported when it is not media. */
export async function probeMediaInfo(tools: MediaTools, file: string, opts: RunToolOptions = {}): Promise<MediaInfoResult> {
  return mapMediaInfo(await ffprobeJson(tools, file, opts));
}
