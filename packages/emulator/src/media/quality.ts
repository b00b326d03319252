/**
 * QualityEstimate: a 0–10 score (and, in vqaPlus mode, the findings behind it) computed from
 * one ffmpeg analysis pass (quality-measure.ts). This is the emulator's own heuristic, not
 * Tencent's model; it is deterministic and reacts to the same defects.
 *
 *   base  = 10 · min(1, 0.6 + 0.4 · S / 720)        S = short side of the frame in px
 *           (720p and up: 10; 360p: 8; 240p: 7.33). No video stream: base 0.
 *   score = base − 4·Blur − 5·SolidColorScreen − 3·Jitter − 2·LowLighting − 2·HighLighting
 *                − 2·NoVoice − 1·LowVoice − 1·HighVoice
 *           where each name is the fraction (0–1) of the duration the finding covers; audio
 *           findings count only when there is an audio stream. Clamped to [0, 10], 6 decimals.
 *
 * Findings (video sampled at 10 fps, short side ≤ 360 px; audio in 0.5 s windows):
 *   Blur              blurdetect value > 15 for ≥ 0.3 s (sharp content ≈ 4–8; boxblur=5 ≈ 16)
 *   SolidColorScreen  blackdetect intervals (≥ 0.1 s), plus ≥ 0.3 s of frames whose 10th–90th
 *                     luma percentiles are within 4 levels and whose darkest and brightest
 *                     pixels are within 48 levels (a flat screen of any colour)
 *   LowLighting       mean luma (YAVG, 16–235 scale) < 40 for ≥ 0.5 s, outside solid screens
 *   HighLighting      mean luma > 215 for ≥ 0.5 s, outside solid screens
 *   Jitter            freezedetect intervals (≥ 0.5 s still picture) outside solid screens
 *   NoVoice           silencedetect intervals (below −50 dBFS for ≥ 0.5 s)
 *   LowVoice          RMS between −50 and −35 dBFS for ≥ 1 s
 *   HighVoice         peak ≥ −0.1 dBFS (clipping) in a window
 * Confidence (0–100) grows with how far the measure is past its threshold.
 * Rotate is accepted and ignored.
 */
import type { QualityEstimateResult } from '@node-red-tencent-ci/core';

import { clampTo, overlaps, runsOf, subtract, totalLength, union, type Interval } from './intervals';
import { ffprobeJson, type FfprobeOutput } from './media-info';
import { AUDIO_WINDOW, VIDEO_SAMPLE_STEP, measureQuality, type AudioWindow, type QualityMeasurements, type VideoSample } from './quality-measure';
import type { MediaTools, RunToolOptions } from './tools';

export const QUALITY_FORMULA = [
  'base  = 10 × min(1, 0.6 + 0.4 × S / 720), S = short side of the frame in px (720p+: 10, 360p: 8); no video: 0',
  'score = base − 4·Blur − 5·SolidColorScreen − 3·Jitter − 2·LowLighting − 2·HighLighting − 2·NoVoice − 1·LowVoice − 1·HighVoice,',
  '        each term the fraction (0–1) of the duration with that finding (audio terms only with an audio stream), clamped to [0, 10]',
  'Blur: blurdetect > 15 for ≥ 0.3 s; SolidColorScreen: blackdetect, or ≥ 0.3 s of flat frames (10th–90th luma percentile spread ≤ 4, min–max ≤ 48);',
  'LowLighting / HighLighting: mean luma < 40 / > 215 for ≥ 0.5 s; Jitter: freezedetect (≥ 0.5 s) outside solid screens;',
  'NoVoice: silencedetect (−50 dBFS, ≥ 0.5 s); LowVoice: RMS −50…−35 dBFS for ≥ 1 s; HighVoice: peak ≥ −0.1 dBFS.',
].join('\n');

const WEIGHTS = {
  Blur: 4,
  SolidColorScreen: 5,
  Jitter: 3,
  LowLighting: 2,
  HighLighting: 2,
  NoVoice: 2,
  LowVoice: 1,
  HighVoice: 1,
} as const;

