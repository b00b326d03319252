/**
 * Turns `Operation.Snapshot` (validated: every scalar a string) into an ffmpeg frame-capture
 * command. One ffmpeg run decodes the video once and writes every shot:
 *
 *   [blackframe + metadata]  skip leading black frames (IsCheckBlack, Start 0)
 *   select                   pick the frames (mode below); frames keep their timestamps
 *   showinfo                 logs each picked frame's time (for `${time}`)
 *   scale                    Width / Height
 *
 * Modes (docs/api/job-types.md#snapshot):
 * - Interval: the first frame at or after Start, then the first frame of each following
 *   TimeInterval slot, up to Count shots. Count without TimeInterval = Count consecutive frames;
 *   TimeInterval without Count = until the end; neither = one shot at Start.
 * - Average: Count shots spread evenly from the first captured frame to the end (slot length
 *   (duration - first) / Count). Count defaults to 1.
 * - KeyFrame: key frames only (`-skip_frame nokey`) from Start, up to Count if given.
 * - IsCheckCount 'true': when Interval cannot reach Count before the last frame
 *   (Start + (Count-1)·TimeInterval > last frame time), Average is used with the same Count.
 * - IsCheckBlack 'true' with Start 0: capture begins at the first frame that is not black; the
 *   timing grid then starts at that frame (otherwise at Start). Only leading black frames are skipped. A frame is
 *   black when at least BlackLevel % of its pixels have luma below PixelBlackThreshold (ffmpeg
 *   `blackframe` semantics). The Tencent docs give ranges ([30,100], [0,255]) but no defaults;
 *   we use ffmpeg's blackframe defaults: BlackLevel 98, PixelBlackThreshold 32. A video that is
 *   black throughout is captured as if IsCheckBlack were off.
 * - CIParam `imageMogr2/…/format/png` (or jpg/jpeg) picks the shot format; other CIParam is ignored.
 */
import type { FfprobeOutput } from './media-info';
import { inputArg, mediaDuration, rate, videoStreams } from './media-info';
import { MediaErrorCodes, MediaJobError } from './errors';

type SnapshotMode = 'Interval' | 'Average' | 'KeyFrame';

export interface SnapshotPlan {
  /** The mode used (Average when IsCheckCount made Interval fall back). */
  mode: SnapshotMode;
  start: number;
  /** Seconds between shots (Interval), or undefined for consecutive frames / key frames / Average. */
  interval?: number;
  /** Shots wanted; undefined = until the end. */
  count?: number;
  ext: 'jpg' | 'png';
  width?: number;
  height?: number;
  blackCheck?: { blackLevel: number; pixelThreshold: number };
  /** The video's duration in seconds. */
  duration: number;
  /** ffmpeg stream index of the video (cover art is skipped). */
  streamIndex: number;
}

const DEFAULT_BLACK_LEVEL = 98;
const DEFAULT_PIXEL_BLACK_THRESHOLD = 32;
/** Half a millisecond: Start and slot boundaries have millisecond precision. */
const EPS = 0.0005;

