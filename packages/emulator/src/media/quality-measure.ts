/**
 * One ffmpeg pass that measures what the quality score needs, parsed from its log (stderr):
 *
 * video  blackdetect (d=0.1)             → black intervals
 *        freezedetect (n=0.003, d=0.5)   → frozen intervals
 *        then sampled at 10 fps, scaled to a short side of at most 360 px, 8-bit yuv420p:
 *        blurdetect                      → lavfi.blur per sample (NaN on flat frames)
 *        signalstats                     → YAVG (brightness), YLOW/YHIGH (10th/90th luma percentile),
 *                                          YMIN/YMAX
 * audio  silencedetect (-50 dB, d=0.5)   → silent intervals
 *        astats over 0.5 s windows       → RMS and peak level per window (dBFS)
 *
 * Per-sample values are printed by `metadata=mode=print` filters (one key each) to the log.
 */
import type { Interval } from './intervals';
import { inputArg, type FfprobeOutput, audioStreams, mediaDuration, videoStreams } from './media-info';
import { requireTool, runTool, toolFailure, type MediaTools, type RunToolOptions } from './tools';
import { MediaErrorCodes, MediaJobError } from './errors';

export const VIDEO_SAMPLE_STEP = 0.1;
export const AUDIO_WINDOW = 0.5;

export interface VideoSample {
  t: number;
  blur?: number;
  yavg?: number;
  ylow?: number;
  yhigh?: number;
  ymin?: number;
  ymax?: number;
}

export interface AudioWindow {
  t: number;
  rms?: number;
  peak?: number;
}

export interface QualityMeasurements {
  duration: number;
  hasVideo: boolean;
  hasAudio: boolean;
  width?: number;
  height?: number;
  samples: VideoSample[];
  black: Interval[];
  freeze: Interval[];
  silence: Interval[];
  windows: AudioWindow[];
}

const SAMPLE_KEYS: Record<string, keyof Omit<VideoSample, 't'>> = {
  'lavfi.blur': 'blur',
  'lavfi.signalstats.YAVG': 'yavg',
  'lavfi.signalstats.YLOW': 'ylow',
  'lavfi.signalstats.YHIGH': 'yhigh',
  'lavfi.signalstats.YMIN': 'ymin',
  'lavfi.signalstats.YMAX': 'ymax',
};
const WINDOW_KEYS: Record<string, keyof Omit<AudioWindow, 't'>> = {
  'lavfi.astats.Overall.RMS_level': 'rms',
  'lavfi.astats.Overall.Peak_level': 'peak',
};

function qualityArgs(file: string, probe: FfprobeOutput): string[] {
  const chains: string[] = [];
  const maps: string[] = [];
  const video = videoStreams(probe)[0];
  if (video) {
    const print = Object.keys(SAMPLE_KEYS)
      .map((k) => `metadata=mode=print:key=${k}`)
      .join(',');
    chains.push(
      `[0:${video.index ?? 0}]blackdetect=d=0.1:pix_th=0.10,freezedetect=n=0.003:d=0.5,` +
        `fps=${1 / VIDEO_SAMPLE_STEP},` +
        "scale='if(gt(iw,ih),-2,min(iw,360))':'if(gt(iw,ih),min(ih,360),-2)',format=yuv420p," +
        `blurdetect,signalstats,${print}[v]`,
    );
    maps.push('-map', '[v]');
  }
  const audio = audioStreams(probe)[0];
  if (audio) {
    const sampleRate = Number(audio.sample_rate) || 48000;
    const print = Object.keys(WINDOW_KEYS)
      .map((k) => `ametadata=mode=print:key=${k}`)
      .join(',');
    chains.push(
      `[0:${audio.index ?? 0}]silencedetect=noise=-50dB:d=0.5,` +
        `asetnsamples=n=${Math.max(1, Math.round(sampleRate * AUDIO_WINDOW))}:p=0,` +
        `astats=metadata=1:reset=1:measure_perchannel=none:measure_overall=RMS_level+Peak_level,${print}[a]`,
    );
    maps.push('-map', '[a]');
  }
  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-i', inputArg(file), '-filter_complex', chains.join(';'), ...maps, '-f', 'null', '-'];
}