type FindingType = keyof typeof WEIGHTS;

interface Finding extends Interval {
  confidence: number;
}

export interface QualityConfig {
  Mode?: 'general' | 'vqaPlus' | string;
  Rotate?: string;
}

const BLUR_THRESHOLD = 15;
const FLAT_SPREAD = 4;
/** Also required for a flat screen: darkest to brightest pixel within 48 levels (so a slide with text is not flat). */
const FLAT_RANGE = 48;
const DARK_YAVG = 40;
const BRIGHT_YAVG = 215;
const LOW_VOICE_RMS = -35;
const SILENCE_DB = -50;
const CLIP_PEAK = -0.1;

const confidence = (value: number) => Math.max(0, Math.min(100, Math.round(value)));
const mean = (values: Array<number | undefined>) => {
  const ok = values.filter((v): v is number => v !== undefined && !Number.isNaN(v));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : undefined;
};

const median = (values: number[]) => {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function videoFindings(m: QualityMeasurements): Partial<Record<FindingType, Finding[]>> {
  const step = VIDEO_SAMPLE_STEP;
  const flat = (s: VideoSample) =>
    s.ylow !== undefined &&
    s.yhigh !== undefined &&
    s.yhigh - s.ylow <= FLAT_SPREAD &&
    (s.ymin === undefined || s.ymax === undefined || s.ymax - s.ymin <= FLAT_RANGE);
  const flatRuns = runsOf(m.samples, flat, step, 0.3);
  const solid = union([...m.black, ...flatRuns]);
  const solidFindings: Finding[] = clampTo(solid, m.duration).map((i) => {
    const spread = median(m.samples.filter((s) => s.t >= i.start && s.t < i.end).map((s) => (s.yhigh ?? 0) - (s.ylow ?? 0)));
    return { ...i, confidence: confidence(spread === undefined ? 95 : 99 - 5 * spread) };
  });
  const notSolid = (s: VideoSample) => !overlaps({ start: s.t, end: s.t + step / 2 }, solid);

  const blur = runsOf(m.samples, (s) => s.blur !== undefined && s.blur > BLUR_THRESHOLD && notSolid(s), step, 0.3).map((r) => ({
    start: r.start,
    end: r.end,
    confidence: confidence(50 + ((mean(r.samples.map((s) => s.blur)) ?? BLUR_THRESHOLD) - BLUR_THRESHOLD)),
  }));
  const dark = runsOf(m.samples, (s) => s.yavg !== undefined && s.yavg < DARK_YAVG && notSolid(s), step, 0.5).map((r) => ({
    start: r.start,
    end: r.end,
    confidence: confidence(60 + 1.5 * (DARK_YAVG - (mean(r.samples.map((s) => s.yavg)) ?? DARK_YAVG))),
  }));
  const bright = runsOf(m.samples, (s) => s.yavg !== undefined && s.yavg > BRIGHT_YAVG && notSolid(s), step, 0.5).map((r) => ({
    start: r.start,
    end: r.end,
    confidence: confidence(60 + 1.5 * ((mean(r.samples.map((s) => s.yavg)) ?? BRIGHT_YAVG) - BRIGHT_YAVG)),
  }));
  const jitter = subtract(m.freeze, solid)
    .filter((i) => i.end - i.start >= 0.5)
    .map((i) => ({ ...i, confidence: 80 }));

  const clip = (list: Finding[]) => list.map((f) => ({ ...f, ...clampTo([f], m.duration)[0] })).filter((f) => f.end > f.start);
  return {
    Blur: clip(blur),
    SolidColorScreen: solidFindings,
    LowLighting: clip(dark),
    HighLighting: clip(bright),
    Jitter: clip(jitter),
  };
}

function audioFindings(m: QualityMeasurements): Partial<Record<FindingType, Finding[]>> {
  const windowsIn = (i: Interval) => m.windows.filter((w) => w.t < i.end && w.t + AUDIO_WINDOW > i.start);
  const silence = clampTo(union(m.silence), m.duration);
  const noVoice = silence.map((i) => {
    const rms = mean(windowsIn(i).map((w) => w.rms));
    return { ...i, confidence: confidence(rms === undefined || rms === -Infinity ? 99 : 60 + (SILENCE_DB - rms)) };
  });
  const quiet = (w: AudioWindow) =>
    w.rms !== undefined && w.rms > SILENCE_DB && w.rms < LOW_VOICE_RMS && !overlaps({ start: w.t, end: w.t + AUDIO_WINDOW }, silence);
  const lowVoice = runsOf(m.windows, quiet, AUDIO_WINDOW, 1).map((r) => ({ start: r.start, end: r.end, confidence: 70 }));
  const highVoice = runsOf(m.windows, (w) => w.peak !== undefined && w.peak >= CLIP_PEAK, AUDIO_WINDOW, AUDIO_WINDOW).map((r) => ({
    start: r.start,
    end: r.end,
    confidence: 80,
  }));
  const clip = (list: Finding[]) => list.map((f) => ({ ...f, ...clampTo([f], m.duration)[0] })).filter((f) => f.end > f.start);
  return { NoVoice: noVoice, LowVoice: clip(lowVoice), HighVoice: clip(highVoice) };
}

/** All findings by type (empty types left out). */
function qualityFindings(m: QualityMeasurements): Partial<Record<FindingType, Finding[]>> {
  const all = { ...(m.hasVideo ? videoFindings(m) : {}), ...(m.hasAudio ? audioFindings(m) : {}) };
  return Object.fromEntries(Object.entries(all).filter(([, list]) => list && list.length > 0));
}

function baseScore(m: QualityMeasurements): number {
  if (!m.hasVideo || !m.width || !m.height) return 0;
  return 10 * Math.min(1, 0.6 + (0.4 * Math.min(m.width, m.height)) / 720);
}

function qualityScore(m: QualityMeasurements, findings = qualityFindings(m)): number {
  const duration = Math.max(m.duration, 1e-3);
  let score = baseScore(m);
  for (const [type, list] of Object.entries(findings) as Array<[FindingType, Finding[]]>) {
    score -= WEIGHTS[type] * Math.min(1, totalLength(list) / duration);
  }
  return Math.max(0, Math.min(10, score));
}

const DETAIL_ORDER: FindingType[] = ['Blur', 'SolidColorScreen', 'LowLighting', 'HighLighting', 'Jitter', 'NoVoice', 'LowVoice', 'HighVoice'];

/**
 * Scores `file`; vqaPlus mode adds VqaPlusResult. ResourceNotSupported when it is not media.
 * `opts.probe` reuses an ffprobe answer the caller already has (the job also reports MediaInfo).
 */
export async function estimateQuality(
  tools: MediaTools,
  file: string,
  config: QualityConfig = {},
  opts: RunToolOptions & { probe?: FfprobeOutput } = {},
): Promise<QualityEstimateResult> {
  const probe = opts.probe ?? (await ffprobeJson(tools, file, opts));
  const m = await measureQuality(tools, file, probe, opts);
  const findings = qualityFindings(m);
  const result: QualityEstimateResult = { Score: qualityScore(m, findings).toFixed(6) };
  if (config.Mode === 'vqaPlus') {
    result.VqaPlusResult = {
      NoAudio: String(!m.hasAudio),
      NoVideo: String(!m.hasVideo),
      DetailedResult: DETAIL_ORDER.filter((type) => findings[type]?.length).map((type) => ({
        Type: type,
        Items: (findings[type] as Finding[]).map((f) => ({
          Confidence: String(f.confidence),
          StartTimeOffset: f.start.toFixed(3),
          EndTimeOffset: f.end.toFixed(3),
        })),
      })),
    };
  }
  return result;
}