function str(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function num(params: Record<string, unknown>, name: string): number | undefined {
  const s = str(params, name);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new MediaJobError(MediaErrorCodes.InvalidArgument, `Snapshot.${name} is not a number: ${s}`);
  return n;
}

const isTrue = (params: Record<string, unknown>, name: string) => str(params, name)?.toLowerCase() === 'true';

/** `png` or `jpg` from a CIParam such as `imageMogr2/format/png` (anything else: jpg). */
export function shotFormat(ciParam: unknown): 'jpg' | 'png' {
  if (typeof ciParam !== 'string' || !/imageMogr2/i.test(ciParam)) return 'jpg';
  const m = /(?:^|\/)format\/([a-z]+)/i.exec(ciParam);
  return m && m[1].toLowerCase() === 'png' ? 'png' : 'jpg';
}

export function planSnapshot(params: Record<string, unknown>, probe: FfprobeOutput): SnapshotPlan {
  const video = videoStreams(probe)[0];
  if (!video) throw new MediaJobError(MediaErrorCodes.ResourceNotSupported, 'The input has no video stream to capture frames from');
  const duration = mediaDuration(probe);
  if (duration === undefined) throw new MediaJobError(MediaErrorCodes.ResourceNotSupported, 'The duration of the input video is unknown');

  let mode = (str(params, 'Mode') ?? 'Interval') as SnapshotMode;
  if (!['Interval', 'Average', 'KeyFrame'].includes(mode)) throw new MediaJobError(MediaErrorCodes.InvalidArgument, `Unknown Snapshot.Mode ${mode}`);
  const start = num(params, 'Start') ?? 0;
  const interval = num(params, 'TimeInterval');
  let count = num(params, 'Count');
  if (count !== undefined) count = Math.max(1, Math.floor(count));
  const fps = rate(video.avg_frame_rate) ?? rate(video.r_frame_rate) ?? 25;
  const lastFrame = Math.max(0, duration - 1 / fps);
  if (start > lastFrame + EPS) {
    throw new MediaJobError(MediaErrorCodes.InvalidArgument, `Snapshot.Start ${start} is beyond the end of the video (${duration.toFixed(3)} s)`);
  }

  if (
    mode === 'Interval' &&
    isTrue(params, 'IsCheckCount') &&
    count !== undefined &&
    interval !== undefined &&
    start + (count - 1) * interval > lastFrame + EPS
  ) {
    mode = 'Average';
  }
  if (mode === 'Interval' && interval === undefined && count === undefined) count = 1;
  if (mode === 'Average' && count === undefined) count = 1;

  const blackCheck =
    isTrue(params, 'IsCheckBlack') && start === 0
      ? {
          blackLevel: num(params, 'BlackLevel') ?? DEFAULT_BLACK_LEVEL,
          pixelThreshold: num(params, 'PixelBlackThreshold') ?? DEFAULT_PIXEL_BLACK_THRESHOLD,
        }
      : undefined;

  return {
    mode,
    start,
    ...(mode === 'Interval' && interval !== undefined ? { interval } : {}),
    ...(count !== undefined ? { count } : {}),
    ext: shotFormat(params.CIParam),
    ...(num(params, 'Width') !== undefined ? { width: Math.round(num(params, 'Width') as number) } : {}),
    ...(num(params, 'Height') !== undefined ? { height: Math.round(num(params, 'Height') as number) } : {}),
    ...(blackCheck ? { blackCheck } : {}),
    duration,
    streamIndex: video.index ?? 0,
  };
}

const n = (x: number) => String(Number(x.toFixed(6)));

/**
 * The `select` expression for the plan: the first frame at or after each slot start. Slots
 * start at Start — or, with the black check, at the first frame that passed it (kept in ld(0)).
 */
function selectExpression(plan: SnapshotPlan): string {
  const gate = `gte(t,${n(plan.start - EPS)})`;
  const origin = plan.blackCheck ? 'ld(0)' : n(plan.start);
  let slot: string | undefined;
  if (plan.mode === 'Interval' && plan.interval !== undefined) slot = n(plan.interval);
  else if (plan.mode === 'Average') slot = `((${n(plan.duration)}-${origin})/${plan.count ?? 1})`;
  if (!slot) return gate;
  const slotOf = (time: string) => `floor((${time}-${origin}+${EPS})/${slot})`;
  return `if(${gate},if(isnan(prev_selected_t),st(0,t)+1,gt(${slotOf('t')}-${slotOf('prev_selected_t')},0)),0)`;
}

/** Video filter chain for the capture run. */
function captureFilter(plan: SnapshotPlan, withBlackCheck = true): string {
  const filters: string[] = [];
  if (plan.blackCheck && withBlackCheck) {
    const { blackLevel, pixelThreshold } = plan.blackCheck;
    // amount=0 makes blackframe tag every frame with its black-pixel percentage; the metadata
    // filter then drops frames until the first one below BlackLevel and passes all after it
    // (st/ld keep that state across frames).
    filters.push(`blackframe=amount=0:threshold=${Math.round(pixelThreshold)}`);
    filters.push(`metadata=mode=select:key=lavfi.blackframe.pblack:value=0:function=expr:expr='if(ld(0),1,st(0,lt(VALUE1,${n(blackLevel)})))'`);
  }
  filters.push(`select='${selectExpression(plan)}'`);
  filters.push('showinfo');
  if (plan.width !== undefined || plan.height !== undefined) {
    filters.push(`scale=${plan.width ?? -2}:${plan.height ?? -2}`);
  }
  return filters.join(',');
}

/** Full ffmpeg arguments; shots go to `outPattern` (an image2 pattern such as /tmp/x/shot-%05d.jpg). */
export function captureArgs(plan: SnapshotPlan, inputFile: string, outPattern: string, withBlackCheck = true): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'info',
    ...(plan.mode === 'KeyFrame' ? ['-skip_frame', 'nokey'] : []),
    '-i',
    inputArg(inputFile),
    '-map',
    `0:${plan.streamIndex}`,
    '-an',
    '-sn',
    '-dn',
    '-vf',
    captureFilter(plan, withBlackCheck),
    // passthrough keeps only the picked frames (no duplication); -vsync works on ffmpeg 4.x to 7.x
    '-vsync',
    'passthrough',
    ...(plan.count !== undefined ? ['-frames:v', String(plan.count)] : []),
    ...(plan.ext === 'jpg' ? ['-q:v', '2'] : []),
    '-start_number',
    '0',
    '-f',
    'image2',
    '-y',
    outPattern,
  ];
}

/** Capture times (seconds) of the picked frames, from showinfo's log, in order. */
export function parseShowinfoTimes(stderr: string): number[] {
  const times: number[] = [];
  const re = /Parsed_showinfo_\d+ @ [^\]]*\]\s+n:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[\d.e+-]+)/g;
  for (let m = re.exec(stderr); m; m = re.exec(stderr)) times.push(Number(m[1]));
  return times;
}
