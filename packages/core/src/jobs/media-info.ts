/** MediaInfo: read the container and stream information of a media object (docs/api/job-types.md#mediainfo). */
import { defineJob } from './descriptor';
import { inputObject, jobLevel, mediaInfoArrayPaths, userData } from './common';

export const MediaInfoJob = defineJob<MediaInfoOperation>()({
  tag: 'MediaInfo',
  summary: 'Read the format and stream information of a media file.',
  input: { Object: inputObject },
  operation: { UserData: userData, JobLevel: jobLevel },
  operationRequired: false,
  rules: [],
  resultArrayPaths: mediaInfoArrayPaths,
  emulation: { runner: 'media-info' },
  instant: {
    process: 'videoinfo',
    doc: 'The MediaInfo of an object at once, without a job (GetMediaInfo).',
    source: 'https://cloud.tencent.com/document/api/436/55672',
    params: {},
    answer: 'mediaInfo',
  },
});

/** `Operation.MediaInfo` as the service reports it (all values strings). */
export interface MediaInfoResult {
  Format?: {
    NumStream?: string;
    NumProgram?: string;
    FormatName?: string;
    FormatLongName?: string;
    StartTime?: string;
    Duration?: string;
    Bitrate?: string;
    Size?: string;
  };
  Stream?: {
    Video?: MediaInfoVideoStream[];
    Audio?: MediaInfoAudioStream[];
    Subtitle?: Array<{ Index?: string; Language?: string }>;
  };
}

/** Fields every video and audio stream has. */
export interface MediaInfoStream {
  Index?: string;
  CodecName?: string;
  CodecLongName?: string;
  CodecTimeBase?: string;
  CodecTagString?: string;
  CodecTag?: string;
  Timebase?: string;
  StartTime?: string;
  Duration?: string;
  Bitrate?: string;
  Language?: string;
  CreationTime?: string;
}

export interface MediaInfoVideoStream extends MediaInfoStream {
  Profile?: string;
  Height?: string;
  Width?: string;
  HasBFrame?: string;
  RefFrames?: string;
  Sar?: string;
  Dar?: string;
  PixFormat?: string;
  FieldOrder?: string;
  Level?: string;
  Fps?: string;
  AvgFps?: string;
  NumFrames?: string;
  Rotation?: string;
  ColorRange?: string;
  ColorTransfer?: string;
  ColorPrimaries?: string;
}

export interface MediaInfoAudioStream extends MediaInfoStream {
  SampleFmt?: string;
  SampleRate?: string;
  Channel?: string;
  ChannelLayout?: string;
}

export interface MediaInfoOperation {
  UserData?: string;
  JobLevel?: string;
  MediaInfo?: MediaInfoResult;
}
