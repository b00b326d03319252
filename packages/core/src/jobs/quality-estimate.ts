/** QualityEstimate: score the quality of a video (docs/api/job-types.md#qualityestimate). */
import { defineJob } from './descriptor';
import { inputObject, jobLevel, mediaInfoArrayPaths, mediaResultArrayPaths, userData } from './common';
import type { MediaInfoResult } from './media-info';

export const QualityEstimateJob = defineJob<QualityEstimateOperation>()({
  tag: 'QualityEstimate',
  summary: 'Score the quality of a video from 0 to 10, optionally with detailed findings.',
  input: { Object: inputObject },
  operation: {
    QualityEstimateConfig: {
      kind: 'container',
      doc: 'Scoring settings.',
      fields: {
        Rotate: { kind: 'enum', doc: 'How far the video is rotated, in degrees (ignored in vqaPlus mode).', values: ['0', '90', '180', '270'], default: '0' },
        Mode: {
          kind: 'enum',
          doc: 'general: the quality score only; vqaPlus: the score plus detailed findings such as blur, noise or silence.',
          values: ['general', 'vqaPlus'],
          default: 'general',
        },
      },
    },
    UserData: userData,
    JobLevel: jobLevel,
  },
  operationRequired: false,
  rules: [],
  resultArrayPaths: [
    ...mediaInfoArrayPaths,
    ...mediaResultArrayPaths,
    'QualityEstimate.VqaPlusResult.DetailedResult',
    'QualityEstimate.VqaPlusResult.DetailedResult.Items',
    'QualityEstimate.VqaPlusResult.DetailedResult.Items.AreaCoordSet',
  ],
  emulation: { runner: 'quality-estimate' },
});

/** Finding types reported in vqaPlus mode. */
export type QualityFindingType =
  | 'Jitter'
  | 'Blur'
  | 'LowLighting'
  | 'HighLighting'
  | 'CrashScreen'
  | 'BlackWhiteEdge'
  | 'SolidColorScreen'
  | 'Noise'
  | 'Mosaic'
  | 'QRCode'
  | 'AppletCode'
  | 'BarCode'
  | 'LowVoice'
  | 'HighVoice'
  | 'NoVoice'
  | 'LowEvaluation';

export interface QualityEstimateResult {
  /** 0–10; 6 or more is good. */
  Score?: string;
  VqaPlusResult?: {
    NoAudio?: string;
    NoVideo?: string;
    DetailedResult?: Array<{
      Type?: QualityFindingType | string;
      Items?: Array<{ Confidence?: string; StartTimeOffset?: string; EndTimeOffset?: string; AreaCoordSet?: string[] }>;
    }>;
  };
}

export interface QualityEstimateOperation {
  QualityEstimateConfig?: { Rotate?: string; Mode?: string };
  UserData?: string;
  JobLevel?: string;
  QualityEstimate?: QualityEstimateResult;
  MediaInfo?: MediaInfoResult;
}