const num = (s: string) => {
  const v = s.trim();
  if (/^-?inf/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined; // nan → undefined
};

/** Parses the ffmpeg log of a `qualityArgs` run. Open intervals end at `duration`. */
export function parseQualityLog(stderr: string, duration: number): Pick<QualityMeasurements, 'samples' | 'black' | 'freeze' | 'silence' | 'windows'> {
  const samples = new Map<number, VideoSample>();
  const windows = new Map<number, AudioWindow>();
  const currentTime = new Map<string, number>();
  const black: Interval[] = [];
  const freeze: Interval[] = [];
  const silence: Interval[] = [];
  let freezeStart: number | undefined;
  let silenceStart: number | undefined;

  for (const line of stderr.split(/\r?\n/)) {
    const printed = /^\[(Parsed_a?metadata_\d+) @ [^\]]*\] (.*)$/.exec(line);
    if (printed) {
      const [, filter, content] = printed;
      const frame = /^frame:\s*\d+\s+pts:\s*\S+\s+pts_time:(\S+)/.exec(content);
      if (frame) {
        currentTime.set(filter, Number(frame[1]));
        continue;
      }
      const kv = /^(lavfi\.[\w.]+)=(.*)$/.exec(content);
      const t = currentTime.get(filter);
      if (!kv || t === undefined) continue;
      const key = Math.round(t * 1000);
      if (SAMPLE_KEYS[kv[1]]) {
        const s = samples.get(key) ?? { t };
        s[SAMPLE_KEYS[kv[1]]] = num(kv[2]);
        samples.set(key, s);
      } else if (WINDOW_KEYS[kv[1]]) {
        const w = windows.get(key) ?? { t };
        w[WINDOW_KEYS[kv[1]]] = num(kv[2]);
        windows.set(key, w);
      }
      continue;
    }
    let m = /black_start:\s*(-?[\d.]+)\s+black_end:\s*(-?[\d.]+)/.exec(line);
    if (m) {
      black.push({ start: Number(m[1]), end: Number(m[2]) });
      continue;
    }
    m = /freezedetect\.freeze_start:\s*(-?[\d.]+)/.exec(line);
    if (m) {
      freezeStart = Number(m[1]);
      continue;
    }
    m = /freezedetect\.freeze_end:\s*(-?[\d.]+)/.exec(line);
    if (m) {
      freeze.push({ start: freezeStart ?? 0, end: Number(m[1]) });
      freezeStart = undefined;
      continue;
    }
    m = /silence_start:\s*(-?[\d.]+)/.exec(line);
    if (m) {
      silenceStart = Number(m[1]);
      continue;
    }
    m = /silence_end:\s*(-?[\d.]+)/.exec(line);
    if (m) {
      silence.push({ start: silenceStart ?? 0, end: Number(m[1]) });
      silenceStart = undefined;
    }
  }
  // A freeze or silence still going at the end of the file is reported without an end.
  if (freezeStart !== undefined) freeze.push({ start: freezeStart, end: duration });
  if (silenceStart !== undefined) silence.push({ start: silenceStart, end: duration });
  const byTime = <T extends { t: number }>(m: Map<number, T>) => [...m.values()].sort((a, b) => a.t - b.t);
  return { samples: byTime(samples), windows: byTime(windows), black, freeze, silence };
}

export async function measureQuality(tools: MediaTools, file: string, probe: FfprobeOutput, opts: RunToolOptions = {}): Promise<QualityMeasurements> {
  const ffmpeg = requireTool(tools, 'ffmpeg');
  const video = videoStreams(probe)[0];
  const hasAudio = audioStreams(probe).length > 0;
  const duration = Math.max(Number(probe.format?.duration) || 0, mediaDuration(probe) ?? 0);
  if (!video && !hasAudio) throw new MediaJobError(MediaErrorCodes.ResourceNotSupported, 'The input has neither video nor audio');
  let stderr: string;
  try {
    ({ stderr } = await runTool(ffmpeg, qualityArgs(file, probe), opts));
  } catch (err) {
    const failure = toolFailure(err, 'ffmpeg could not analyse the input', tools, 'ffmpeg');
    if (failure instanceof MediaJobError && /No such filter/i.test(failure.message)) {
      failure.message += ' (QualityEstimate needs ffmpeg 5.1 or newer, for blurdetect)';
    }
    throw failure;
  }
  return {
    duration,
    hasVideo: Boolean(video),
    hasAudio,
    ...(video?.width ? { width: video.width } : {}),
    ...(video?.height ? { height: video.height } : {}),
    ...parseQualityLog(stderr, duration),
  };
}
